/**
 * `findAnchor`'s input checks (each a coded INVALID_ANCHOR_QUERY before any network call) and its
 * answer when the target cannot be reached. Finding anchors on a real target is test/e2e/anchor.test.ts.
 */
import { createServer } from "node:net";
import { describe, expect, it } from "vitest";
import { type FindAnchorQuery, findAnchor } from "./check.js";

const good: FindAnchorQuery = {
  targetRpc: "http://127.0.0.1:9",
  mode: "memo",
  sourceChainId: "vivim-devnet-1",
  height: 10n,
  headerHash: "AB".repeat(32),
  txHash: "CD".repeat(32),
};

/** A loopback port nothing listens on: bound, then released. */
function closedPort(): Promise<number> {
  return new Promise((resolve) => {
    const srv = createServer().listen(0, "127.0.0.1", () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

describe("findAnchor", () => {
  it("refuses malformed input with INVALID_ANCHOR_QUERY", async () => {
    for (const bad of [
      { targetRpc: "not a url" },
      { targetRpc: "ftp://127.0.0.1:1" },
      { mode: "ibc" as never },
      { sourceChainId: "a:b" },
      { height: 0n },
      { height: 1.5 },
      { height: 1n << 63n },
      { headerHash: "AB".repeat(31) },
      { headerHash: new Uint8Array(33) },
      { headerHash: "zz".repeat(32) },
      { txHash: "12" },
      { txHash: undefined },
    ]) {
      await expect(findAnchor({ ...good, ...bad }), JSON.stringify(Object.keys(bad))).rejects.toMatchObject({
        code: "INVALID_ANCHOR_QUERY",
      });
    }
  });

  it("says TARGET_UNREACHABLE when nothing answers, naming the target by its origin only", async () => {
    const port = await closedPort();
    // Providers put API keys in RPC URLs: the error must not repeat one.
    const err = await findAnchor({
      ...good,
      targetRpc: `http://127.0.0.1:${port}/key-123?k=v`,
    }).catch((e: unknown) => e as Error & { code: string });
    expect(err).toMatchObject({ code: "TARGET_UNREACHABLE" });
    expect((err as Error).message).toContain(`http://127.0.0.1:${port}`);
    expect((err as Error).message).not.toMatch(/key-123|k=v/);
  });
});
