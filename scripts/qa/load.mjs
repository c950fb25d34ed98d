// The mixed tx load, at a fixed rate: MsgSend and the social mix of the benchmarks (posts, comments,
// votes, reactions, follows, ratings; scripts/bench/social-mix.mjs) from the load accounts, signed
// as cosmjs would (scripts/bench/keys.mjs) and offered with broadcast_tx_sync to the validators that
// are not being perturbed; plus one governance proposal and the council's votes on it through
// cosmjs's SigningStargateClient. Each account has one tx in flight at a time, as a wallet does, so
// a lost tx costs one resync of that account's sequence and nothing else.
import { createHash } from "node:crypto";
import { broadcastBatch } from "../bench/broadcast.mjs";
import { signedSend, signedTx } from "../bench/keys.mjs";
import { createLoadRunner } from "../bench/network.mjs";
import { socialMix, warmUpSocial } from "../bench/social-mix.mjs";
import { load, log, sleep } from "./cluster.mjs";

/** A tx not seen committed this long after it was accepted is given up and its account resynced. */
const PENDING_TIMEOUT_MS = 45_000;
const BROADCAST_TIMEOUT_MS = 5_000;
const FEE = { amount: [{ denom: "uvivim", amount: "20000" }], gas: "800000" };

/** The bench harness's view of the network (scripts/bench/network.mjs), over the QA cluster. */
async function benchNet(cluster) {
  const { StargateClient } = await import("@cosmjs/stargate");
  const stargate = await StargateClient.connect(cluster.rpcUrls[0]);
  const chainId = await stargate.getChainId();
  const seq = await Promise.all(cluster.accounts.map((a) => stargate.getSequence(a.address)));
  stargate.disconnect();
  return {
    rpcUrls: cluster.rpcUrls.slice(0, 2),
    rpcUrl: cluster.rpcUrls[0],
    rpcPort: Number(new URL(cluster.rpcUrls[0]).port),
    apiUrl: cluster.apiUrls[0],
    chainId,
    accounts: cluster.accounts,
    next: seq.map((s) => ({ accountNumber: Number(s.accountNumber), sequence: s.sequence })),
  };
}

/** Signs a social-mix spec (messages as base64 `{typeUrl, value}`) the way sign-worker.mjs does. */
function signSpec(account, spec, chainId) {
  const messages = spec.messages.map((m) => ({ typeUrl: m.typeUrl, value: Buffer.from(m.value, "base64") }));
  return signedTx(account, messages, { chainId, accountNumber: spec.accountNumber, sequence: spec.sequence });
}

/**
 * Warms up (each account posts, then comments on its neighbour's post, untimed) and returns the
 * load: `run(seconds)` offers `rate` tx/s for that long; `onCommit` is wired to the follower.
 */
export async function prepareLoad(cluster, { rate }) {
  const net = await benchNet(cluster);
  const runner = await createLoadRunner(net);
  const postOf = await warmUpSocial(net, runner, cluster.accounts);
  runner.close();
  const mix = await socialMix(net, cluster.accounts, postOf);
  const N = cluster.accounts.length;
  const rounds = new Array(N).fill(0);
  const pending = new Array(N).fill(null); // { hash, sentAt, kind }
  const sent = new Map(); // hash → { account, kind, sentAt, node }
  const committed = new Map(); // hash → { height, seenAt } (every tx of the load seen committed)
  const stats = {
    scheduled: 0,
    skippedBusy: 0,
    sent: 0,
    accepted: 0,
    rejected: {},
    rejectedExample: null,
    timedOut: 0,
    resyncs: 0,
  };
  const latencies = [];
  let cursor = 0;

  async function resync(a) {
    const { StargateClient } = await import("@cosmjs/stargate");
    for (const url of cluster.healthyRpcUrls()) {
      try {
        const c = await StargateClient.connect(url);
        net.next[a].sequence = (await c.getSequence(cluster.accounts[a].address)).sequence;
        c.disconnect();
        stats.resyncs += 1;
        return;
      } catch {}
    }
  }

  function build(k, a) {
    const account = cluster.accounts[a];
    if (k % 5 === 0) {
      const { accountNumber, sequence } = net.next[a];
      net.next[a].sequence += 1;
      const to = cluster.accounts[(a + 1) % N].address;
      return { kind: "send", tx: signedSend(account, to, { chainId: net.chainId, accountNumber, sequence }) };
    }
    const spec = mix(a + N * rounds[a]++);
    const typeUrl = spec.messages[0].typeUrl;
    return {
      kind: typeUrl.split(".").pop().replace(/^Msg/, "").toLowerCase(),
      tx: signSpec(account, spec, net.chainId),
    };
  }

  async function offer(k) {
    stats.scheduled += 1;
    let a = -1;
    for (let j = 0; j < N; j++) {
      const c = (cursor + j) % N;
      if (!pending[c]) {
        a = c;
        break;
      }
    }
    if (a < 0) {
      stats.skippedBusy += 1;
      return;
    }
    cursor = (a + 1) % N;
    const { kind, tx } = build(k, a);
    const hash = createHash("sha256").update(tx).digest("hex").toUpperCase();
    const healthy = cluster.healthyRpcUrls();
    const url = healthy[a % healthy.length];
    const sentAt = Date.now();
    pending[a] = { hash, sentAt, kind };
    stats.sent += 1;
    sent.set(hash, { account: a, kind, sentAt, node: cluster.rpcUrls.indexOf(url) });
    try {
      const answer = await Promise.race([
        broadcastBatch(url, [{ tx: Buffer.from(tx).toString("base64") }], k),
        sleep(BROADCAST_TIMEOUT_MS).then(() => {
          throw new Error("broadcast timed out");
        }),
      ]);
      const code = answer[0]?.result?.code ?? -1;
      if (code === 0) {
        stats.accepted += 1;
        return;
      }
      stats.rejected[code] = (stats.rejected[code] ?? 0) + 1;
      stats.rejectedExample ??= answer[0]?.result?.log ?? answer[0]?.error?.data;
    } catch (err) {
      stats.rejected.unreachable = (stats.rejected.unreachable ?? 0) + 1;
      stats.rejectedExample ??= String(err.message);
    }
    // Not in the mempool: the sequence it used is free again.
    await resync(a);
    if (pending[a]?.hash === hash) pending[a] = null;
  }

  function onCommit(hash, height, seenAt) {
    const s = sent.get(hash);
    if (!s || committed.has(hash)) return;
    committed.set(hash, { height, seenAt, kind: s.kind });
    latencies.push(seenAt - s.sentAt);
    if (pending[s.account]?.hash === hash) pending[s.account] = null;
  }

  async function expire() {
    const now = Date.now();
    for (let a = 0; a < N; a++) {
      if (pending[a] && now - pending[a].sentAt > PENDING_TIMEOUT_MS) {
        stats.timedOut += 1;
        pending[a] = null;
        await resync(a);
      }
    }
  }

  return {
    onCommit,
    sent,
    committed,
    latencies,
    stats,
    /** Offers `rate` tx/s for `seconds`, then waits (bounded) for the txs in flight. */
    async run(seconds) {
      const start = Date.now();
      const total = Math.round(rate * seconds);
      const inFlight = [];
      for (let k = 0; k < total; k++) {
        const wait = start + (k * 1000) / rate - Date.now();
        if (wait > 0) await sleep(wait);
        inFlight.push(offer(k));
        if (k % rate === 0) inFlight.push(expire());
      }
      await Promise.all(inFlight);
      const drainUntil = Date.now() + 60_000;
      while (pending.some(Boolean) && Date.now() < drainUntil) await sleep(250);
      stats.stillPending = pending.filter(Boolean).length;
      stats.offeredSeconds = (Date.now() - start) / 1000;
    },
  };
}

/**
 * carol submits a text proposal and each validator's operator votes yes on it, through cosmjs's
 * SigningStargateClient with the devnet keyrings' keys (node i's keyring holds operator<i>).
 * Returns the committed tx hashes.
 */
export async function proposalAndVotes(cluster) {
  const { SigningStargateClient } = await import("@cosmjs/stargate");
  const { Keyring } = await load("chain", "keys", "keyring.js");
  const { TextProposal } = await import("cosmjs-types/cosmos/gov/v1beta1/gov");
  const { VoteOption } = await import("cosmjs-types/cosmos/gov/v1/gov");
  const hashes = [];
  const as = async (home, name) => {
    const wallet = await new Keyring({ home, backend: "test" }).signerFor(name);
    const [{ address }] = await wallet.getAccounts();
    const client = await SigningStargateClient.connectWithSigner(cluster.healthyRpcUrls()[0], wallet, {
      broadcastPollIntervalMs: 500,
    });
    return { address, client };
  };
  const carol = await as(cluster.devnet.nodes[0].home, "carol");
  const submitted = await carol.client.signAndBroadcast(
    carol.address,
    [
      {
        typeUrl: "/cosmos.gov.v1beta1.MsgSubmitProposal",
        value: {
          content: {
            typeUrl: "/cosmos.gov.v1beta1.TextProposal",
            value: TextProposal.encode({
              title: "QA run",
              description: "Proposed while the QA run loads the network",
            }).finish(),
          },
          initialDeposit: [{ denom: "uvivim", amount: "10000000" }],
          proposer: carol.address,
        },
      },
    ],
    FEE,
  );
  carol.client.disconnect();
  hashes.push(submitted.transactionHash);
  if (submitted.code !== 0) throw new Error(`proposal failed: ${submitted.rawLog}`);
  const id = submitted.events
    .find((e) => e.type === "submit_proposal")
    ?.attributes.find((x) => x.key === "proposal_id")?.value;
  for (const [i, n] of cluster.devnet.nodes.entries()) {
    const op = await as(n.home, `operator${i}`);
    const r = await op.client.signAndBroadcast(
      op.address,
      [
        {
          typeUrl: "/cosmos.gov.v1beta1.MsgVote",
          value: { proposalId: BigInt(id), voter: op.address, option: VoteOption.VOTE_OPTION_YES },
        },
      ],
      FEE,
    );
    op.client.disconnect();
    hashes.push(r.transactionHash);
    if (r.code !== 0) throw new Error(`vote of operator${i} failed: ${r.rawLog}`);
  }
  log(`proposal ${id} submitted and voted on by ${cluster.devnet.nodes.length} operators`);
  return { proposalId: id, hashes };
}
