// The reputation epoch end block at scale: builds a state of 20k accounts (10 % of them agents)
// and 100k ratings (plus 10k attestations) through the reputation module's own Msg handlers, over
// the node's real state (LevelDB + CommittedState, committed in blocks), then times the epoch end
// block (`reputationModule.endBlock` at an epoch height) several times on fresh block overlays.
// Prints one JSON line: epochMs {p50, max, runs}, accounts, ratings, edges, score writes, and the
// cost of hashing those writes into the app hash (rootMs).
//
//   npm run build && node scripts/bench/reputation-epoch.mjs [--accounts 20000] [--ratings 100000] [--runs 5]
import { createHash } from "node:crypto";
import { performance } from "node:perf_hooks";
import { parseArgs } from "node:util";

const { values: args } = parseArgs({
  options: {
    accounts: { type: "string", default: "20000" },
    ratings: { type: "string", default: "100000" },
    attestations: { type: "string", default: "10000" },
    pretrusted: { type: "string", default: "20" },
    runs: { type: "string", default: "5" },
  },
});
const ACCOUNTS = Number(args.accounts);
const RATINGS = Number(args.ratings);
const ATTESTATIONS = Number(args.attestations);
const PRETRUSTED = Number(args.pretrusted);
const RUNS = Number(args.runs);
const RATINGS_PER_BLOCK = 5_000;

const { openBenchState, load } = await import("./state-builder.mjs");
const { encodeAddress } = await load("chain", "crypto", "address.js");
const { setProfile, setAgent } = await load("contracts", "identity", "keeper.js");
const { reputationModule } = await load("contracts", "reputation", "module.js");
const { msgRate } = await load("contracts", "reputation", "msg-rate.js");
const { msgAttest } = await load("contracts", "reputation", "msg-attest.js");
const { setPretrusted } = await load("contracts", "reputation", "graph.js");
const { recordInteraction, InteractionKind } = await load("contracts", "reputation", "interactions.js");
const { getReputationParams } = await load("contracts", "reputation", "params.js");

const log = (...m) => process.stderr.write(`[bench] ${m.join(" ")}\n`);

// Deterministic xorshift32.
let seed = 0x9e3779b9;
const rand = () => {
  seed ^= seed << 13;
  seed >>>= 0;
  seed ^= seed >>> 17;
  seed ^= seed << 5;
  seed >>>= 0;
  return seed;
};

// Accounts: every 10th is an agent owned by the human before it.
const address = (i) => encodeAddress(createHash("sha256").update(`rep-${i}`).digest().subarray(0, 20));
const addresses = Array.from({ length: ACCOUNTS }, (_, i) => address(i));
const isAgent = (i) => i % 10 === 9;
const principal = (i) => (isAgent(i) ? i - 1 : i);

const bench = await openBenchState({ name: "rep", secondsPerBlock: 3600n });
const { state, commitBlock } = bench;
const t0 = performance.now();
await commitBlock((ctx) => {
  addresses.forEach((a, i) => {
    if (!isAgent(i)) {
      setProfile(ctx.store, {
        address: a,
        handle: `user${i}`,
        displayName: "",
        bio: "",
        avatarUri: "",
        verification: 1,
        createdHeight: 0n,
        createdAt: 0n,
      });
    } else {
      setAgent(ctx.store, {
        address: a,
        owner: addresses[i - 1],
        name: `bot${i}`,
        pubKeyType: "secp256k1",
        pubKey: new Uint8Array(33),
        autonomy: 1,
        capabilities: [],
        description: "",
        webhook: "",
        status: 1,
        verification: 1,
        createdHeight: 0n,
        createdAt: 0n,
      });
    }
  });
  setPretrusted(
    ctx.store,
    Array.from({ length: PRETRUSTED }, (_, k) => addresses[k * 10]),
  );
});

// Ratings: each rater rates distinct subjects it has interacted with, never within its principal.
const pairs = [];
const seen = new Set();
while (pairs.length < RATINGS) {
  const i = rand() % ACCOUNTS;
  const j = rand() % ACCOUNTS;
  if (principal(i) === principal(j) || seen.has(i * ACCOUNTS + j)) continue;
  seen.add(i * ACCOUNTS + j);
  pairs.push([i, j]);
}
for (let start = 0; start < pairs.length; start += RATINGS_PER_BLOCK) {
  await commitBlock((ctx) => {
    for (const [i, j] of pairs.slice(start, start + RATINGS_PER_BLOCK)) {
      recordInteraction(ctx, addresses[i], addresses[j], InteractionKind.REPLY);
      const r = rand();
      msgRate.handle(ctx, {
        rater: addresses[i],
        subject: addresses[j],
        helped: r % 4 !== 0,
        stars: 1 + ((r >>> 8) % 5),
        comment: "",
      });
    }
  });
}
const vouches = new Set();
await commitBlock((ctx) => {
  while (vouches.size < ATTESTATIONS) {
    const i = rand() % ACCOUNTS;
    const j = rand() % ACCOUNTS;
    if (principal(i) === principal(j) || vouches.has(i * ACCOUNTS + j)) continue;
    vouches.add(i * ACCOUNTS + j);
    msgAttest.handle(ctx, { attester: addresses[i], subject: addresses[j], statement: "" });
  }
});
log(
  `state built in ${((performance.now() - t0) / 1000).toFixed(1)} s (${pairs.length} ratings, ${vouches.size} attestations)`,
);

// The epoch end block, on fresh overlays of the same committed state.
const epochBlocks = getReputationParams(state).epochBlocks;
const epochHeight = (bench.height / epochBlocks + 1n) * epochBlocks;
function runEpoch() {
  const events = [];
  const { store, ctx } = bench.context(epochHeight, events);
  const start = performance.now();
  reputationModule.endBlock(ctx);
  const ms = performance.now() - start;
  const event = events.find((e) => e.type === "vivim.reputation.v1.EventEpoch");
  if (!event) throw new Error("no EventEpoch");
  return { ms, store, event: Object.fromEntries(event.attributes.map((a) => [a.key, a.value])) };
}

const stats = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return {
    p50: +s[Math.floor((s.length - 1) / 2)].toFixed(1),
    max: +s[s.length - 1].toFixed(1),
    runs: xs.map((x) => +x.toFixed(1)),
  };
};

const first = [];
let last;
for (let r = 0; r < RUNS; r++) {
  last = runEpoch();
  first.push(last.ms);
  log(`epoch run ${r + 1}: ${last.ms.toFixed(1)} ms`);
}
const { writes: scoreWrites, rootMs } = await bench.commitStore(last.store);

// Steady state: the scores of the last epoch are stored; nothing changed since.
const steady = [];
let steadyWrites = 0;
for (let r = 0; r < RUNS; r++) {
  const run = runEpoch();
  steady.push(run.ms);
  steadyWrites = run.store.size;
}

const result = {
  bench: "reputation-epoch",
  accounts: Number(last.event.accounts),
  ratings: Number(last.event.ratings),
  attestations: vouches.size,
  epochMs: stats(first),
  scoreWrites,
  rootMs: +rootMs.toFixed(1),
  steadyEpochMs: stats(steady),
  steadyWrites,
  node: process.version,
};
process.stdout.write(`${JSON.stringify(result)}\n`);
await bench.close();
