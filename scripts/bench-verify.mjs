#!/usr/bin/env node
/**
 * Signature verification throughput: verify.ts on the main thread vs SignatureVerifierPool with 1
 * and 2 worker threads, secp256k1 (on libsecp256k1, the node's default, and on node:crypto) and ed25519. Imports the compiled code, so build first:
 *   npx tsc -p tsconfig.build.json && node scripts/bench-verify.mjs
 * Method as in shared/reference/limits.md: 64 signers (warm KeyObject caches, like a busy mempool),
 * 256-byte messages (about a SignDoc), low-S secp256k1 signatures; each figure is the median of
 * TRIALS timed runs of a fixed workload, with trials interleaved across variants so that host drift
 * hits all of them alike. Prints one JSON object. Env: TRIALS, TYPES (e.g. secp256k1), SECP_JOBS, ED_JOBS.
 * Read `coresUsed` next to each figure: on a shared VM another process can take a core mid-run.
 */
import { createPrivateKey, generateKeyPairSync, randomBytes, sign } from "node:crypto";
import { availableParallelism, cpus, loadavg } from "node:os";
import { verifySignature } from "../dist/chain/crypto/verify.js";
import { SignatureVerifierPool } from "../dist/chain/crypto/verify-pool.js";

const TRIALS = Number(process.env.TRIALS ?? 3);
const SIGNERS = 64;
const UNIQUE_JOBS = 1024;
const WORKLOAD = {
  secp256k1: Number(process.env.SECP_JOBS ?? 4096),
  ed25519: Number(process.env.ED_JOBS ?? 16384),
};
/** e.g. TYPES=secp256k1 to measure one key type only. */
const TYPES = (process.env.TYPES ?? "secp256k1,ed25519").split(",");
const N = 0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141n;

function lowS(sig) {
  const s = BigInt(`0x${sig.subarray(32).toString("hex")}`);
  if (s <= N / 2n) return sig;
  return Buffer.concat([sig.subarray(0, 32), Buffer.from((N - s).toString(16).padStart(64, "0"), "hex")]);
}

function makeJobs(type) {
  const keys = Array.from({ length: SIGNERS }, () => {
    const { privateKey, publicKey } =
      type === "secp256k1"
        ? generateKeyPairSync("ec", { namedCurve: "secp256k1" })
        : generateKeyPairSync("ed25519");
    const jwk = publicKey.export({ format: "jwk" });
    const x = Buffer.from(jwk.x, "base64url");
    const pubkey =
      type === "secp256k1"
        ? Buffer.concat([Buffer.from([Buffer.from(jwk.y, "base64url")[31] & 1 ? 3 : 2]), x])
        : x;
    return { privateKey: createPrivateKey(privateKey.export({ format: "pem", type: "pkcs8" })), pubkey };
  });
  return Array.from({ length: UNIQUE_JOBS }, (_, i) => {
    const { privateKey, pubkey } = keys[i % SIGNERS];
    const message = randomBytes(256);
    const signature =
      type === "secp256k1"
        ? lowS(sign("sha256", message, { key: privateKey, dsaEncoding: "ieee-p1363" }))
        : sign(null, message, privateKey);
    return {
      type,
      pubkey: new Uint8Array(pubkey),
      message: new Uint8Array(message),
      signature: new Uint8Array(signature),
    };
  });
}

async function runPool(pool, jobs, count) {
  const all = [];
  for (let i = 0; i < count; i++) all.push(pool.verify(jobs[i % jobs.length]));
  const results = await Promise.all(all);
  return results.filter((ok) => !ok).length;
}

function runMain(jobs, count, opts) {
  let bad = 0;
  for (let i = 0; i < count; i++) {
    const j = jobs[i % jobs.length];
    if (!verifySignature(j.type, j.pubkey, j.message, j.signature, opts)) bad++;
  }
  return bad;
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

// Other processes on a shared VM skew the figures; the load averages let a reader judge.
const loadBefore = loadavg();
const jobs = Object.fromEntries(TYPES.map((t) => [t, makeJobs(t)]));
const pools = {};
for (const secp256k1 of ["native", "node"])
  for (const threads of [1, 2]) {
    pools[`${secp256k1}${threads}`] = new SignatureVerifierPool({ threads, secp256k1 });
    await pools[`${secp256k1}${threads}`].start();
  }

const variants = [];
for (const type of TYPES) {
  // ed25519 has one implementation (node:crypto); secp256k1 has two.
  const backends = type === "secp256k1" ? ["native", "node"] : ["node"];
  for (const backend of backends) {
    const label =
      type === "secp256k1" ? `${type} ${backend === "native" ? "libsecp256k1" : "node:crypto"}` : type;
    variants.push({
      name: `main-thread verify.ts ${label}`,
      type,
      threads: 0,
      run: async (n) => runMain(jobs[type], n, backend === "node" ? { native: null } : {}),
    });
    for (const t of [1, 2]) {
      variants.push({
        name: `pool ${t} thread(s) ${label}`,
        type,
        threads: t,
        run: (n) => runPool(pools[`${backend}${t}`], jobs[type], n),
      });
    }
  }
}

// Warm-up: JIT, worker start-up and every worker's KeyObject cache.
for (const v of variants) await v.run(UNIQUE_JOBS);

const runs = new Map(variants.map((v) => [v.name, []]));
// Cores this process actually got during each run (all threads): ~1 for main/1 thread, ~2 for 2 threads
// on an idle machine. Much lower means other processes took the CPU, and the figure understates us.
const coresUsed = new Map(variants.map((v) => [v.name, []]));
let invalid = 0;
for (let trial = 0; trial < TRIALS; trial++) {
  for (const v of variants) {
    const n = WORKLOAD[v.type];
    const c0 = process.cpuUsage();
    const t0 = process.hrtime.bigint();
    invalid += await v.run(n);
    const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
    const cpu = process.cpuUsage(c0);
    runs.get(v.name).push(Math.round(n / seconds));
    coresUsed.get(v.name).push(Number(((cpu.user + cpu.system) / 1e6 / seconds).toFixed(2)));
  }
}
for (const pool of Object.values(pools)) await pool.stop();

process.stdout.write(
  `${JSON.stringify(
    {
      node: process.version,
      cpu: cpus()[0]?.model ?? "unknown",
      availableParallelism: availableParallelism(),
      date: new Date().toISOString(),
      method: `median of ${TRIALS} interleaved trials; ${SIGNERS} signers, 256-byte messages, cached KeyObjects`,
      loadavgBefore: loadBefore.map((x) => Number(x.toFixed(2))),
      loadavgAfter: loadavg().map((x) => Number(x.toFixed(2))),
      invalidResults: invalid,
      results: variants.map((v) => ({
        variant: v.name,
        type: v.type,
        threads: v.threads,
        jobsPerTrial: WORKLOAD[v.type],
        verifyPerSec: median(runs.get(v.name)),
        runs: runs.get(v.name),
        coresUsed: coresUsed.get(v.name),
      })),
    },
    null,
    2,
  )}\n`,
);
