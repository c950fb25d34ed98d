/**
 * The merkle worker hashes the roots every header commits to, so its roots must be
 * BlockMerkleTree's for any leaves; and when it cannot answer, it must say so (the caller then
 * hashes inline) rather than hang or answer wrongly.
 */
import { afterEach, describe, expect, it } from "vitest";
import { until } from "../../test/support/until.js";
import { BlockMerkleTree } from "./merkle.js";
import { LeafPack, MerkleRootWorker, MerkleWorkerUnavailableError } from "./merkle-worker.js";

function leaves(count: number, size: (i: number) => number, seed: number): Uint8Array[] {
  return Array.from({ length: count }, (_, i) =>
    Uint8Array.from({ length: size(i) }, (_, j) => (seed + i * 131 + j * 7) & 0xff),
  );
}

function pack(trees: readonly Uint8Array[][]): LeafPack {
  const p = new LeafPack();
  for (const [t, tree] of trees.entries()) {
    p.beginTree();
    for (const [i, leaf] of tree.entries()) {
      // Half the leaves written in place, as event leaves are; half added whole.
      if ((t + i) % 2 === 0) p.add(leaf);
      else p.write(leaf.length).raw(leaf).finish();
    }
  }
  return p;
}

describe("MerkleRootWorker", () => {
  let worker: MerkleRootWorker | undefined;
  afterEach(async () => {
    await worker?.stop();
    worker = undefined;
  });

  it("gives BlockMerkleTree's root for each packed tree, empty and past the pack's first buffer too", async () => {
    worker = new MerkleRootWorker();
    await worker.start();
    const trees = [
      leaves(0, () => 0, 1),
      leaves(1, () => 32, 2),
      leaves(7, (i) => i * 3, 3),
      leaves(3_000, (i) => 20 + (i % 60), 4),
      leaves(3, () => 100_000, 5),
    ];
    const roots = await worker.roots(pack(trees));
    expect(roots).toEqual(trees.map((t) => new BlockMerkleTree(t).root));
  });

  it("answers concurrent requests each with its own roots", async () => {
    worker = new MerkleRootWorker();
    await worker.start();
    const batches = Array.from({ length: 12 }, (_, b) => [leaves(b * 5, (i) => i + b, b)]);
    const roots = await Promise.all(batches.map((trees) => worker!.roots(pack(trees))));
    expect(roots).toEqual(batches.map((trees) => trees.map((t) => new BlockMerkleTree(t).root)));
  });

  it("gives up on a worker that stops answering, and replaces it", async () => {
    worker = new MerkleRootWorker({ answerTimeoutMs: 300 });
    await worker.start();
    worker.stallForTest();
    await expect(worker.roots(pack([leaves(3, () => 8, 1)]))).rejects.toThrow(/no answer in 300 ms/);
    await until("a fresh worker", () => worker!.available, 10_000);
    const tree = leaves(4, () => 8, 2);
    expect(await worker.roots(pack([tree]))).toEqual([new BlockMerkleTree(tree).root]);
  });

  it("refuses when not started or stopped, and fails what a crash left in flight, then recovers", async () => {
    worker = new MerkleRootWorker();
    expect(worker.available).toBe(false);
    await expect(worker.roots(pack([leaves(2, () => 8, 1)]))).rejects.toBeInstanceOf(
      MerkleWorkerUnavailableError,
    );

    await worker.start();
    expect(worker.available).toBe(true);
    worker.crashForTest();
    await expect(worker.roots(pack([leaves(2_000, () => 64, 2)]))).rejects.toBeInstanceOf(
      MerkleWorkerUnavailableError,
    );
    await until("the worker to come back", () => worker!.available, 10_000);
    const tree = leaves(9, () => 16, 3);
    expect(await worker.roots(pack([tree]))).toEqual([new BlockMerkleTree(tree).root]);

    const refused = expect(worker.roots(pack([leaves(5_000, () => 64, 4)]))).rejects.toBeInstanceOf(
      MerkleWorkerUnavailableError,
    );
    await worker.stop();
    await refused;
    expect(worker.available).toBe(false);
  });
});
