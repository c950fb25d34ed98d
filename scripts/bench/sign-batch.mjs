// Signs the bench txs on all cores (worker threads), outside the timed phase.
import { availableParallelism } from "node:os";
import { Worker } from "node:worker_threads";

const WORKER = new URL("./sign-worker.mjs", import.meta.url);

export async function signAll(specs, chainId) {
  const threads = availableParallelism();
  const chunks = Array.from({ length: threads }, (_, t) => specs.filter((_, i) => i % threads === t));
  const parts = await Promise.all(
    chunks.map(
      (chunk) =>
        new Promise((resolve, reject) => {
          const w = new Worker(WORKER, { workerData: { specs: chunk, chainId } });
          w.once("message", (m) => {
            resolve(m);
            void w.terminate();
          });
          w.once("error", reject);
        }),
    ),
  );
  // Interleave back into the original order so each account's sequences are sent in order.
  const out = [];
  for (let i = 0; i < specs.length; i++) out.push(parts[i % threads][Math.floor(i / threads)]);
  return out;
}
