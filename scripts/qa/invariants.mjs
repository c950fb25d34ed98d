// The invariants, checked at the end over every node's public interfaces (CometBFT JSON-RPC, the
// app API) and the workers' Redis and audit files. Each check returns { name, pass, evidence }.
import { createHash } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { load, rpcBatch, rpcCall, sleep } from "./cluster.mjs";
import { RECOVERY_BOUND_MS } from "./perturbations.mjs";

const BATCH = 50;
const chunks = (xs, n) =>
  Array.from({ length: Math.ceil(xs.length / n) }, (_, i) => xs.slice(i * n, i * n + n));
const range = (from, to) => Array.from({ length: Math.max(0, to - from + 1) }, (_, i) => from + i);
const txHash = (b64) => createHash("sha256").update(Buffer.from(b64, "base64")).digest("hex").toUpperCase();
/** At most this many examples of a failure in the report. */
const EXAMPLES = 10;

async function batched(url, calls) {
  const out = [];
  for (const c of chunks(calls, BATCH)) out.push(...(await rpcBatch(url, c, 60_000)));
  return out;
}

/**
 * Every block 1..H of one node, H the lowest tip of the nodes that answer (so each of them has
 * them all); a node that does not answer makes the checks that ask it fail.
 */
export async function commonChain(cluster) {
  const tips = await Promise.all(
    cluster.rpcUrls.map((u) =>
      rpcCall(u, "status").then(
        (s) => Number(s.sync_info.latest_block_height),
        () => null,
      ),
    ),
  );
  const answering = tips.map((t, i) => (t === null ? -1 : i)).filter((i) => i >= 0);
  const H = Math.min(...answering.map((i) => tips[i]));
  const url = cluster.rpcUrls[answering[0]];
  const blocks = await batched(
    url,
    range(1, H).map((h) => ["block", { height: String(h) }]),
  );
  return { H, tips, blocks };
}

/** Same block hash and app hash at every height 1..H on every node (`blockchain`, 20 a call). */
export async function sameChain(cluster, { H }) {
  const seen = [];
  for (const url of cluster.rpcUrls) {
    const calls = chunks(range(1, H), 20).map((hs) => [
      "blockchain",
      { minHeight: String(hs[0]), maxHeight: String(hs.at(-1)) },
    ]);
    const metas = new Map();
    for (const r of await batched(url, calls))
      for (const m of r?.block_metas ?? [])
        metas.set(Number(m.header.height), `${m.block_id.hash}/${m.header.app_hash}`);
    seen.push(metas);
  }
  const differing = range(1, H).filter((h) => seen.some((m) => !m.get(h) || m.get(h) !== seen[0].get(h)));
  return {
    name: "same block hash and app hash at every height on every node",
    pass: differing.length === 0,
    evidence: {
      heights: H,
      nodes: cluster.rpcUrls.length,
      differing: differing
        .slice(0, EXAMPLES)
        .map((h) => ({ height: h, perNode: seen.map((m) => m.get(h) ?? null) })),
      differingCount: differing.length,
      tipHashes: seen.map((m) => m.get(H)),
    },
  };
}

/**
 * Every tx the load saw committed is in the common chain exactly once, and every node serves it
 * (`tx` by hash, at the same height) and finds it exactly once (`tx_search tx.hash=`).
 */
export async function txsEverywhere(cluster, { blocks }, hashes) {
  const occurrences = new Map();
  for (const b of blocks)
    for (const t of b?.block.data.txs ?? [])
      occurrences.set(txHash(t), (occurrences.get(txHash(t)) ?? 0) + 1);
  const inChain = hashes.filter((h) => occurrences.has(h));
  const problems = [];
  for (const h of hashes) {
    const n = occurrences.get(h) ?? 0;
    if (n !== 1 && n !== 0) problems.push({ hash: h, problem: `in ${n} blocks` });
  }
  const results = new Map(); // hash → tx_result of node0
  for (const [i, url] of cluster.rpcUrls.entries()) {
    const byHash = await batched(
      url,
      inChain.map((h) => ["tx", { hash: h }]),
    );
    const search = await batched(
      url,
      inChain.map((h) => ["tx_search", { query: `tx.hash='${h}'` }]),
    );
    for (const [j, h] of inChain.entries()) {
      if (!byHash[j]) problems.push({ hash: h, node: i, problem: "tx by hash not found" });
      else if (i === 0) results.set(h, byHash[j]);
      else if (byHash[j].height !== results.get(h)?.height)
        problems.push({ hash: h, node: i, problem: `at height ${byHash[j].height}` });
      if (Number(search[j]?.total_count) !== 1)
        problems.push({ hash: h, node: i, problem: `tx_search found ${search[j]?.total_count}` });
    }
  }
  // Seen by the follower above H only (committed after the slowest node's tip when checked).
  const aboveCommonTip = hashes.length - inChain.length;
  const failed = [...results.values()].filter((r) => r.tx_result.code !== 0);
  return {
    check: {
      name: "every committed tx the load saw is on every node exactly once",
      pass: problems.length === 0,
      evidence: {
        txs: hashes.length,
        checkedOnEveryNode: inChain.length,
        aboveCommonTip,
        problems: problems.slice(0, EXAMPLES),
        problemCount: problems.length,
        committedWithFailedMessages: failed.length,
        failedExample: failed[0]?.tx_result.log ?? null,
      },
    },
    results,
  };
}

/**
 * No validator signed two different votes for one height/round/step: every precommit signature in
 * every node's `commit` of every height, and in every block's last_commit, is collected per
 * (validator, height, round); one key with two different signatures or block ids is a double
 * sign (the signer re-signs identical bytes identically). Also no evidence in any block, and the
 * evidence module's AllEvidence query is empty on every node.
 */
export async function noDoubleSigns(cluster, { H, blocks }) {
  const { encodeAllEvidenceRequest, decodeEvidenceResponse, QUERY_ALL_EVIDENCE } = await load(
    "contracts",
    "evidence",
    "query.js",
  );
  const votes = new Map(); // "validator/height/round" → Set of "blockhash/signature"
  const add = (c) => {
    for (const s of c?.signatures ?? []) {
      if (!s.signature) continue;
      const key = `${s.validator_address}/${c.height}/${c.round}`;
      const set = votes.get(key) ?? new Set();
      set.add(`${c.block_id.hash}/${s.signature}`);
      votes.set(key, set);
    }
  };
  for (const url of cluster.rpcUrls) {
    for (const r of await batched(
      url,
      range(1, H).map((h) => ["commit", { height: String(h) }]),
    ))
      add(r?.signed_header?.commit);
  }
  for (const b of blocks) add(b?.block.last_commit);
  const doubles = [...votes].filter(([, s]) => s.size > 1).map(([key, s]) => ({ key, votes: [...s] }));
  const blockEvidence = blocks
    .filter((b) => (b?.block.evidence?.evidence ?? []).length > 0)
    .map((b) => b.block.header.height);
  const data = Buffer.from(encodeAllEvidenceRequest({})).toString("hex");
  const recorded = [];
  for (const url of cluster.rpcUrls) {
    const r = await rpcCall(url, "abci_query", { path: QUERY_ALL_EVIDENCE, data });
    const value = r.response.value ? Buffer.from(r.response.value, "base64") : new Uint8Array();
    recorded.push(decodeEvidenceResponse(value).evidence.length);
  }
  return {
    name: "no validator signed two different votes for one height/round/step",
    pass: doubles.length === 0 && blockEvidence.length === 0 && recorded.every((n) => n === 0),
    evidence: {
      votesChecked: [...votes.values()].reduce((n, s) => n + s.size, 0),
      keys: votes.size,
      doubleSigns: doubles.slice(0, EXAMPLES),
      blocksWithEvidence: blockEvidence,
      evidenceRecordsPerNode: recorded,
    },
  };
}

const JOB_SETS = [
  ["completed", "zrange"],
  ["wait", "lrange"],
  ["active", "lrange"],
  ["paused", "lrange"],
  ["delayed", "zrange"],
  ["prioritized", "zrange"],
  ["failed", "zrange"],
];
const QUEUES = ["feed", "moderation", "reputation", "health"];

/** Waits (bounded) for the bridge to pass `tip` and the queues to drain. */
export async function workersSettled(cluster, tip) {
  const deadline = Date.now() + RECOVERY_BOUND_MS;
  const r = cluster.redisClient;
  for (;;) {
    const cursor = Number(await r.hget("vivim:bridge", "height").catch(() => 0));
    const open = await Promise.all(
      QUEUES.map(async (q) => (await r.llen(`vivim:${q}:wait`)) + (await r.llen(`vivim:${q}:active`))),
    );
    if (cursor >= tip && open.every((n) => n === 0)) return { cursor, settled: true };
    if (Date.now() > deadline) return { cursor, settled: false, open };
    await sleep(500);
  }
}

/**
 * Every worker job created was completed exactly once or is still queued: each job id (the
 * bridge's `<queue>-<height>`) is in exactly one BullMQ state, none failed; the health queue has a
 * job for every height up to the bridge's cursor, and the feed and moderation queues one for every
 * height with a post of the load.
 */
export async function workerJobs(cluster, postHeights) {
  const r = cluster.redisClient;
  const cursor = Number(await r.hget("vivim:bridge", "height"));
  const problems = [];
  const counts = {};
  let retried = 0;
  const states = new Map(); // queue → Map(id → [state])
  for (const q of QUEUES) {
    const byId = new Map();
    for (const [state, cmd] of JOB_SETS) {
      for (const id of await r[cmd](`vivim:${q}:${state}`, 0, -1))
        byId.set(id, [...(byId.get(id) ?? []), state]);
    }
    states.set(q, byId);
    counts[q] = {};
    for (const [id, s] of byId) {
      for (const st of s) counts[q][st] = (counts[q][st] ?? 0) + 1;
      if (s.length > 1) problems.push({ job: id, problem: `in ${s.join(" and ")}` });
      if (s.includes("failed")) problems.push({ job: id, problem: "failed" });
    }
    // attemptsStarted > 1: a job that was picked up again (after the kill), still completed once.
    const completed = [...byId].filter(([, s]) => s.includes("completed")).map(([id]) => id);
    for (const c of chunks(completed, 200)) {
      const p = r.pipeline();
      for (const id of c) p.hget(`vivim:${q}:${id}`, "ats");
      for (const [, ats] of await p.exec()) if (Number(ats) > 1) retried += 1;
    }
  }
  for (const h of range(1, cursor))
    if (!states.get("health").has(`health-${h}`)) problems.push({ job: `health-${h}`, problem: "missing" });
  for (const h of postHeights) {
    if (h > cursor) continue;
    for (const q of ["feed", "moderation"])
      if (!states.get(q).has(`${q}-${h}`)) problems.push({ job: `${q}-${h}`, problem: "missing" });
  }
  return {
    name: "every worker job was completed exactly once or is still queued",
    pass: problems.length === 0,
    evidence: {
      bridgeCursor: cursor,
      perQueue: counts,
      jobsRetriedAfterAKill: retried,
      problems: problems.slice(0, EXAMPLES),
      problemCount: problems.length,
    },
  };
}

/** How many of `xs` have each key. */
function countBy(xs, key) {
  const out = {};
  for (const x of xs) out[key(x)] = (out[key(x)] ?? 0) + 1;
  return out;
}

function auditRecords(file) {
  if (!existsSync(file)) return [];
  return readFileSync(file, "utf8")
    .split("\n")
    .filter(Boolean)
    .map((l) => JSON.parse(l));
}

/** All txs signed by `address` (tx_search on message.sender), paged. */
async function txsBy(url, address) {
  const out = [];
  for (let page = 1; ; page++) {
    const r = await rpcCall(
      url,
      "tx_search",
      { query: `message.sender='${address}'`, page: String(page), per_page: "100" },
      20_000,
    );
    out.push(...r.txs);
    if (out.length >= Number(r.total_count) || r.txs.length === 0) return out;
  }
}

/**
 * Every on-chain worker action has its audit record and vice versa: each agent's audit log
 * verifies (verifyAuditLog: hashes, chain, seqs, on-chain anchors' roots); every tx its identity
 * signed, other than its anchors, is a record's txHash, and every record's txHash is on chain.
 */
export async function auditMatchesChain(cluster) {
  const { verifyAuditLog } = await load("workers", "audit", "verify.js");
  const perAgent = [];
  let pass = true;
  for (const w of cluster.devnet.workers) {
    const file = path.join(cluster.home, "audit", `${w.agent}.jsonl`);
    const records = auditRecords(file);
    const verification = records.length
      ? await verifyAuditLog({ file, signer: w.address, log: w.agent, node: cluster.rpcUrls[0] })
      : { problemCount: 0, problems: [], anchors: [] };
    const onChain = await txsBy(cluster.rpcUrls[0], w.address);
    const actionOf = (t) =>
      t.tx_result.events.find((e) => e.type === "message")?.attributes.find((a) => a.key === "action")?.value;
    const actions = onChain.filter((t) => !/MsgAnchorAudit$/.test(actionOf(t) ?? ""));
    const anchors = onChain.length - actions.length;
    const recorded = new Set(records.filter((x) => x.txHash).map((x) => x.txHash.toUpperCase()));
    const chainHashes = new Set(onChain.map((t) => t.hash.toUpperCase()));
    const unaudited = actions.filter((t) => !recorded.has(t.hash.toUpperCase())).map((t) => t.hash);
    const notOnChain = [...recorded].filter((h) => !chainHashes.has(h));
    const ok = verification.problemCount === 0 && unaudited.length === 0 && notOnChain.length === 0;
    pass &&= ok;
    perAgent.push({
      agent: w.agent,
      records: records.length,
      outcomes: countBy(records, (x) => x.outcome),
      verifyProblems: verification.problemCount,
      verifyExamples: (verification.problems ?? []).slice(0, 3),
      onChainActions: actions.length,
      anchorTxs: anchors,
      unaudited: unaudited.slice(0, EXAMPLES),
      recordedButNotOnChain: notOnChain.slice(0, EXAMPLES),
      pass: ok,
    });
  }
  return {
    name: "every on-chain worker action has its audit record and vice versa",
    pass,
    evidence: { perAgent },
  };
}

/** Post ids created by committed, successful txs (EventPostCreated's content_id). */
export function postsOf(results) {
  const posts = [];
  for (const [hash, r] of results) {
    if (r.tx_result.code !== 0) continue;
    for (const e of r.tx_result.events)
      if (e.type === "vivim.social.v1.EventPostCreated")
        posts.push({
          id: e.attributes.find((a) => a.key === "content_id")?.value,
          height: Number(r.height),
          hash,
        });
  }
  return posts;
}

/** The feed (app API /vivim/feeds/v1/new, global) contains every committed post of the load. */
export async function feedHasPosts(cluster, posts) {
  const api = cluster.apiUrls[0];
  const inFeed = new Set();
  for (let offset = 0; offset <= 10_000; offset += 100) {
    const r = await (
      await fetch(`${api}/vivim/feeds/v1/new?scope=global&limit=100&offset=${offset}`, {
        signal: AbortSignal.timeout(10_000),
      })
    ).json();
    for (const id of r.post_ids ?? []) inFeed.add(String(BigInt(id)));
    if ((r.post_ids ?? []).length < 100) break;
  }
  const missing = [];
  for (const p of posts) {
    if (inFeed.has(String(p.id))) continue;
    const labels = await (await fetch(`${api}/vivim/labels/v1/subjects/content:${p.id}`))
      .json()
      .catch(() => ({}));
    missing.push({ ...p, labels: labels.labels?.length ?? 0 });
  }
  const unlabelledMissing = missing.filter((m) => m.labels === 0);
  return {
    name: "the feed contains every committed unlabelled post",
    pass: unlabelledMissing.length === 0,
    evidence: {
      posts: posts.length,
      feedSize: inFeed.size,
      missing: missing.slice(0, EXAMPLES),
      unlabelledMissing: unlabelledMissing.length,
    },
  };
}

/** The chain (and the perturbed component) recovered after each perturbation within the bound. */
export function progressAfterPerturbations(perturbations) {
  return {
    name: `progress after each perturbation within ${RECOVERY_BOUND_MS / 1000} s`,
    pass: perturbations.length > 0 && perturbations.every((p) => p.recovered),
    evidence: perturbations.map((p) => ({
      name: p.name,
      chainRecoveryMs: p.chainRecoveryMs ?? null,
      componentRecoveryMs: p.componentRecoveryMs ?? null,
      error: p.error ?? null,
    })),
  };
}

/** During the run, sampled every few seconds: the same block hash at the lowest common height. */
export function agreementSamples(samples) {
  const bad = samples.filter((s) => new Set(s.hashes.filter(Boolean)).size > 1);
  return {
    name: "during the run: the same block hash at the common height of every sample",
    pass: bad.length === 0,
    evidence: { samples: samples.length, disagreeing: bad.slice(0, EXAMPLES) },
  };
}

/** Every DM sent is readable by its recipient after a sync. */
export function dmsDelivered(result) {
  const missing = Object.values(result).reduce((n, d) => n + d.missing.length, 0);
  return {
    name: "every DM sent was delivered and opened by its recipient",
    pass: missing === 0,
    evidence: result,
  };
}

/** No process of the system exited unless a perturbation stopped it (a crash is a finding). */
export function noUnexpectedExits(processes) {
  const exits = Object.entries(processes).filter(([, e]) => e.length > 0);
  return {
    name: "no process exited unless a perturbation stopped it",
    pass: exits.length === 0,
    evidence: Object.fromEntries(exits),
  };
}
