// The Node/V8 flags a VIVIM node process runs with. Every launcher passes them (npm start, the
// tests' nodes, the benchmarks, the QA cluster), and bin/vivim.js's shebang carries the same ones
// for operators who run `vivim start` directly (test/unit/node-flags.test.ts keeps the two equal).
//
// --max-semi-space-size=64 (MB; V8's default grows it to 16): a node under load allocates
// ~150 MB/s, and what a tx allocates lives from admission to commit (~0.3-0.6 s: the decoded tx,
// its block's results, events and tree nodes). With 16 MB semi-spaces that outlives two scavenges,
// is promoted, and dies in the old generation, whose full collections then stall block execution
// and writes by 100-300 ms on a 2-core machine. With 64 MB most of it dies young: at 1,000 social
// tx/s the p99 commit time fell from 590-990 ms to 460-510 ms (docs/benchmarks.md).
export const NODE_V8_FLAGS = ["--max-semi-space-size=64"];
