import { describe, expect, it } from "vitest";
import { sha256 } from "../crypto/hash.js";
import { type BlockId, NIL_BLOCK_ID } from "../types/block.js";
import { type Proposal, SignedMsgType, type Vote } from "./messages.js";
import { type ConsensusAction, TendermintMachine, type TimeoutConfig } from "./state-machine.js";
import { ValidatorSet } from "./validator-set.js";
import { VoteSet, voteKey } from "./vote-set.js";

const TIMEOUTS: TimeoutConfig = {
  proposeMs: 100,
  proposeDeltaMs: 10,
  prevoteMs: 100,
  prevoteDeltaMs: 10,
  precommitMs: 100,
  precommitDeltaMs: 10,
};
const T0 = { seconds: 0n, nanos: 0 };

function makeSet(n: number): ValidatorSet {
  return ValidatorSet.fromGenesis(
    Array.from({ length: n }, (_, i) => ({ pubKey: sha256(new Uint8Array([i])), power: 10n })),
  );
}

function blockIdFor(tag: string): BlockId {
  const hash = sha256(new TextEncoder().encode(tag));
  return { hash, parts: { total: 1, hash } };
}

function proposal(height: bigint, round: number, id: BlockId, polRound = -1): Proposal {
  return { height, round, polRound, blockId: id, timestamp: T0, signature: new Uint8Array(64) };
}

function vote(
  type: Vote["type"],
  index: number,
  set: ValidatorSet,
  round: number,
  id: BlockId | undefined,
): Vote {
  return {
    type,
    height: 1n,
    round,
    blockId: id ?? NIL_BLOCK_ID,
    timestamp: T0,
    validatorAddress: set.getByIndex(index)!.address,
    validatorIndex: index,
    signature: new Uint8Array(64),
  };
}

/**
 * A deterministic simulated network: each action is turned into the message every machine receives
 * (proposals are built by the proposer's "driver"), timeouts fire when nothing else is pending.
 */
class SimNetwork {
  readonly machines: TendermintMachine[];
  readonly decisions = new Map<number, { round: number; blockId: BlockId }>();
  private readonly inbox: Array<{ to: number; event: Parameters<TendermintMachine["handle"]>[0] }> = [];
  private readonly timers: Array<{
    to: number;
    height: bigint;
    round: number;
    step: "propose" | "prevote" | "precommit";
  }> = [];

  constructor(
    readonly set: ValidatorSet,
    private readonly opts: {
      offline?: Set<number>;
      /** Whether node `to` considers the proposal valid. */
      valid?: (to: number, p: Proposal) => boolean;
      /** Proposer override: which block a proposer proposes in a round. */
      propose?: (from: number, round: number) => BlockId;
    } = {},
  ) {
    this.machines = set.validators.map((_, i) => new TendermintMachine(1n, set, i, TIMEOUTS));
  }

  run(maxSteps = 10_000): void {
    this.machines.forEach((m, i) => {
      if (!this.opts.offline?.has(i)) this.apply(i, m.start());
    });
    for (let step = 0; step < maxSteps; step++) {
      const msg = this.inbox.shift();
      if (msg) {
        if (!this.opts.offline?.has(msg.to)) this.apply(msg.to, this.machines[msg.to]!.handle(msg.event));
        continue;
      }
      const timer = this.timers.shift();
      if (!timer) return;
      this.apply(
        timer.to,
        this.machines[timer.to]!.handle({
          kind: "timeout",
          height: timer.height,
          round: timer.round,
          step: timer.step,
        }),
      );
    }
  }

  private broadcast(
    event: Parameters<TendermintMachine["handle"]>[0],
    makeFor?: (to: number) => typeof event,
  ): void {
    for (let to = 0; to < this.machines.length; to++)
      this.inbox.push({ to, event: makeFor ? makeFor(to) : event });
  }

  private apply(from: number, actions: ConsensusAction[]): void {
    for (const a of actions) {
      if (a.kind === "propose") {
        const id = a.reuse ?? this.opts.propose?.(from, a.round) ?? blockIdFor(`block-r${a.round}-by${from}`);
        const p = proposal(a.height, a.round, id, a.reuse ? a.polRound : -1);
        this.broadcast({ kind: "proposal", proposal: p, valid: true }, (to) => ({
          kind: "proposal",
          proposal: p,
          valid: this.opts.valid ? this.opts.valid(to, p) : true,
        }));
      } else if (a.kind === "vote") {
        this.broadcast({ kind: "vote", vote: vote(a.type, from, this.set, a.round, a.blockId) });
      } else if (a.kind === "scheduleTimeout") {
        this.timers.push({ to: from, height: a.height, round: a.round, step: a.step });
      } else if (a.kind === "decide") {
        this.decisions.set(from, { round: a.round, blockId: a.blockId });
      }
    }
  }
}

describe("TendermintMachine", () => {
  it("commits with one validator through propose, prevote, precommit and one vote each", () => {
    const set = makeSet(1);
    const m = new TendermintMachine(1n, set, 0, TIMEOUTS);
    const start = m.start();
    expect(start).toEqual([{ kind: "propose", height: 1n, round: 0, polRound: -1, reuse: undefined }]);
    const id = blockIdFor("b1");
    const prevote = m.handle({ kind: "proposal", proposal: proposal(1n, 0, id), valid: true });
    expect(prevote).toContainEqual({
      kind: "vote",
      type: SignedMsgType.Prevote,
      height: 1n,
      round: 0,
      blockId: id,
    });
    const precommit = m.handle({ kind: "vote", vote: vote(SignedMsgType.Prevote, 0, set, 0, id) });
    expect(precommit).toContainEqual({
      kind: "vote",
      type: SignedMsgType.Precommit,
      height: 1n,
      round: 0,
      blockId: id,
    });
    const decide = m.handle({ kind: "vote", vote: vote(SignedMsgType.Precommit, 0, set, 0, id) });
    const decision = decide.find((a) => a.kind === "decide");
    expect(decision).toMatchObject({ kind: "decide", round: 0, blockId: id });
    expect(m.step).toBe("decided");
  });

  it("four honest validators decide the round-0 proposal", () => {
    const net = new SimNetwork(makeSet(4));
    net.run();
    expect(net.decisions.size).toBe(4);
    const ids = new Set([...net.decisions.values()].map((d) => Buffer.from(d.blockId.hash).toString("hex")));
    expect(ids.size).toBe(1);
    expect([...net.decisions.values()].every((d) => d.round === 0)).toBe(true);
  });

  it("moves past an offline proposer by timeouts and decides in a later round", () => {
    const set = makeSet(4);
    const proposer0 = set.indexOf(set.proposerAt(0).address);
    const net = new SimNetwork(set, { offline: new Set([proposer0]) });
    net.run();
    const decided = [...net.decisions.entries()];
    expect(decided.length).toBe(3);
    expect(decided.every(([, d]) => d.round >= 1)).toBe(true);
    expect(new Set(decided.map(([, d]) => Buffer.from(d.blockId.hash).toString("hex"))).size).toBe(1);
  });

  it("prevotes nil on an invalid proposal and decides a valid one in a later round", () => {
    const set = makeSet(4);
    const bad = blockIdFor("invalid");
    const net = new SimNetwork(set, {
      propose: (_from, round) => (round === 0 ? bad : blockIdFor(`good-${round}`)),
      valid: (_to, p) => Buffer.compare(p.blockId.hash, bad.hash) !== 0,
    });
    net.run();
    expect(net.decisions.size).toBe(4);
    for (const d of net.decisions.values()) {
      expect(Buffer.compare(d.blockId.hash, bad.hash)).not.toBe(0);
      expect(d.round).toBeGreaterThanOrEqual(1);
    }
  });

  it("stays safe with one validator offline: never two different decisions", () => {
    for (let offline = 0; offline < 4; offline++) {
      const net = new SimNetwork(makeSet(4), { offline: new Set([offline]) });
      net.run();
      const ids = new Set(
        [...net.decisions.values()].map((d) => Buffer.from(d.blockId.hash).toString("hex")),
      );
      expect(ids.size, `offline=${offline}`).toBe(1);
      expect(net.decisions.size).toBe(3);
    }
  });

  it("does not decide without +2/3: two of four offline halts progress", () => {
    const net = new SimNetwork(makeSet(4), { offline: new Set([0, 1]) });
    net.run(2_000);
    expect(net.decisions.size).toBe(0);
  });

  it("skips to a later round when f+1 validators are already there", () => {
    const set = makeSet(4);
    const m = new TendermintMachine(1n, set, 3, TIMEOUTS);
    m.start();
    m.handle({ kind: "vote", vote: vote(SignedMsgType.Prevote, 0, set, 5, undefined) });
    expect(m.round).toBe(0);
    m.handle({ kind: "vote", vote: vote(SignedMsgType.Prevote, 1, set, 5, undefined) });
    expect(m.round).toBe(5);
  });

  it("keeps a lock: a locked validator prevotes nil for another block without a newer polka", () => {
    const set = makeSet(4);
    const self = 3;
    const m = new TendermintMachine(1n, set, self, TIMEOUTS);
    m.start();
    const a = blockIdFor("A");
    const b = blockIdFor("B");
    m.handle({ kind: "proposal", proposal: proposal(1n, 0, a), valid: true });
    for (const i of [0, 1, 2]) m.handle({ kind: "vote", vote: vote(SignedMsgType.Prevote, i, set, 0, a) });
    // Locked on A. Round 0 ends without a commit: nil precommits from the others, then timeout.
    for (const i of [0, 1, 2])
      m.handle({ kind: "vote", vote: vote(SignedMsgType.Precommit, i, set, 0, undefined) });
    m.handle({ kind: "timeout", height: 1n, round: 0, step: "precommit" });
    expect(m.round).toBe(1);
    const actions = m.handle({ kind: "proposal", proposal: proposal(1n, 1, b), valid: true });
    expect(actions).toContainEqual({
      kind: "vote",
      type: SignedMsgType.Prevote,
      height: 1n,
      round: 1,
      blockId: undefined,
    });
  });

  it("reports equivocation", () => {
    const set = makeSet(4);
    const m = new TendermintMachine(1n, set, 3, TIMEOUTS);
    m.start();
    m.handle({ kind: "vote", vote: vote(SignedMsgType.Prevote, 0, set, 0, blockIdFor("A")) });
    const actions = m.handle({ kind: "vote", vote: vote(SignedMsgType.Prevote, 0, set, 0, blockIdFor("B")) });
    expect(actions.some((a) => a.kind === "equivocation")).toBe(true);
  });

  // Regression (found by test/sim): an equivocator's second vote was not counted at all, so a node
  // that saw its nil prevote first could never verify a polka another node had counted (with its
  // vote for the block) and locked on; the locked node's re-proposal was refused forever.
  it("accepts a re-proposal whose polka includes an equivocator's second vote", () => {
    const set = makeSet(4);
    const m = new TendermintMachine(1n, set, 3, TIMEOUTS);
    m.start();
    const a = blockIdFor("A");
    const evidence = m.handle({ kind: "vote", vote: vote(SignedMsgType.Prevote, 0, set, 0, undefined) });
    expect(evidence.some((x) => x.kind === "equivocation")).toBe(false);
    const second = m.handle({ kind: "vote", vote: vote(SignedMsgType.Prevote, 0, set, 0, a) });
    expect(second.some((x) => x.kind === "equivocation")).toBe(true);
    for (const i of [1, 2]) m.handle({ kind: "vote", vote: vote(SignedMsgType.Prevote, i, set, 0, a) });
    // Round 0 ends without a decision; in round 1 a node locked on A re-proposes it with polRound 0.
    for (const i of [0, 1, 2])
      m.handle({ kind: "vote", vote: vote(SignedMsgType.Precommit, i, set, 0, undefined) });
    m.handle({ kind: "timeout", height: 1n, round: 0, step: "precommit" });
    expect(m.round).toBe(1);
    const actions = m.handle({ kind: "proposal", proposal: proposal(1n, 1, a, 0), valid: true });
    expect(actions).toContainEqual({
      kind: "vote",
      type: SignedMsgType.Prevote,
      height: 1n,
      round: 1,
      blockId: a,
    });
  });

  // Regression: a vote used to overwrite the block id (hash + part-set header) the machine signs
  // for a hash, so a byzantine vote with a made-up part-set header made honest nodes precommit it.
  it("precommits the proposal's block id even when a vote names the hash with other parts", () => {
    const set = makeSet(4);
    const m = new TendermintMachine(1n, set, 3, TIMEOUTS);
    m.start();
    const a = blockIdFor("A");
    const forgedParts: BlockId = { hash: a.hash, parts: { total: 7, hash: sha256(new Uint8Array([7])) } };
    m.handle({ kind: "proposal", proposal: proposal(1n, 0, a), valid: true });
    for (const i of [1, 2]) m.handle({ kind: "vote", vote: vote(SignedMsgType.Prevote, i, set, 0, a) });
    const actions = m.handle({ kind: "vote", vote: vote(SignedMsgType.Prevote, 0, set, 0, forgedParts) });
    expect(actions).toContainEqual({
      kind: "vote",
      type: SignedMsgType.Precommit,
      height: 1n,
      round: 0,
      blockId: a,
    });
  });
});

describe("VoteSet", () => {
  const set = makeSet(4);

  it("counts an equivocator once in the total and once for each block it voted for", () => {
    const votes = new VoteSet();
    const a = blockIdFor("A");
    expect(votes.add(vote(SignedMsgType.Prevote, 0, set, 0, undefined), 10n)).toEqual({ kind: "added" });
    const conflict = votes.add(vote(SignedMsgType.Prevote, 0, set, 0, a), 10n);
    expect(conflict.kind).toBe("conflict");
    expect(votes.add(vote(SignedMsgType.Prevote, 0, set, 0, a), 10n)).toEqual({ kind: "duplicate" });
    expect(votes.totalPower).toBe(10n);
    expect(votes.powerFor("")).toBe(10n);
    const key = voteKey(vote(SignedMsgType.Prevote, 0, set, 0, a));
    expect(votes.powerFor(key)).toBe(10n);
    expect(votes.votesFor(key).map((v) => v.validatorIndex)).toEqual([0]);
  });

  it("bounds how many different blocks one validator can make it count", () => {
    const votes = new VoteSet();
    for (let i = 0; i < 20; i++)
      votes.add(vote(SignedMsgType.Prevote, 0, set, 0, blockIdFor(`junk-${i}`)), 10n);
    expect(votes.blockKeys().length).toBeLessThan(20);
    expect(votes.totalPower).toBe(10n);
  });
});
