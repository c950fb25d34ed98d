/**
 * The voting reminder (EventVotingEndsSoon): the Msg handlers and the end block run directly over
 * an in-memory store at chosen block times, and each end block's events are read back, so the
 * reminder's timing, its once-only delivery, the expedited → regular re-scheduling and proposals
 * that end first are checked exactly.
 */
import { createHash } from "node:crypto";
import { MsgCommunityPoolSpend } from "cosmjs-types/cosmos/distribution/v1beta1/tx";
import { ProposalStatus } from "cosmjs-types/cosmos/gov/v1/gov";
import { describe, expect, it } from "vitest";
import { encodeAddress } from "../../chain/crypto/address.js";
import { INFINITE_GAS, makeExecContext } from "../../chain/execution/context.js";
import { timestampToRfc3339 } from "../../chain/types/timestamp.js";
import { MemoryStore } from "../../test/support/memory-store.js";
import { mintGenesisCoins } from "../bank/keeper.js";
import { defaultModuleRegistry } from "../index.js";
import { readUint64 } from "../lib/store.js";
import type { AbciEvent, ExecContext, KVStore } from "../types.js";
import { msgDeposit } from "./deposit.js";
import { GovEvents } from "./events.js";
import { getProposal, readOpen, readReminders } from "./keeper.js";
import { GovKeys } from "./keys.js";
import { reminderWindow } from "./lifecycle.js";
import { govModule } from "./module.js";
import { GOV_ADDRESS } from "./params.js";
import { msgSubmitProposal } from "./submit.js";

const _hex = (b: Uint8Array) => Buffer.from(b).toString("hex");

const address = (tag: string) => encodeAddress(createHash("sha256").update(tag).digest().subarray(0, 20));
const uv = (n: number) => [{ denom: "uvivim", amount: String(n) }];
const T0 = 1_700_000_000n;
const VOTING = 100n; // window 25 s
const EXPEDITED = 30n; // window 7 s
const registry = defaultModuleRegistry();

function ctxAt(store: KVStore, seconds: bigint, events: AbciEvent[] = []): ExecContext {
  return makeExecContext(
    { chainId: "t", height: seconds - T0 + 1n, time: { seconds, nanos: 0 } },
    store,
    INFINITE_GAS,
    registry,
    events,
  );
}

function genesis(): { store: MemoryStore; proposer: string } {
  const store = new MemoryStore();
  govModule.initGenesis(ctxAt(store, T0), {
    params: {
      min_deposit: uv(1000),
      expedited_min_deposit: uv(5000),
      voting_period: `${VOTING}s`,
      expedited_voting_period: `${EXPEDITED}s`,
      max_deposit_period: "50s",
    },
  });
  const proposer = address("proposer");
  mintGenesisCoins(store, proposer, uv(1_000_000));
  return { store, proposer };
}

/** A text proposal (no messages), or a treasury spend when `expedited`. */
function submit(ctx: ExecContext, proposer: string, opts: { deposit?: number; expedited?: boolean } = {}) {
  const messages = opts.expedited
    ? [
        {
          typeUrl: "/cosmos.distribution.v1beta1.MsgCommunityPoolSpend",
          value: MsgCommunityPoolSpend.encode(
            MsgCommunityPoolSpend.fromPartial({ authority: GOV_ADDRESS, recipient: proposer, amount: uv(1) }),
          ).finish(),
        },
      ]
    : [];
  msgSubmitProposal.handle(ctx, {
    messages,
    initialDeposit: uv(opts.deposit ?? (opts.expedited ? 5000 : 1000)),
    proposer,
    metadata: "",
    title: "reminded",
    summary: "spec",
    expedited: opts.expedited ?? false,
  });
  return readUint64(ctx.store.get(GovKeys.nextId())!) - 1n;
}

/** Runs the end block at `seconds` and returns its events as (type, attributes). */
function endBlock(store: KVStore, seconds: bigint): Array<{ type: string; attrs: Record<string, string> }> {
  const events: AbciEvent[] = [];
  govModule.endBlock!(ctxAt(store, seconds, events));
  return events.map((e) => ({
    type: e.type,
    attrs: Object.fromEntries(e.attributes.map((a) => [a.key, a.value])),
  }));
}

const reminders = (events: ReturnType<typeof endBlock>) =>
  events.filter((e) => e.type === GovEvents.VotingEndsSoon).map((e) => e.attrs);
const rfc = (seconds: bigint) => timestampToRfc3339({ seconds, nanos: 0 });

describe("gov voting reminder", () => {
  it("the window is a quarter of the voting period, at most a day, none under 4 s", () => {
    expect(reminderWindow(100n)).toBe(25n);
    expect(reminderWindow(30n)).toBe(7n);
    expect(reminderWindow(4n * 86_400n)).toBe(86_400n);
    expect(reminderWindow(14n * 86_400n)).toBe(86_400n);
    expect(reminderWindow(3n)).toBe(0n);
  });

  it("goes out once, in the first block whose time reaches voting end − window", () => {
    const { store, proposer } = genesis();
    const start = T0 + 5n;
    const id = submit(ctxAt(store, start), proposer);
    const end = start + VOTING;
    expect(getProposal(store, id)?.votingEndTime?.seconds).toBe(end);
    expect(readReminders(store)).toEqual([{ id, deadline: { seconds: end - 25n, nanos: 0 } }]);

    expect(reminders(endBlock(store, end - 26n))).toEqual([]);
    expect(reminders(endBlock(store, end - 24n))).toEqual([
      { proposal_id: id.toString(), voting_end_time: rfc(end) },
    ]);
    expect(readReminders(store)).toEqual([]);
    expect(store.has(GovKeys.reminders())).toBe(false);
    expect(reminders(endBlock(store, end - 10n))).toEqual([]);
    const last = endBlock(store, end);
    expect(reminders(last)).toEqual([]);
    expect(last.map((e) => e.type)).toContain(GovEvents.ActiveProposal);
  });

  it("the event is indexed by proposal_id only", () => {
    const { store, proposer } = genesis();
    const id = submit(ctxAt(store, T0 + 5n), proposer);
    const events: AbciEvent[] = [];
    govModule.endBlock!(ctxAt(store, T0 + 5n + VOTING - 1n, events));
    const e = events.find((x) => x.type === GovEvents.VotingEndsSoon)!;
    expect(e.attributes).toEqual([
      { key: "proposal_id", value: id.toString(), index: true },
      { key: "voting_end_time", value: rfc(T0 + 5n + VOTING), index: false },
    ]);
  });

  it("orders several due reminders by time, then id, in one block", () => {
    const { store, proposer } = genesis();
    const a = submit(ctxAt(store, T0 + 10n), proposer);
    const b = submit(ctxAt(store, T0 + 5n), proposer);
    const c = submit(ctxAt(store, T0 + 5n), proposer);
    expect(reminders(endBlock(store, T0 + 10n + VOTING - 25n)).map((r) => r.proposal_id)).toEqual(
      [b, c, a].map(String),
    );
  });

  it("is not sent for a proposal whose voting ends in the same block (a jump in block time)", () => {
    const { store, proposer } = genesis();
    const id = submit(ctxAt(store, T0 + 5n), proposer);
    const events = endBlock(store, T0 + 5n + VOTING + 60n);
    expect(reminders(events)).toEqual([]);
    expect(events.find((e) => e.type === GovEvents.ActiveProposal)?.attrs.proposal_id).toBe(id.toString());
    expect(readReminders(store)).toEqual([]);
    expect(getProposal(store, id)?.status).not.toBe(ProposalStatus.PROPOSAL_STATUS_VOTING_PERIOD);
  });

  it("waits for the voting period: none in the deposit period, none for a dropped proposal", () => {
    const { store, proposer } = genesis();
    const dropped = submit(ctxAt(store, T0 + 5n), proposer, { deposit: 100 });
    const funded = submit(ctxAt(store, T0 + 5n), proposer, { deposit: 100 });
    expect(readReminders(store)).toEqual([]);
    msgDeposit.handle(ctxAt(store, T0 + 20n), { proposalId: funded, depositor: proposer, amount: uv(900) });
    expect(readReminders(store)).toEqual([{ id: funded, deadline: { seconds: T0 + 20n + 75n, nanos: 0 } }]);
    const dropping = endBlock(store, T0 + 55n);
    expect(dropping.find((e) => e.type === GovEvents.InactiveProposal)?.attrs.proposal_id).toBe(
      dropped.toString(),
    );
    expect(reminders(dropping)).toEqual([]);
    expect(reminders(endBlock(store, T0 + 95n))).toEqual([
      { proposal_id: funded.toString(), voting_end_time: rfc(T0 + 120n) },
    ]);
  });

  it("an expedited proposal converted to a regular one is reminded again for its new deadline", () => {
    const { store, proposer } = genesis();
    const start = T0 + 5n;
    const id = submit(ctxAt(store, start), proposer, { expedited: true });
    expect(readReminders(store)).toEqual([{ id, deadline: { seconds: start + EXPEDITED - 7n, nanos: 0 } }]);
    expect(reminders(endBlock(store, start + EXPEDITED - 7n))).toEqual([
      { proposal_id: id.toString(), voting_end_time: rfc(start + EXPEDITED) },
    ]);
    const converted = endBlock(store, start + EXPEDITED);
    expect(converted.find((e) => e.type === GovEvents.ActiveProposal)?.attrs.proposal_result).toBe(
      "expedited_proposal_rejected",
    );
    expect(reminders(converted)).toEqual([]);
    expect(getProposal(store, id)?.votingEndTime?.seconds).toBe(start + VOTING);
    expect(readReminders(store)).toEqual([{ id, deadline: { seconds: start + VOTING - 25n, nanos: 0 } }]);
    expect(reminders(endBlock(store, start + VOTING - 25n))).toEqual([
      { proposal_id: id.toString(), voting_end_time: rfc(start + VOTING) },
    ]);
    expect(reminders(endBlock(store, start + VOTING))).toEqual([]);
    expect(readReminders(store)).toEqual([]);
    expect(readOpen(store)).toEqual([]);
  });

  it("a conversion whose new reminder is already due sends it in the same end block, once", () => {
    const { store, proposer } = genesis();
    const start = T0 + 5n;
    const id = submit(ctxAt(store, start), proposer, { expedited: true });
    // Block time jumps past the expedited reminder, the expedited end and the regular reminder.
    const events = endBlock(store, start + VOTING - 10n);
    expect(events.map((e) => e.type)).toEqual([GovEvents.ActiveProposal, GovEvents.VotingEndsSoon]);
    expect(reminders(events)).toEqual([{ proposal_id: id.toString(), voting_end_time: rfc(start + VOTING) }]);
    expect(readReminders(store)).toEqual([]);
    expect(reminders(endBlock(store, start + VOTING - 5n))).toEqual([]);
  });
});
