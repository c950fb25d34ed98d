// `npm run bench:chain`: how many secp256k1-signed MsgSend txs per second one VIVIM node commits
// with p99 commit latency under 1 s, next to this machine's raw signature-verification rate, and
// the per-block commit time as the state grows to 10k, 100k and 1M accounts. With `--validators N`
// the same load goes to an N-validator network of N processes over libp2p (p50 < 1 s, p99 < 2 s).
//
// Txs are signed before each timed phase (clients share the two cores with the node), then offered
// over JSON-RPC from two client processes at rising rates; commit times come from the node's
// /websocket NewBlock events. An untimed warm-up step at the first rate comes first, so the first
// timed step does not also pay for the processes' JIT and caches warming up. The last line printed
// is the JSON summary.

import path from "node:path";
import { parseArgs } from "node:util";
import { ensureBuild, ensureDependencies, ROOT } from "./lib/setup.mjs";

const { values: args } = parseArgs({
  options: {
    // Default: a ladder past what this machine sustains (one validator ~4,000-5,200 tx/s, four
    // ~1,300-1,500), so that the figure is the node's limit and not the ladder's top.
    rates: { type: "string" },
    seconds: { type: "string", default: "8" },
    accounts: { type: "string", default: "400" },
    "state-sizes": { type: "string", default: "10000,100000,1000000" },
    "skip-state": { type: "boolean", default: false },
    validators: { type: "string", default: "1" },
    "warmup-seconds": { type: "string", default: "4" },
    // Steps that bisect between the last sustained rate and the first failed one (runLadder).
    refine: { type: "string", default: "1" },
  },
});

ensureDependencies();
ensureBuild();
const DIST = path.join(ROOT, "dist");
const log = (...m) => process.stderr.write(`[bench] ${m.join(" ")}\n`);
const out = (value) => process.stdout.write(`${JSON.stringify(value)}\n`);
const { measureSigVerifyPerSec, nativeSecp256k1Path } = await import("./bench/sig-rate.mjs");
const { benchAccount } = await import("./bench/keys.mjs");
const { createLoadRunner, runLadder, startBenchNetwork, transferBuilder } = await import(
  "./bench/network.mjs"
);

const VALIDATORS = Number(args.validators);
const ACCOUNTS = Number(args.accounts);
const accounts = Array.from({ length: ACCOUNTS }, (_, i) => benchAccount(i));
const net = await startBenchNetwork({ validators: VALIDATORS, accounts });

// The machine's raw rate is the node's own verifier's: libsecp256k1 when its binding loads (the
// node's default), else node:crypto. node:crypto's rate is printed too, the reference of earlier runs.
const nodeCryptoSigVerifyPerSec = await measureSigVerifyPerSec({ backend: "node" });
const verifier = nativeSecp256k1Path() ? "libsecp256k1" : "node:crypto";
const sigVerifyPerSec =
  verifier === "libsecp256k1"
    ? await measureSigVerifyPerSec({ backend: "native" })
    : nodeCryptoSigVerifyPerSec;
log(
  `raw secp256k1 verification on all cores: ${sigVerifyPerSec}/s with ${verifier}, ${nodeCryptoSigVerifyPerSec}/s with node:crypto`,
);

const runner = await createLoadRunner(net);
const DEFAULT_RATES =
  VALIDATORS > 1
    ? "500,700,900,1100,1300,1500,1700,1900,2100"
    : "1000,2000,3000,3400,3800,4200,4600,5000,5400,5800,6200,6600";
const { steps, best, limitedByLadder } = await runLadder(runner, {
  label: "send",
  rates: (args.rates ?? DEFAULT_RATES).split(",").map(Number),
  seconds: Number(args.seconds),
  warmupSeconds: Number(args["warmup-seconds"]),
  build: transferBuilder(
    net,
    accounts.map((a) => a.address),
  ),
  refine: Number(args.refine),
  // One node: p99 under 1 s. A multi-validator network: p50 under 1 s and p99 under 2 s.
  p99BoundMs: VALIDATORS > 1 ? 2000 : 1000,
});
runner.close();
await net.stop();

// ---- commit time against state size
if (!args["skip-state"]) {
  const { measureStateCommit } = await import("./bench/state-commit.mjs");
  for (const n of args["state-sizes"].split(",").map(Number)) {
    const r = await measureStateCommit(DIST, n);
    out({ stateCommit: r });
  }
}

for (const s of steps) out({ step: s });
const txPerSec = best ? best.committedPerSec : 0;
out({
  txPerSec,
  p50CommitMs: best?.p50CommitMs ?? null,
  p99CommitMs: best?.p99CommitMs ?? null,
  sigVerifyPerSec,
  verifier,
  validators: VALIDATORS,
  // The ladder's last rate was sustained too: the node's limit is higher than txPerSec.
  limitedByLadder,
  // Every validator verifies every tx on the same cores: the work done is txPerSec × validators.
  ratio: Number(((txPerSec * VALIDATORS) / sigVerifyPerSec).toFixed(3)),
  nodeCryptoSigVerifyPerSec,
  ratioToNodeCrypto: Number(((txPerSec * VALIDATORS) / nodeCryptoSigVerifyPerSec).toFixed(3)),
});
