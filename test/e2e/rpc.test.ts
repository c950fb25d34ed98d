/**
 * The CometBFT RPC surface beyond what cosmjs exercises: paging, the URI form, WebSocket
 * subscriptions, inclusion and state proofs, and bad input that must get coded errors while the
 * node keeps committing.
 */
import { SigningStargateClient } from "@cosmjs/stargate";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { WebSocket } from "ws";
import { BlockMerkleTree, verifyMerkleProof } from "../../chain/block/merkle.js";
import { decodeAddress } from "../../chain/crypto/address.js";
import { fromBase64, fromHex, sha256, toHex } from "../../chain/crypto/hash.js";
import { headerFromJson, txProofFromJson } from "../../chain/rpc/json.js";
import { decodeStateProof, verifyStateProof } from "../../chain/state/tree/index.js";
import { accountKey } from "../../contracts/auth/keeper.js";
import { startTestNode, type TestNode } from "../support/node.js";
import { rpcCall } from "../support/process.js";

const fee = { amount: [{ denom: "uvivim", amount: "100" }], gas: "200000" };

interface RpcReply {
  id?: number;
  error?: { code: number };
  result?: { data?: { type?: string }; events?: Record<string, string[]> };
}

async function raw(
  url: string,
  body: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; json: RpcReply & RpcReply[] }> {
  const res = await fetch(url, {
    method: "POST",
    body,
    headers: { "content-type": "application/json", ...headers },
  });
  const text = await res.text();
  return { status: res.status, json: text ? JSON.parse(text) : undefined };
}

describe("CometBFT RPC", () => {
  let net: TestNode;
  const hashes: string[] = [];
  let height = 0;

  beforeAll(async () => {
    net = await startTestNode();
    const [alice, bob] = net.accounts;
    const client = await SigningStargateClient.connectWithSigner(net.rpcUrl, alice!.wallet, {
      broadcastPollIntervalMs: 100,
    });
    for (let i = 0; i < 7; i++) {
      const r = await client.sendTokens(
        alice!.address,
        bob!.address,
        [{ denom: "uvivim", amount: String(i + 1) }],
        fee,
        `paging ${i}`,
      );
      hashes.push(r.transactionHash);
      height = r.height;
    }
    client.disconnect();
  });

  afterAll(async () => {
    await net?.stop();
  });

  it("pages tx_search results consistently in both orders", async () => {
    const query = `message.sender='${net.accounts[0]!.address}'`;
    const pages: string[] = [];
    for (let page = 1; page <= 3; page++) {
      const r = await rpcCall<{ txs: Array<{ hash: string }>; total_count: string }>(
        net.rpcUrl,
        "tx_search",
        {
          query,
          page: String(page),
          per_page: "3",
        },
      );
      expect(r.total_count).toBe("7");
      pages.push(...r.txs.map((t) => t.hash));
    }
    expect(pages).toEqual(hashes);
    const desc = await rpcCall<{ txs: Array<{ hash: string }> }>(net.rpcUrl, "tx_search", {
      query,
      per_page: "100",
      order_by: "desc",
    });
    expect(desc.txs.map((t) => t.hash)).toEqual([...hashes].reverse());
    await expect(rpcCall(net.rpcUrl, "tx_search", { query, page: "9", per_page: "3" })).rejects.toThrow(
      /page should be within/,
    );
  });

  it("answers the URI form and CORS preflight", async () => {
    const res = await fetch(`${net.rpcUrl}/tx?hash=0x${hashes[0]}`);
    const body = (await res.json()) as { result: { hash: string } };
    expect(body.result.hash).toBe(hashes[0]);
    const pre = await fetch(net.rpcUrl, { method: "OPTIONS", headers: { origin: "http://example.test" } });
    expect(pre.status).toBe(204);
    expect(pre.headers.get("access-control-allow-origin")).toBe("*");
    expect((await fetch(`${net.rpcUrl}/no_such_method`)).status).toBe(404);
  });

  it("proves a tx against the header's data hash and an event against its event root", async () => {
    const tx = await rpcCall<Record<string, unknown>>(net.rpcUrl, "tx", { hash: hashes[0], prove: true });
    const { root, tx: txBytes, proof } = txProofFromJson(tx.proof);
    const block = await rpcCall<{ block: { header: unknown } }>(net.rpcUrl, "block", { height: tx.height });
    const header = headerFromJson(block.block.header);
    expect(toHex(root)).toBe(toHex(header.dataHash));
    expect(verifyMerkleProof(header.dataHash, sha256(txBytes), proof)).toBe(true);
    expect(verifyMerkleProof(header.dataHash, sha256(new Uint8Array([1, 2, 3])), proof)).toBe(false);

    const ev = await rpcCall<{
      leaf: string;
      proof: {
        index: string;
        total: string;
        leaf_hash: string;
        aunts: string[];
        sides: Array<"left" | "right">;
      };
      header: unknown;
    }>(net.rpcUrl, "event_proof", { height: tx.height, tx_index: tx.index, event_index: 0 });
    const evHeader = headerFromJson(ev.header);
    const evProof = {
      index: Number(ev.proof.index),
      total: Number(ev.proof.total),
      leafHash: fromBase64(ev.proof.leaf_hash),
      steps: ev.proof.aunts.map((a, i) => ({ side: ev.proof.sides[i]!, hash: fromBase64(a) })),
    };
    expect(verifyMerkleProof(evHeader.eventRoot, fromBase64(ev.leaf), evProof)).toBe(true);
    expect(new BlockMerkleTree([fromBase64(ev.leaf)]).size).toBe(1);
  });

  it("proves a state value and an absence against the app hash", async () => {
    const key = accountKey(decodeAddress(net.accounts[0]!.address));
    const res = await rpcCall<{
      response: { value: string; proofOps: { ops: Array<{ data: string }> }; height: string };
    }>(net.rpcUrl, "abci_query", { path: "/store/state/key", data: toHex(key), prove: true });
    const block = await rpcCall<{ block: { header: { app_hash: string } } }>(net.rpcUrl, "block", {
      height: res.response.height,
    });
    const appHash = fromHex(block.block.header.app_hash);
    const proof = decodeStateProof(fromBase64(res.response.proofOps.ops[0]!.data));
    expect(verifyStateProof(appHash, key, fromBase64(res.response.value), proof)).toBe(true);
    expect(verifyStateProof(appHash, key, new Uint8Array([9]), proof)).toBe(false);

    const missing = accountKey(new Uint8Array(20).fill(3));
    const absent = await rpcCall<{
      response: { value: string | null; proofOps: { ops: Array<{ data: string }> }; height: string };
    }>(net.rpcUrl, "abci_query", { path: "/store/state/key", data: toHex(missing), prove: true });
    expect(absent.response.value).toBeNull();
    const latest = await rpcCall<{ block: { header: { app_hash: string } } }>(net.rpcUrl, "block", {
      height: absent.response.height,
    });
    expect(
      verifyStateProof(
        fromHex(latest.block.header.app_hash),
        missing,
        null,
        decodeStateProof(fromBase64(absent.response.proofOps.ops[0]!.data)),
      ),
    ).toBe(true);
  });

  it("streams NewBlock and filtered Tx events over /websocket", async () => {
    const ws = new WebSocket(`${net.rpcUrl.replace("http", "ws")}/websocket`);
    await new Promise((r) => ws.once("open", r));
    const messages: RpcReply[] = [];
    ws.on("message", (d) => messages.push(JSON.parse(d.toString())));
    const [, bob, carol] = net.accounts;
    ws.send(
      JSON.stringify({
        jsonrpc: "2.0",
        id: 1,
        method: "subscribe",
        params: { query: "tm.event='NewBlock'" },
      }),
    );
    ws.send(
      JSON.stringify({
        jsonrpc: "2.0",
        id: 2,
        method: "subscribe",
        params: { query: `tm.event='Tx' AND transfer.recipient='${carol!.address}'` },
      }),
    );
    ws.send(JSON.stringify({ jsonrpc: "2.0", id: 3, method: "subscribe", params: { query: "tm.event=" } }));
    await expect.poll(() => messages.filter((m) => m.id === 3 && m.error).length).toBe(1);
    const client = await SigningStargateClient.connectWithSigner(net.rpcUrl, bob!.wallet, {
      broadcastPollIntervalMs: 100,
    });
    const sent = await client.sendTokens(
      bob!.address,
      carol!.address,
      [{ denom: "uvivim", amount: "5" }],
      fee,
    );
    client.disconnect();
    await expect
      .poll(
        () => messages.some((m) => m.id === 2 && m.result?.events?.["tx.hash"]?.[0] === sent.transactionHash),
        { timeout: 10_000 },
      )
      .toBe(true);
    expect(messages.some((m) => m.id === 1 && m.result?.data?.type === "tendermint/event/NewBlock")).toBe(
      true,
    );
    ws.close();
  });

  it("announces every block as NewBlockHeader (the header /block serves) and NewBlockEvents", async () => {
    const ws = new WebSocket(`${net.rpcUrl.replace("http", "ws")}/websocket`);
    await new Promise((r) => ws.once("open", r));
    type Announcement = {
      id?: number;
      result?: { data?: { type?: string; value?: Record<string, unknown> } };
    };
    const messages: Announcement[] = [];
    ws.on("message", (d) => messages.push(JSON.parse(d.toString())));
    // The query cosmjs' Comet38Client.subscribeNewBlockHeader() sends.
    ws.send(
      JSON.stringify({
        jsonrpc: "2.0",
        id: 1,
        method: "subscribe",
        params: { query: "tm.event='NewBlockHeader'" },
      }),
    );
    ws.send(
      JSON.stringify({
        jsonrpc: "2.0",
        id: 2,
        method: "subscribe",
        params: { query: "tm.event='NewBlockEvents'" },
      }),
    );
    const announced = (id: number) => messages.filter((m) => m.id === id && m.result?.data);
    await expect.poll(() => announced(1).length, { timeout: 15_000 }).toBeGreaterThanOrEqual(3);
    await expect.poll(() => announced(2).length).toBeGreaterThanOrEqual(1);
    ws.close();

    // Consecutive heights, each header exactly the one /block serves for its height.
    const headers = announced(1).map((m) => {
      expect(m.result!.data!.type).toBe("tendermint/event/NewBlockHeader");
      return m.result!.data!.value!.header as { height: string };
    });
    for (const [i, header] of headers.entries()) {
      if (i > 0) expect(Number(header.height)).toBe(Number(headers[i - 1]!.height) + 1);
      const block = await rpcCall<{ block: { header: unknown } }>(net.rpcUrl, "block", {
        height: header.height,
      });
      expect(header).toEqual(block.block.header);
    }
    const events = announced(2)[0]!.result!.data!;
    expect(events.type).toBe("tendermint/event/NewBlockEvents");
    expect(Number(events.value!.height)).toBeGreaterThan(0);
    expect(events.value!.num_txs).toMatch(/^\d+$/);
    expect(Array.isArray(events.value!.events)).toBe(true);
  });

  it("answers malformed requests with JSON-RPC errors and malformed txs with Cosmos codes, and keeps committing", async () => {
    expect((await raw(net.rpcUrl, "{not json")).json.error?.code).toBe(-32700);
    expect(
      (await raw(net.rpcUrl, JSON.stringify({ jsonrpc: "1.0", id: 1, method: "status" }))).json.error?.code,
    ).toBe(-32600);
    expect(
      (await raw(net.rpcUrl, JSON.stringify({ jsonrpc: "2.0", id: 1, method: "nope" }))).json.error?.code,
    ).toBe(-32601);
    expect(
      (
        await raw(
          net.rpcUrl,
          JSON.stringify({ jsonrpc: "2.0", id: 1, method: "block", params: { height: "abc" } }),
        )
      ).json.error?.code,
    ).toBe(-32602);
    expect(
      (await raw(net.rpcUrl, JSON.stringify({ jsonrpc: "2.0", id: 1, method: "tx", params: { hash: "zz" } })))
        .json.error?.code,
    ).toBe(-32602);
    expect(
      (
        await raw(
          net.rpcUrl,
          JSON.stringify({ jsonrpc: "2.0", id: 1, method: "broadcast_tx_sync", params: { tx: "%%%" } }),
        )
      ).json.error?.code,
    ).toBe(-32602);
    expect(
      (
        await raw(
          net.rpcUrl,
          JSON.stringify({ jsonrpc: "2.0", id: 1, method: "tx_search", params: { query: "a.b='" } }),
        )
      ).json.error?.code,
    ).toBe(-32602);
    expect((await raw(net.rpcUrl, "x".repeat(2_000_000))).status).toBe(413);

    const garbage = await rpcCall<{ code: number; codespace: string }>(net.rpcUrl, "broadcast_tx_sync", {
      tx: Buffer.from([0xff, 0x01, 0x02]).toString("base64"),
    });
    expect(garbage).toMatchObject({ code: 2, codespace: "sdk" });
    const huge = await rpcCall<{ code: number }>(net.rpcUrl, "broadcast_tx_sync", {
      tx: Buffer.alloc(70_000, 1).toString("base64"),
    });
    expect(huge.code).toBe(21);
    const batch = await raw(
      net.rpcUrl,
      JSON.stringify([
        { jsonrpc: "2.0", id: 1, method: "health" },
        { jsonrpc: "2.0", id: 2, method: "nope" },
      ]),
    );
    expect(batch.json.map((r: RpcReply) => r.id)).toEqual([1, 2]);

    await expect
      .poll(
        async () =>
          Number(
            (await rpcCall<{ sync_info: { latest_block_height: string } }>(net.rpcUrl, "status")).sync_info
              .latest_block_height,
          ),
        {
          timeout: 10_000,
        },
      )
      .toBeGreaterThan(height + 1);
  });
});
