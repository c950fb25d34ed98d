// `npm run bench:social`: the social chain under load and at scale.
//
//   1. Mixed workload: posts, comments, votes, reactions, follows and ratings, each signed by one of
//      many accounts, offered at rising rates to a real node exactly as bench:chain offers MsgSend
//      (which it also measures first, for the ratio; each ladder gets a fresh network of the same
//      genesis). Prints txPerSec and p99CommitMs of the best sustained step (p99 under 1 s).
//   2. Queries at scale: a state of 1M posts (plus a few long threads) built through the social
//      module's own handlers into real LevelDB state, then the Thread and CommunityFeed query
//      handlers timed over the committed state: p50/p99 of first pages, deep pages and threads.
//   3. A reputation epoch with 100k ratings (scripts/bench/reputation-epoch.mjs).
//
// Rate limits are raised in the bench genesis: this measures the chain, not the policy.
// The last line printed is the JSON summary.
import { execFile } from "node:child_process";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { parseArgs } from "node:util";
import { ensureBuild, ensureDependencies, ROOT } from "./lib/setup.mjs";

const { values: args } = parseArgs({
  options: {
    // Defaults past what one node sustains here (MsgSend ~4,000-5,200 tx/s, the mix ~3,500-3,800),
    // so that each figure is the node's limit and not its ladder's top.
    rates: { type: "string", default: "1000,2000,2600,3000,3300,3600,3900,4200,4500,4800" },
    "send-rates": { type: "string", default: "1000,2000,3000,3400,3800,4200,4600,5000,5400,5800,6200" },
    seconds: { type: "string", default: "8" },
    // As bench:chain: each ladder's first rate is offered this long, uncounted, first.
    "warmup-seconds": { type: "string", default: "4" },
    // Steps that bisect between each ladder's last sustained rate and its first failed one.
    refine: { type: "string", default: "1" },
    // Rounds of the two ladders, in ABBA order (MsgSend then the mix, then the mix then MsgSend,
    // ...): on this shared machine a run's speed drifts by more than the difference measured, and
    // a fixed order would charge the drift to whichever workload always goes second.
    rounds: { type: "string", default: "1" },
    accounts: { type: "string", default: "400" },
    posts: { type: "string", default: "1000000" },
    queries: { type: "string", default: "2000" },
    "skip-load": { type: "boolean", default: false },
    "skip-queries": { type: "boolean", default: false },
    "skip-epoch": { type: "boolean", default: false },
  },
});

ensureDependencies();
ensureBuild();
const DIST = path.join(ROOT, "dist");
const load = (...p) => import(path.join(DIST, ...p));
const log = (...m) => process.stderr.write(`[bench] ${m.join(" ")}\n`);
const out = (value) => process.stdout.write(`${JSON.stringify(value)}\n`);
const pct = (sorted, p) =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
const round = (x) => Number(x.toFixed(2));

const social = await load("contracts", "social", "tx.js");
const { benchSocialGenesis } = await import("./bench/social-genesis.mjs");

// ---------------------------------------------------------------- 1. mixed workload on a node

async function runLoad() {
  const { createLoadRunner, runLadder, transferBuilder } = await import("./bench/network.mjs");
  const { socialMix, startSocialBenchNetwork, warmUpSocial } = await import("./bench/social-mix.mjs");
  const N = Number(args.accounts);
  const seconds = Number(args.seconds);

  /**
   * Runs `body` against a network of its own, started from genesis, as bench:chain measures
   * MsgSend: each workload's ladder starts from the same empty chain. A ladder commits
   * 40,000-110,000 txs; a second ladder on the same node ran measurably slower on the database and
   * heap the first left behind.
   */
  async function onFreshNetwork(body) {
    const { net, accounts, addresses } = await startSocialBenchNetwork(N);
    const runner = await createLoadRunner(net);
    try {
      return await body({ net, accounts, addresses, runner });
    } finally {
      runner.close();
      await net.stop();
    }
  }

  // The MsgSend rate on this genesis and machine: what the social mix is compared with. Measured
  // as bench:chain does, after an untimed warm-up at the ladder's first rate (the node's JIT, its
  // caches and heap sizing); the mix gets the same warm-up at its own first rate below.
  const measureSend = () =>
    onFreshNetwork(({ net, addresses, runner }) =>
      runLadder(runner, {
        label: "send",
        rates: args["send-rates"].split(",").map(Number),
        seconds,
        warmupSeconds: Number(args["warmup-seconds"]),
        refine: Number(args.refine),
        build: transferBuilder(net, addresses),
      }),
    );

  // The mix's set-up (its first posts and comments, at a low rate) and ladder, shared with
  // bench:workers (scripts/bench/social-mix.mjs). The set-up's 800 txs in small blocks leave the
  // node cold for full blocks, so the ladder starts, as MsgSend's does, with the first rate offered
  // untimed for --warmup-seconds.
  const measureMix = () =>
    onFreshNetwork(async ({ net, accounts, runner }) => {
      const postOf = await warmUpSocial(net, runner, accounts);
      return runLadder(runner, {
        label: "social",
        rates: args.rates.split(",").map(Number),
        seconds,
        warmupSeconds: Number(args["warmup-seconds"]),
        refine: Number(args.refine),
        build: await socialMix(net, accounts, postOf),
      });
    });

  const rounds = [];
  for (let r = 0; r < Number(args.rounds); r++) {
    let send;
    let mixed;
    if (r % 2 === 0) {
      send = await measureSend();
      mixed = await measureMix();
    } else {
      mixed = await measureMix();
      send = await measureSend();
    }
    rounds.push({ send, mixed });
  }
  return rounds;
}

// ---------------------------------------------------------------- 2. queries over 1M posts

async function runQueries() {
  const { openBenchState } = await import("./bench/state-builder.mjs");
  const { encodeAddress } = await load("chain", "crypto", "address.js");
  const { identityModule } = await load("contracts", "identity", "module.js");
  const { socialModule } = await load("contracts", "social", "module.js");
  const { msgCreatePost, msgCreateComment } = await load("contracts", "social", "msg-content.js");
  const q = await load("contracts", "social", "query-types.js");
  const { SOCIAL_QUERY_PATHS } = await load("contracts", "social", "query.js");
  const { createHash } = await import("node:crypto");

  const POSTS = Number(args.posts);
  const AUTHORS = 2_000;
  const COMMUNITY_COUNT = 20;
  const THREADS = 200;
  const COMMENTS_PER_THREAD = 60;
  const addresses = Array.from({ length: AUTHORS }, (_, i) =>
    encodeAddress(createHash("sha256").update(`social-bench-${i}`).digest().subarray(0, 20)),
  );
  const bench = await openBenchState({ name: "social" });
  const t0 = performance.now();
  await bench.commitBlock((ctx) => {
    const g = benchSocialGenesis(addresses);
    identityModule.initGenesis(ctx, g.identity);
    socialModule.initGenesis(ctx, {
      ...g.social,
      communities: Array.from({ length: COMMUNITY_COUNT }, (_, c) => ({
        slug: `c${c}`,
        name: `Community ${c}`,
        visibility: "PUBLIC",
        creator: addresses[0],
        members: addresses.slice(1),
      })),
    });
  });
  const PER_BLOCK = 20_000;
  let next = 0;
  let firstPostId;
  while (next < POSTS) {
    const end = Math.min(POSTS, next + PER_BLOCK);
    await bench.commitBlock((ctx) => {
      for (let i = next; i < end; i++) {
        const r = msgCreatePost.handle(ctx, {
          author: addresses[i % AUTHORS],
          communityId: BigInt(1 + (i % COMMUNITY_COUNT)),
          title: `Post number ${i}`,
          body: "Lorem ipsum dolor sit amet, consectetur adipiscing elit. ".repeat(4),
          link: "",
          collaborators: [],
        });
        if (firstPostId === undefined) firstPostId = social.MsgCreatePostResponse.decode(r.value).id;
      }
    });
    next = end;
    if (next % 100_000 === 0) log(`${next} posts (${((performance.now() - t0) / 1000).toFixed(0)} s)`);
  }
  // Threads: replies to replies, three levels deep, on posts spread over the id range.
  const threadRoots = Array.from(
    { length: THREADS },
    (_, t) => firstPostId + BigInt(Math.floor((t * POSTS) / THREADS)),
  );
  await bench.commitBlock((ctx) => {
    for (const root of threadRoots) {
      let parents = [root];
      for (let c = 0; c < COMMENTS_PER_THREAD; c++) {
        const parent = parents[c % parents.length];
        const r = msgCreateComment.handle(ctx, {
          author: addresses[(c * 7) % AUTHORS],
          parentId: parent,
          body: "A reply with a few words in it.",
        });
        const id = social.MsgCreateCommentResponse.decode(r.value).id;
        if (c % 3 === 0) parents = [...parents, id].slice(-4);
      }
    }
  });
  const fillSeconds = (performance.now() - t0) / 1000;
  log(`state built in ${fillSeconds.toFixed(0)} s`);

  const qctx = {
    block: bench.block(bench.height),
    get: (k) => bench.state.get(k),
    range: (prefix, opts) => bench.state.range(prefix, opts),
  };
  const run = async (path, reqType, req) =>
    socialModule.queries[path](qctx, reqType.encode(reqType.fromPartial(req)).finish());
  const QUERIES = Number(args.queries);
  async function time(label, makeRequest) {
    const samples = [];
    for (let i = 0; i < QUERIES; i++) {
      const [path, reqType, req] = await makeRequest(i);
      const start = performance.now();
      await run(path, reqType, req);
      samples.push(performance.now() - start);
    }
    samples.sort((a, b) => a - b);
    const r = {
      query: label,
      count: QUERIES,
      p50Ms: round(pct(samples, 50)),
      p99Ms: round(pct(samples, 99)),
      maxMs: round(samples[samples.length - 1]),
    };
    log(JSON.stringify(r));
    return r;
  }
  let seed = 12345;
  const rnd = (n) => {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    return seed % n;
  };
  // Cursors 50 pages deep (1000 posts back) for the deep-page case.
  const deepCursors = [];
  for (let c = 0; c < COMMUNITY_COUNT; c++) {
    let key = new Uint8Array();
    for (let p = 0; p < 50; p++) {
      const res = q.QueryCommunityFeedResponse.decode(
        await run(SOCIAL_QUERY_PATHS.CommunityFeed, q.QueryCommunityFeedRequest, {
          communityId: BigInt(c + 1),
          pagination: { key, limit: 20n },
        }),
      );
      key = res.pagination.nextKey;
    }
    deepCursors.push(key);
  }
  const results = [
    await time("communityFeed.firstPage", () => [
      SOCIAL_QUERY_PATHS.CommunityFeed,
      q.QueryCommunityFeedRequest,
      { communityId: BigInt(1 + rnd(COMMUNITY_COUNT)), pagination: { limit: 20n } },
    ]),
    await time("communityFeed.page50", () => {
      const c = rnd(COMMUNITY_COUNT);
      return [
        SOCIAL_QUERY_PATHS.CommunityFeed,
        q.QueryCommunityFeedRequest,
        { communityId: BigInt(c + 1), pagination: { key: deepCursors[c], limit: 20n } },
      ];
    }),
    await time("authorFeed.firstPage", () => [
      SOCIAL_QUERY_PATHS.AuthorFeed,
      q.QueryAuthorFeedRequest,
      { author: addresses[rnd(AUTHORS)], pagination: { limit: 20n } },
    ]),
    await time("thread.firstPage", () => [
      SOCIAL_QUERY_PATHS.Thread,
      q.QueryThreadRequest,
      { postId: threadRoots[rnd(THREADS)], pagination: { limit: 50n } },
    ]),
    await time("content", () => [
      SOCIAL_QUERY_PATHS.Content,
      q.QueryContentRequest,
      { id: firstPostId + BigInt(rnd(POSTS)) },
    ]),
  ];
  await bench.close();
  return {
    posts: POSTS,
    threads: THREADS,
    commentsPerThread: COMMENTS_PER_THREAD,
    fillSeconds: Math.round(fillSeconds),
    results,
  };
}

// ---------------------------------------------------------------- 3. reputation epoch

function runEpoch() {
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      [path.join(ROOT, "scripts", "bench", "reputation-epoch.mjs")],
      { maxBuffer: 1 << 24 },
      (err, stdout) => {
        if (err) return reject(err);
        resolve(JSON.parse(stdout.trim().split("\n").pop()));
      },
    );
  });
}

const summary = {};
if (!args["skip-load"]) {
  const rounds = (await runLoad()).map(({ send, mixed }, index) => {
    for (const s of send.steps) out({ round: index, sendStep: s });
    for (const s of mixed.steps) out({ round: index, socialStep: s });
    const sendTxPerSec = send.best?.committedPerSec ?? 0;
    const txPerSec = mixed.best?.committedPerSec ?? 0;
    return {
      sendTxPerSec,
      txPerSec,
      p50CommitMs: mixed.best?.p50CommitMs ?? null,
      p99CommitMs: mixed.best?.p99CommitMs ?? null,
      ratioToSend: sendTxPerSec ? round(txPerSec / sendTxPerSec) : null,
      limitedByLadder: { send: send.limitedByLadder, social: mixed.limitedByLadder },
    };
  });
  // One round: its figures. Several: the round whose ratio is the median (the lower middle one
  // for an even count), and every round's figures beside it.
  const byRatio = [...rounds].sort((a, b) => (a.ratioToSend ?? 0) - (b.ratioToSend ?? 0));
  Object.assign(summary, byRatio[Math.floor((byRatio.length - 1) / 2)]);
  if (rounds.length > 1) summary.rounds = rounds;
}
if (!args["skip-queries"]) {
  const queries = await runQueries();
  out({ queries });
  const p99 = (name) => queries.results.find((r) => r.query === name)?.p99Ms;
  summary.threadP99Ms = p99("thread.firstPage");
  summary.feedP99Ms = Math.max(
    p99("communityFeed.firstPage"),
    p99("communityFeed.page50"),
    p99("authorFeed.firstPage"),
  );
  summary.postsInState = queries.posts;
}
if (!args["skip-epoch"]) {
  const epoch = await runEpoch();
  out({ epoch });
  summary.epochMs = epoch.epochMs.p50;
  summary.epochRatings = epoch.ratings;
}
out(summary);
