/**
 * A node home records the state tree format it was made with. A home from before the 16-ary tree
 * (no record: format 1) holds nodes and app hashes this code cannot read, so the node refuses it
 * by name at open instead of failing on its first tree read.
 */
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { homePaths } from "../../chain/config/home.js";
import { Bucket, prefixed } from "../../chain/db/buckets.js";
import { Database } from "../../chain/db/database.js";
import { VivimNode } from "../../chain/node/node.js";
import { silentLogger } from "../../chain/util/logger.js";
import { fastConfig, startTestNode, type TestNode } from "../support/node.js";
import { until } from "../support/until.js";

const STATE_FORMAT_KEY = prefixed(Bucket.meta, new TextEncoder().encode("state_format"));

async function editDb(home: string, edit: (db: Database) => Promise<void>): Promise<void> {
  const db = new Database(path.join(homePaths(home).dataDir, "vivim.db"));
  await db.open();
  try {
    await edit(db);
  } finally {
    await db.close();
  }
}

describe("state tree format of a home", () => {
  let net: TestNode | undefined;
  afterAll(async () => net?.stop());

  it("is recorded at genesis, and a home without it is refused with a clear error", async () => {
    net = await startTestNode();
    const { home } = net;
    await until("height 2", () => net!.node.blockStore.latestHeight >= 2n);
    expect(await net.node.blockStore.stateFormat()).toBe(2);
    await net.stop({ keepHome: true });
    const stoppedAt = net.node.blockStore.latestHeight;

    // An older home: the same data without the record.
    await editDb(home, (db) => db.write([{ type: "del", key: STATE_FORMAT_KEY }], { sync: true }));
    await expect(VivimNode.open({ home, config: fastConfig(), logger: silentLogger() })).rejects.toThrow(
      /holds state tree format 1, written by an earlier VIVIM.*--fresh/,
    );

    // The refusal left the database closed and untouched: with the record back it opens and
    // carries on from where it stopped.
    await editDb(home, (db) =>
      db.write([{ type: "put", key: STATE_FORMAT_KEY, value: Uint8Array.of(2) }], { sync: true }),
    );
    net = await startTestNode({ home });
    expect(net.node.blockStore.latestHeight).toBe(stoppedAt);
    await until("a new block", () => net!.node.blockStore.latestHeight > stoppedAt);
  });
});
