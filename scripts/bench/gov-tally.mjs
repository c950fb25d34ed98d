// Governance at scale: builds a state of `--members` scored accounts (every 10th an agent with
// `govern`) and `--validators` operated validators over the node's real state (LevelDB +
// CommittedState), casts `--votes` member votes on a treasury proposal (`--agent-share` of them by
// agents whose owners do not vote) and one vote per operator on a council proposal through the gov
// module's own Msg handlers, then times:
//   - voteUs: one MsgVote handler (µs, p50 and mean over the members' votes; it also keeps the
//     running tally);
//   - the end block that tallies and executes each proposal (ms, several runs on fresh overlays):
//     tallyEndBlockMs with no score change since the votes (the members' tally is the running sums
//     plus the agents' votes), tallyAfterEpochEndBlockMs after an epoch moved scores (the running
//     sums no longer hold: every vote is counted again);
//   - membersTotalScanMs / countVotesMs / runningCountMs: the members' total by a full scan (only
//     before the first reputation epoch or after the cap changed; epochs store it), the full vote
//     count, and the running count, alone;
//   - endBlockWrites / endBlockRootMs: the tally block's state writes and the app-hash update they
//     cost at commit;
//   - an idle end block with open proposals not yet due (µs): what every block pays.
// Prints one JSON line.
//
//   npm run build && node scripts/bench/gov-tally.mjs [--members 100000] [--votes 10000] [--validators 50]
//     [--runs 11] [--agent-share 0.1]
import { createHash } from "node:crypto";
import { performance } from "node:perf_hooks";
import { parseArgs } from "node:util";

const { values: args } = parseArgs({
  options: {
    members: { type: "string", default: "100000" },
    votes: { type: "string", default: "10000" },
    validators: { type: "string", default: "50" },
    runs: { type: "string", default: "11" },
    "agent-share": { type: "string", default: "0.1" },
  },
});
const MEMBERS = Number(args.members);
const VOTES = Math.min(Number(args.votes), MEMBERS);
const VALIDATORS = Number(args.validators);
const RUNS = Number(args.runs);
const AGENT_SHARE = Number(args["agent-share"]);

const { openBenchState, load } = await import("./state-builder.mjs");
const { encodeAddress } = await load("chain", "crypto", "address.js");
const { setProfile, setAgent } = await load("contracts", "identity", "keeper.js");
const { ensureNode } = await load("contracts", "reputation", "graph.js");
const { setScore, setMembersWeight } = await load("contracts", "reputation", "reach.js");
const { seedValidator } = await load("contracts", "validators", "keeper.js");
const { mintGenesisCoins } = await load("contracts", "bank", "keeper.js");
const { moduleAddress, setAccount } = await load("contracts", "auth", "keeper.js");
const { govModule } = await load("contracts", "gov", "module.js");
const { msgSubmitProposal } = await load("contracts", "gov", "submit.js");
const { msgVote } = await load("contracts", "gov", "vote.js");
const { GOV_ADDRESS, getGovParams, DEFAULT_VIVIM_GOV_PARAMS } = await load("contracts", "gov", "params.js");
const { getProposal, getInfo } = await load("contracts", "gov", "keeper.js");
const { MsgCommunityPoolSpend } = await import("cosmjs-types/cosmos/distribution/v1beta1/tx");
const { MsgUpdateValidator } = await load("contracts", "validators", "codec.js");

const log = (...m) => process.stderr.write(`[bench] ${m.join(" ")}\n`);
const address = (tag, i) =>
  encodeAddress(createHash("sha256").update(`${tag}-${i}`).digest().subarray(0, 20));
const members = Array.from({ length: MEMBERS }, (_, i) => address("member", i));
const operators = Array.from({ length: VALIDATORS }, (_, i) => address("operator", i));
const isAgent = (i) => i % 10 === 9;
const uv = (n) => [{ denom: "uvivim", amount: String(n) }];

const bench = await openBenchState({ name: "gov", secondsPerBlock: 5n });
const { state, commitBlock } = bench;
const t0 = performance.now();
const CHUNK = 20_000;
// What the last reputation epoch would have summed for the member electorate (reach.ts).
const CAP = DEFAULT_VIVIM_GOV_PARAMS.memberWeightCap;
let membersWeight = 0n;
for (let start = 0; start < MEMBERS; start += CHUNK) {
  await commitBlock((ctx) => {
    for (let i = start; i < Math.min(MEMBERS, start + CHUNK); i++) {
      const a = members[i];
      if (isAgent(i)) {
        setAgent(ctx.store, {
          address: a,
          owner: members[i - 1],
          name: `bot${i}`,
          pubKeyType: "secp256k1",
          pubKey: new Uint8Array(33),
          autonomy: 1,
          capabilities: ["govern"],
          description: "",
          webhook: "",
          status: 1,
          verification: 1,
          createdHeight: 0n,
          createdAt: 0n,
        });
      } else {
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
        // Scores spread around the average (1_000_000), some above the cap.
        const score = 200_000n + BigInt((i * 7919) % 7_000_000);
        setScore(ctx.store, a, score);
        membersWeight += score < CAP ? score : CAP;
      }
      ensureNode(ctx.store, Buffer.from(createHash("sha256").update(`member-${i}`).digest().subarray(0, 20)));
      mintGenesisCoins(ctx.store, a, uv(10_000_000_000));
    }
  });
}
await commitBlock((ctx) => {
  operators.forEach((op, i) => {
    const pubKey = createHash("sha256").update(`validator-${i}`).digest();
    seedValidator(ctx.store, { pubKey, power: 10n, moniker: `v${i}`, operator: op });
    mintGenesisCoins(ctx.store, op, uv(10_000_000_000));
  });
  mintGenesisCoins(ctx.store, moduleAddress("treasury"), uv(1_000_000_000));
  setMembersWeight(ctx.store, CAP, membersWeight);
});
log(
  `state built in ${((performance.now() - t0) / 1000).toFixed(1)} s (${MEMBERS} members, ${VALIDATORS} validators)`,
);

const deposit = getGovParams(state).minDeposit;
let memberProposal = 0n;
let councilProposal = 0n;
await commitBlock((ctx) => {
  const spend = MsgCommunityPoolSpend.fromPartial({
    authority: GOV_ADDRESS,
    recipient: members[0],
    amount: uv(1000),
  });
  msgSubmitProposal.handle(ctx, {
    messages: [
      {
        typeUrl: "/cosmos.distribution.v1beta1.MsgCommunityPoolSpend",
        value: MsgCommunityPoolSpend.encode(spend).finish(),
      },
    ],
    initialDeposit: deposit,
    proposer: members[0],
    metadata: "",
    title: "spend",
    summary: "bench",
    expedited: false,
  });
  const update = MsgUpdateValidator.fromPartial({
    authority: GOV_ADDRESS,
    pubKey: new Uint8Array(32).fill(7),
    power: 10n,
    moniker: "new",
    operator: operators[0],
  });
  msgSubmitProposal.handle(ctx, {
    messages: [{ typeUrl: MsgUpdateValidator.typeUrl, value: MsgUpdateValidator.encode(update).finish() }],
    initialDeposit: deposit,
    proposer: operators[0],
    metadata: "",
    title: "validator",
    summary: "bench",
    expedited: false,
  });
  memberProposal = 1n;
  councilProposal = 2n;
});

// Votes: members spread over the whole set, in blocks of 5000; a share of them (`--agent-share`,
// every 10th by default) by an agent (member 10j + 9, owned by 10j + 8, who does not vote), which
// carries its owner's weight.
const voteTimes = [];
const byAgent = (k) => Math.floor((k + 1) * AGENT_SHARE) > Math.floor(k * AGENT_SHARE);
const voterIndex = (k) => {
  const i = Math.floor((k * MEMBERS) / VOTES);
  const agent = i - (i % 10) + 9;
  return byAgent(k) && agent < MEMBERS ? agent : i;
};
const voters = Array.from({ length: VOTES }, (_, k) => members[voterIndex(k)]);
for (let start = 0; start < voters.length; start += 5000) {
  await commitBlock((ctx) => {
    const batch = voters.slice(start, start + 5000);
    for (const [k, voter] of batch.entries()) {
      // What the vote tx's ante does first: the voter's account with its sequence bumped.
      setAccount(ctx.store, {
        address: voter,
        pubKey: undefined,
        accountNumber: BigInt(start + k),
        sequence: 1n,
      });
      const t = performance.now();
      msgVote.handle(ctx, {
        proposalId: memberProposal,
        voter,
        option: (start + k) % 5 === 0 ? 3 : 1,
        metadata: "",
      });
      voteTimes.push((performance.now() - t) * 1000);
    }
  });
}
await commitBlock((ctx) => {
  for (const [k, voter] of operators.entries())
    msgVote.handle(ctx, { proposalId: councilProposal, voter, option: k % 3 === 0 ? 3 : 1, metadata: "" });
});

// End blocks on fresh overlays: idle (nothing due) and at the voting end (both proposals tallied).
const votingEnd = getProposal(state, memberProposal).votingEndTime.seconds;
const endHeight = (votingEnd - 1_700_000_000n) / 5n + 1n;
const idle = [];
for (let r = 0; r < 200; r++) {
  const { ctx } = bench.context(bench.height + 1n);
  const t = performance.now();
  govModule.endBlock(ctx);
  idle.push((performance.now() - t) * 1000);
}
const timeTallies = (prepare) => {
  const times = [];
  let last;
  for (let r = 0; r < RUNS; r++) {
    const { ctx, store } = bench.context(endHeight);
    prepare?.(store);
    const t = performance.now();
    govModule.endBlock(ctx);
    times.push(performance.now() - t);
    last = { store, writes: store.bufferedWrites().length };
  }
  return { times, last };
};
const { times: tallies, last: outcome } = timeTallies();
// What the tally block's writes cost the app hash (the authenticated tree's update, not persisted).
let t = performance.now();
state.computeRoot(outcome.store.bufferedWrites());
const rootMs = performance.now() - t;
// An epoch that moved scores since the votes (what the epoch does: bumpScoresVersion): the running
// sums no longer hold and the tally counts every vote again, exactly as before them.
const { bumpScoresVersion } = await load("contracts", "reputation", "reach.js");
const { times: staleTallies } = timeTallies((store) => bumpScoresVersion(store));
// The members' tally, alone: the electorate's total when no epoch has summed it for the current
// cap (a full scan: before the first epoch, or after the cap changed), the full vote count, and the
// running count (sums + the agents' votes).
const { electorateTotal } = await load("contracts", "gov", "electorate.js");
const { countVotes, currentCounts } = await load("contracts", "gov", "tally.js");
const { getVivimGovParams } = await load("contracts", "gov", "params.js");
const vparams = getVivimGovParams(state);
t = performance.now();
electorateTotal(state, 2, { ...vparams, memberWeightCap: CAP + 1n });
const scanMs = performance.now() - t;
t = performance.now();
const full = countVotes(state, memberProposal, 2, vparams);
const countMs = performance.now() - t;
t = performance.now();
const running = currentCounts(state, memberProposal, 2, vparams);
const runningMs = performance.now() - t;
if (JSON.stringify(full, (_, v) => String(v)) !== JSON.stringify(running, (_, v) => String(v)))
  throw new Error(
    `running count ${JSON.stringify(running, (_, v) => String(v))} differs from the full count`,
  );
const stage = (id) => getInfo(outcome.store, id).stage;
const sorted = (a) => [...a].sort((x, y) => x - y);
const p50 = (a) => sorted(a)[Math.floor(a.length / 2)];
const mean = (a) => a.reduce((x, y) => x + y, 0) / a.length;
process.stdout.write(
  `${JSON.stringify({
    members: MEMBERS,
    validators: VALIDATORS,
    memberVotes: VOTES,
    voteUs: { p50: Number(p50(voteTimes).toFixed(1)), mean: Number(mean(voteTimes).toFixed(1)) },
    idleEndBlockUs: { p50: Number(p50(idle).toFixed(1)), max: Number(Math.max(...idle).toFixed(1)) },
    tallyEndBlockMs: {
      p50: Number(p50(tallies).toFixed(1)),
      max: Number(Math.max(...tallies).toFixed(1)),
      runs: RUNS,
    },
    tallyAfterEpochEndBlockMs: {
      p50: Number(p50(staleTallies).toFixed(1)),
      max: Number(Math.max(...staleTallies).toFixed(1)),
      runs: RUNS,
    },
    endBlockWrites: outcome.writes,
    endBlockRootMs: Number(rootMs.toFixed(1)),
    membersTotalScanMs: Number(scanMs.toFixed(1)),
    countVotesMs: Number(countMs.toFixed(1)),
    runningCountMs: Number(runningMs.toFixed(1)),
    agentVotes: voters.filter((_, k) => isAgent(voterIndex(k))).length,
    stages: { members: stage(memberProposal), council: stage(councilProposal) },
  })}\n`,
);
await bench.close();
