/**
 * The pipelined commit on a real node: once a block is decided its batch is written while the next
 * height starts on top of it. The test holds the block's LevelDB write back, as a slow disk would,
 * and checks what may and may not happen meanwhile:
 * - CheckTx already runs on the decided block (an account's next sequence is accepted);
 * - queries, the RPC and the block store still answer at the previous, durable block;
 * - the validator signs nothing of the next height;
 * and that once the write lands, the block and the next ones commit as usual.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { homePaths } from "../../chain/config/home.js";
import { readLastSignState } from "../../chain/consensus/last-sign-state.js";
import { bytesEqual, sha256, toBase64, toHexUpper } from "../../chain/crypto/hash.js";
import { Bucket, prefixed } from "../../chain/db/buckets.js";
import type { BatchOp } from "../../chain/db/database.js";
import { getAccount } from "../../contracts/auth/keeper.js";
import { startTestNode, type TestNode } from "../support/node.js";
import { rpcCall } from "../support/process.js";
import { signedSends } from "../support/sends.js";
import { until } from "../support/until.js";

describe("pipelined commit", () => {
  let net: TestNode;

  beforeAll(async () => {
    net = await startTestNode();
  });

  afterAll(async () => {
    await net?.stop();
  });

  /** MsgSend txs from test account 0 with consecutive sequences from `first`, as base64 TxRaw. */
  async function sends(first: number, count: number): Promise<string[]> {
    const txs = await signedSends(net.rpcUrl, net.accounts[0]!, net.accounts[1]!.address, {
      count,
      firstSequence: first,
      amount: "7",
    });
    return txs.map((tx) => Buffer.from(tx).toString("base64"));
  }

  it("builds on a decided block while its write is held, and shows it only once it is durable", async () => {
    const { node } = net;
    const sender = net.accounts[0]!.address;
    const sequenceIn = (store: { get(k: Uint8Array): Uint8Array | undefined }) =>
      getAccount(store, sender)?.sequence ?? 0n;
    const start = Number(sequenceIn(node.app.state));
    const [first, second] = await sends(start, 2);

    // The batch that commits the first tx (it indexes the tx's hash) waits for `release`, and so
    // would any write after it.
    const firstHash = sha256(Buffer.from(first!, "base64"));
    const db = node.db;
    const write = db.write.bind(db);
    let release: () => void = () => undefined;
    let held: bigint | undefined;
    const location = prefixed(Bucket.txLocation, firstHash);
    const commitsFirst = (ops: readonly BatchOp[]) =>
      ops.some((op) => op.type === "put" && bytesEqual(op.key, location));
    db.write = (ops: readonly BatchOp[], opts: { sync: boolean }) => {
      if (held === undefined && !commitsFirst(ops)) return write(ops, opts);
      held ??= node.blockStore.latestHeight + 1n;
      return new Promise<void>((resolve) => {
        release = resolve;
      }).then(() => write(ops, opts));
    };

    const checked = await rpcCall<{ code: number }>(net.rpcUrl, "broadcast_tx_sync", { tx: first });
    expect(checked.code).toBe(0);
    await until("the block with the first tx decided", () => held !== undefined, 20_000);
    const height = held!;
    expect(sequenceIn(node.app.state.head)).toBe(BigInt(start + 1));

    // CheckTx runs on the decided block: the account's next sequence is accepted at once.
    const next = await rpcCall<{ code: number; log: string }>(net.rpcUrl, "broadcast_tx_sync", {
      tx: second,
    });
    expect(next).toMatchObject({ code: 0 });
    // Several timeout_commits later, nothing of the block is visible and nothing more is signed.
    await new Promise((r) => setTimeout(r, 600));
    expect(held).toBe(height);
    expect(node.blockStore.latestHeight).toBe(height - 1n);
    const status = await rpcCall<{ sync_info: { latest_block_height: string } }>(net.rpcUrl, "status");
    expect(status.sync_info.latest_block_height).toBe((height - 1n).toString());
    expect(sequenceIn(node.app.state)).toBe(BigInt(start));
    await expect(rpcCall(net.rpcUrl, "tx", { hash: toBase64(firstHash) })).rejects.toThrow(/not found/);
    const signed = readLastSignState(homePaths(net.home).privValidatorStateFile);
    expect(signed.height).toBe(height);

    // The write lands: the block becomes visible, the next height is signed and committed, and
    // both txs are in the chain.
    release();
    db.write = write;
    await until("two more blocks", () => node.blockStore.latestHeight >= height + 1n, 20_000);
    expect(sequenceIn(node.app.state)).toBe(BigInt(start + 2));
    const found = await rpcCall<{ height: string }>(net.rpcUrl, "tx", { hash: toBase64(firstHash) });
    expect(found.height).toBe(height.toString());
    const afterStatus = await rpcCall<{ sync_info: { latest_app_hash: string } }>(net.rpcUrl, "status");
    const block = await node.blockStore.getBlock(node.blockStore.latestHeight);
    expect(afterStatus.sync_info.latest_app_hash).toBe(toHexUpper(block!.header.appHash));
  });
});
