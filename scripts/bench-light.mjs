// `npm run bench:light`: how fast the light client verifies (issue 10).
//
// Builds in this process a chain of signed light blocks (chain/light/synthetic-chain.ts: real
// ed25519 keys, real header hashes, validator-set hashes, tx and event roots) whose validator set
// changes every EPOCH heights, between 4 and 10 validators, sometimes keeping less than a third of
// the power (so skipping has to bisect). Then, on the main thread (the light client uses one):
//
// - sequential: `verifySequential` from height 1 to the top, every header in turn;
// - skipping: `verifyToHeight` from height 1 to many targets (skipping + bisection);
// - proofs: `verifyProofBundle` of an event proof bundle (JSON.parse of its text included), rooted
//   at the genesis validators, across the set changes;
// - raw: this machine's ed25519 verification rate with node:crypto (cached KeyObjects, vote-sized
//   messages), on the same single thread, interleaved with the runs above.
//
// ratio = signatures the light client checked per second (sequential) / raw rate; goal ≥ 0.7.
// Rates are per second of this process's CPU time (process.cpuUsage), not of wall time: on a
// shared machine other processes take the cores for stretches of a run, and wall time would charge
// those to whichever side was running. Each figure is the median of TRIALS interleaved trials. Human lines go to stderr; the last line
// on stdout is the JSON summary.
import { generateKeyPairSync, randomBytes, sign, verify } from "node:crypto";
import { cpus, loadavg } from "node:os";
import { parseArgs } from "node:util";
import { ensureBuild, ensureDependencies } from "./lib/setup.mjs";

const { values: args } = parseArgs({
  options: {
    height: { type: "string", default: "600" },
    epoch: { type: "string", default: "100" },
    trials: { type: "string", default: "5" },
    "skip-targets": { type: "string", default: "60" },
    proofs: { type: "string", default: "200" },
  },
});

ensureDependencies();
ensureBuild();
const { buildSyntheticChain, newSigningKey, syntheticProofBundle } = await import(
  "../dist/chain/light/synthetic-chain.js"
);
const { verifySequential, verifyToHeight } = await import("../dist/chain/light/skipping.js");
const { verifyProofBundle } = await import("../dist/chain/light/verify-proof.js");

const log = (...m) => process.stderr.write(`[bench:light] ${m.join(" ")}\n`);
const HEIGHT = BigInt(args.height);
const EPOCH = BigInt(args.epoch);
const TRIALS = Number(args.trials);
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const wallSeconds = (t0) => Number(process.hrtime.bigint() - t0) / 1e9;
/** CPU seconds this process spent since `c0` (a process.cpuUsage() reading). */
const cpuSeconds = (c0) => {
  const d = process.cpuUsage(c0);
  return (d.user + d.system) / 1e6;
};

// Epoch e is decided by SIZES[e % n] validators starting at key (e * 3) % KEYS: neighbouring epochs
// share a few validators (sometimes under a third of the power), sets grow and shrink.
const SIZES = [4, 7, 10, 6, 9, 5];
const KEY_COUNT = 16;
const keys = Array.from({ length: KEY_COUNT }, newSigningKey);
const membersAt = (h) => {
  const e = Number((h - 1n) / EPOCH);
  const size = SIZES[e % SIZES.length];
  return Array.from({ length: size }, (_, i) => (e * 3 + i) % KEY_COUNT);
};

const loadBefore = loadavg();
const t0 = process.hrtime.bigint();
const chain = buildSyntheticChain({ chainId: "vivim-bench-light", height: HEIGHT, keys, membersAt });
log(`built ${HEIGHT} signed light blocks in ${wallSeconds(t0).toFixed(1)} s`);
const fetch = async (h) => chain.at(h);
const root = chain.at(1n);

// Half-way up: the set there shares no validator with genesis, so the bundle holds a bisection path.
const proofTarget = HEIGHT / 2n + EPOCH / 2n;
const { bundle, trusted } = await syntheticProofBundle(chain, { target: proofTarget, eventIndex: 1 });
const bundleText = JSON.stringify(bundle);
const proofCheck = verifyProofBundle(JSON.parse(bundleText), { trusted });
if (!proofCheck.ok) throw new Error(`the bench's own bundle does not verify: ${proofCheck.message}`);
log(`event bundle: ${bundle.light_blocks.length} light blocks, ${bundleText.length} bytes`);

// Raw rate: the same work as a commit signature check, without the light client around it.
const raw = Array.from({ length: 64 }, () => {
  const { privateKey, publicKey } = generateKeyPairSync("ed25519");
  const message = randomBytes(110); // a precommit's sign bytes are about this long
  return { publicKey, message, signature: sign(null, message, privateKey) };
});
const RAW_COUNT = 4000;
function runRaw() {
  const c = process.cpuUsage();
  for (let i = 0; i < RAW_COUNT; i++) {
    const r = raw[i % raw.length];
    if (!verify(null, r.message, r.publicKey, r.signature)) throw new Error("raw verify failed");
  }
  return RAW_COUNT / cpuSeconds(c);
}

async function runSequential() {
  const c = process.cpuUsage();
  const r = await verifySequential(chain.chainId, root, HEIGHT, fetch);
  const s = cpuSeconds(c);
  return { headers: r.trace.length / s, sigs: r.signaturesChecked / s };
}

const skipTargets = Array.from({ length: Number(args["skip-targets"]) }, (_, i) =>
  BigInt(2 + Math.floor(((i + 1) * (Number(HEIGHT) - 2)) / Number(args["skip-targets"]))),
);
let pivots = 0;
async function runSkipping() {
  const c = process.cpuUsage();
  let headers = 0;
  let sigs = 0;
  for (const target of skipTargets) {
    const r = await verifyToHeight(chain.chainId, root, target, fetch);
    headers += r.trace.length;
    sigs += r.signaturesChecked;
  }
  const s = cpuSeconds(c);
  pivots = headers - skipTargets.length;
  return { headers: headers / s, targets: skipTargets.length / s, sigs: sigs / s };
}

function runProofs() {
  const n = Number(args.proofs);
  const c = process.cpuUsage();
  let sigs = 0;
  for (let i = 0; i < n; i++) {
    const r = verifyProofBundle(JSON.parse(bundleText), { trusted });
    if (!r.ok) throw new Error(r.message);
    sigs += r.signaturesChecked;
  }
  const s = cpuSeconds(c);
  return { proofs: n / s, sigs: sigs / s };
}

// Warm-up (JIT, key caches), then interleaved trials.
runRaw();
await runSequential();
await runSkipping();
runProofs();
const trials = { raw: [], seq: [], skip: [], proof: [] };
for (let i = 0; i < TRIALS; i++) {
  trials.raw.push(runRaw());
  trials.seq.push(await runSequential());
  trials.raw.push(runRaw());
  trials.skip.push(await runSkipping());
  trials.proof.push(runProofs());
}
const pick = (xs, k) => Math.round(median(xs.map((x) => x[k])));
const rawPerSec = Math.round(median(trials.raw));
const seqSigs = pick(trials.seq, "sigs");
const summary = {
  node: process.version,
  cpu: cpus()[0]?.model ?? "unknown",
  threads: 1,
  clock: "process CPU time",
  heights: Number(HEIGHT),
  validatorSetSizes: SIZES,
  epoch: Number(EPOCH),
  sequentialHeadersPerSec: pick(trials.seq, "headers"),
  skippingHeadersPerSec: pick(trials.skip, "headers"),
  skippingTargetsPerSec: pick(trials.skip, "targets"),
  skippingPivots: pivots,
  proofVerificationsPerSec: pick(trials.proof, "proofs"),
  proofBundleBytes: bundleText.length,
  proofLightBlocks: bundle.light_blocks.length,
  signaturesPerSec: seqSigs,
  rawEd25519PerSec: rawPerSec,
  ratio: Number((seqSigs / rawPerSec).toFixed(3)),
  ratioSkipping: Number((pick(trials.skip, "sigs") / rawPerSec).toFixed(3)),
  ratioProofs: Number((pick(trials.proof, "sigs") / rawPerSec).toFixed(3)),
  trials: TRIALS,
  loadavgBefore: loadBefore.map((x) => Number(x.toFixed(2))),
  loadavgAfter: loadavg().map((x) => Number(x.toFixed(2))),
};
log(
  `sequential ${summary.sequentialHeadersPerSec} headers/s, skipping ${summary.skippingHeadersPerSec} headers/s ` +
    `(${summary.skippingTargetsPerSec} targets/s), ${summary.proofVerificationsPerSec} proofs/s`,
);
log(`signatures ${seqSigs}/s vs raw ed25519 ${rawPerSec}/s on one thread: ratio ${summary.ratio}`);
process.stdout.write(`${JSON.stringify(summary)}\n`);
