/**
 * The app API (Cosmos REST on :1317) against a real one-validator node: every route, the
 * gRPC-gateway error shapes, CORS, /metrics, and light verification of a committed tx through the
 * CometBFT RPC (tx with proof, commit, validators) with the genesis validator set as the trusted set.
 */
import { createHash } from "node:crypto";
import { toBech32 } from "@cosmjs/encoding";
import { SigningStargateClient } from "@cosmjs/stargate";
import { TxRaw } from "cosmjs-types/cosmos/tx/v1beta1/tx";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ApiServer } from "../../chain/api/server.js";
import { fetchTxBundle } from "../../chain/light/fetch-bundle.js";
import { RpcClient } from "../../chain/light/rpc.js";
import { validatorsFromGenesis } from "../../chain/light/trusted.js";
import { verifyTxBundle } from "../../chain/light/verify-tx.js";
import { FUNDS, startTestNode, type TestAccount, type TestNode } from "../support/node.js";

type Body = Record<string, unknown>;
const fee = { amount: [{ denom: "uvivim", amount: "5000" }], gas: "200000" };
const UNKNOWN = toBech32("vivim", new Uint8Array(20).fill(7)); // valid, never funded

describe("app API (Cosmos REST)", () => {
  let net: TestNode;
  let api: ApiServer;
  let base: string;
  let alice: TestAccount;
  let bob: TestAccount;

  async function get(
    path: string,
    headers: Record<string, string> = {},
  ): Promise<{ status: number; body: Body; res: Response }> {
    const res = await fetch(base + path, { headers });
    const text = await res.text();
    return { status: res.status, body: text.startsWith("{") ? (JSON.parse(text) as Body) : { text }, res };
  }

  async function post(path: string, payload: string | Body): Promise<{ status: number; body: Body }> {
    const res = await fetch(base + path, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: typeof payload === "string" ? payload : JSON.stringify(payload),
    });
    return { status: res.status, body: (await res.json()) as Body };
  }

  function expectGatewayError(r: { status: number; body: Body }, status: number, grpc: number): void {
    expect(r.status).toBe(status);
    expect(r.body.code).toBe(grpc);
    expect(typeof r.body.message).toBe("string");
    expect(r.body.details).toEqual([]);
    expect(JSON.stringify(r.body)).not.toMatch(/\bat .+\.(ts|js):\d+/);
  }

  /** Signs a MsgSend offline with the account's current number and sequence from REST. */
  async function signedSend(from: TestAccount, to: string, amount: string): Promise<Uint8Array> {
    const { body } = await get(`/cosmos/auth/v1beta1/accounts/${from.address}`);
    const account = body.account as { account_number: string; sequence: string };
    const signer = await SigningStargateClient.offline(from.wallet);
    const raw = await signer.sign(
      from.address,
      [
        {
          typeUrl: "/cosmos.bank.v1beta1.MsgSend",
          value: { fromAddress: from.address, toAddress: to, amount: [{ denom: "uvivim", amount }] },
        },
      ],
      fee,
      "rest test",
      {
        accountNumber: BigInt(account.account_number),
        sequence: Number(account.sequence),
        chainId: "vivim-test-1",
      },
    );
    return TxRaw.encode(raw).finish();
  }

  async function waitForTx(hash: string): Promise<Body> {
    let found: { status: number; body: Body } | undefined;
    await expect
      .poll(
        async () => {
          found = await get(`/cosmos/tx/v1beta1/txs/${hash}`);
          return found.status;
        },
        { timeout: 15_000, interval: 100 },
      )
      .toBe(200);
    return found!.body;
  }

  beforeAll(async () => {
    net = await startTestNode();
    [alice, bob] = net.accounts as [TestAccount, TestAccount];
    api = new ApiServer(net.node);
    await api.start();
    base = `http://127.0.0.1:${api.port}`;
    const deadline = Date.now() + 10_000;
    while (net.node.blockStore.latestHeight === 0n && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 50));
  });

  afterAll(async () => {
    await api?.stop();
    await net?.stop();
  });

  it("serves a BaseAccount with @type, and 404 / 400 for unknown and malformed addresses", async () => {
    const r = await get(`/cosmos/auth/v1beta1/accounts/${alice.address}`);
    expect(r.status).toBe(200);
    expect(r.res.headers.get("content-type")).toBe("application/json");
    expect(r.body.account).toMatchObject({
      "@type": "/cosmos.auth.v1beta1.BaseAccount",
      address: alice.address,
      sequence: "0",
    });
    expect(typeof (r.body.account as Body).account_number).toBe("string");

    expectGatewayError(await get(`/cosmos/auth/v1beta1/accounts/${UNKNOWN}`), 404, 5);
    expectGatewayError(await get("/cosmos/auth/v1beta1/accounts/vivim1notanaddress"), 400, 3);
    expectGatewayError(
      await get(`/cosmos/auth/v1beta1/accounts/${toBech32("cosmos", new Uint8Array(20))}`),
      400,
      3,
    );
  });

  it("serves balances with pagination, by denom, and the total supply", async () => {
    const all = await get(`/cosmos/bank/v1beta1/balances/${alice.address}`);
    expect(all.status).toBe(200);
    expect(all.body.balances).toEqual([{ denom: "uvivim", amount: FUNDS.toString() }]);
    expect(all.body.pagination).toEqual({ next_key: null, total: "0" });

    const paged = await get(
      `/cosmos/bank/v1beta1/balances/${alice.address}?pagination.limit=1&pagination.count_total=true`,
    );
    expect(paged.status).toBe(200);
    expect(paged.body.balances).toHaveLength(1);

    const none = await get(`/cosmos/bank/v1beta1/balances/${UNKNOWN}`);
    expect(none.body.balances).toEqual([]);

    expectGatewayError(
      await get(`/cosmos/bank/v1beta1/balances/${alice.address}?pagination.limit=abc`),
      400,
      3,
    );
    expectGatewayError(
      await get(`/cosmos/bank/v1beta1/balances/${alice.address}?pagination.limit=100000`),
      400,
      3,
    );
    expectGatewayError(
      await get(`/cosmos/bank/v1beta1/balances/${alice.address}?pagination.key=%25%25`),
      400,
      3,
    );
    expectGatewayError(await get("/cosmos/bank/v1beta1/balances/nope"), 400, 3);

    const one = await get(`/cosmos/bank/v1beta1/balances/${alice.address}/by_denom?denom=uvivim`);
    expect(one.body).toEqual({ balance: { denom: "uvivim", amount: FUNDS.toString() } });
    const zero = await get(`/cosmos/bank/v1beta1/balances/${alice.address}/by_denom?denom=ufoo`);
    expect(zero.body).toEqual({ balance: { denom: "ufoo", amount: "0" } });
    expectGatewayError(await get(`/cosmos/bank/v1beta1/balances/${alice.address}/by_denom`), 400, 3);
    expectGatewayError(await get(`/cosmos/bank/v1beta1/balances/${alice.address}/by_denom?denom=!!`), 400, 3);

    const supply = await get("/cosmos/bank/v1beta1/supply");
    expect(supply.status).toBe(200);
    expect(supply.body.supply).toEqual([{ denom: "uvivim", amount: (FUNDS * 3n).toString() }]);
  });

  it("broadcasts a signed tx (sync), then serves it decoded by hash", async () => {
    const txBytes = await signedSend(alice, bob.address, "777");
    const hash = createHash("sha256").update(txBytes).digest("hex").toUpperCase();
    const sent = await post("/cosmos/tx/v1beta1/txs", {
      tx_bytes: Buffer.from(txBytes).toString("base64"),
      mode: "BROADCAST_MODE_SYNC",
    });
    expect(sent.status).toBe(200);
    expect(sent.body.tx_response).toMatchObject({ txhash: hash, code: 0, height: "0" });

    const found = await waitForTx(hash);
    const resp = found.tx_response as Body;
    expect(resp).toMatchObject({ txhash: hash, code: 0, codespace: "" });
    expect(Number(resp.height)).toBeGreaterThan(0);
    expect(resp.timestamp).toMatch(/^\d{4}-\d{2}-\d{2}T/);
    expect(Number(resp.gas_used)).toBeGreaterThan(0);
    expect(resp.gas_wanted).toBe("200000");
    expect((resp.events as Array<{ type: string }>).some((e) => e.type === "transfer")).toBe(true);
    expect((resp.tx as Body)["@type"]).toBe("/cosmos.tx.v1beta1.Tx");

    const tx = found.tx as { body: Body; auth_info: Body; signatures: string[] };
    expect(tx.body.memo).toBe("rest test");
    expect(tx.body.messages).toEqual([
      {
        "@type": "/cosmos.bank.v1beta1.MsgSend",
        from_address: alice.address,
        to_address: bob.address,
        amount: [{ denom: "uvivim", amount: "777" }],
      },
    ]);
    const signer = (tx.auth_info.signer_infos as Body[])[0]!;
    expect((signer.public_key as Body)["@type"]).toBe("/cosmos.crypto.secp256k1.PubKey");
    expect(signer.mode_info).toEqual({ single: { mode: "SIGN_MODE_DIRECT" }, multi: null });
    expect(signer.sequence).toBe("0");
    expect((tx.auth_info.fee as Body).gas_limit).toBe("200000");
    expect(tx.signatures).toHaveLength(1);

    const account = await get(`/cosmos/auth/v1beta1/accounts/${alice.address}`);
    expect((account.body.account as Body).sequence).toBe("1");
    expect(((account.body.account as Body).pub_key as Body)["@type"]).toBe("/cosmos.crypto.secp256k1.PubKey");

    // The same bytes again: a CheckTx failure is a 200 with the tx's Cosmos code, as Cosmos answers.
    const again = await post("/cosmos/tx/v1beta1/txs", { tx_bytes: Buffer.from(txBytes).toString("base64") });
    expect(again.status).toBe(200);
    expect((again.body.tx_response as Body).code).not.toBe(0);
  });

  it("broadcasts async and reports a tx that does not decode with its Cosmos code", async () => {
    const txBytes = await signedSend(bob, alice.address, "5");
    const sent = await post("/cosmos/tx/v1beta1/txs", {
      tx_bytes: Buffer.from(txBytes).toString("base64"),
      mode: "BROADCAST_MODE_ASYNC",
    });
    expect(sent.status).toBe(200);
    const hash = (sent.body.tx_response as Body).txhash as string;
    expect(hash).toMatch(/^[0-9A-F]{64}$/);
    expect(((await waitForTx(hash)).tx_response as Body).code).toBe(0);

    const junk = await post("/cosmos/tx/v1beta1/txs", { tx_bytes: "AAEC", mode: "BROADCAST_MODE_SYNC" });
    expect(junk.status).toBe(200);
    expect(junk.body.tx_response).toMatchObject({ code: 2, codespace: "sdk" });
  });

  it("refuses bad broadcast bodies with 400 and oversized ones with 413", async () => {
    expectGatewayError(await post("/cosmos/tx/v1beta1/txs", "{not json"), 400, 3);
    expectGatewayError(await post("/cosmos/tx/v1beta1/txs", "[1,2]"), 400, 3);
    expectGatewayError(await post("/cosmos/tx/v1beta1/txs", { tx_bytes: "!!!" }), 400, 3);
    expectGatewayError(await post("/cosmos/tx/v1beta1/txs", { tx_bytes: "" }), 400, 3);
    expectGatewayError(
      await post("/cosmos/tx/v1beta1/txs", { tx_bytes: "AAEC", mode: "BROADCAST_MODE_BLOCK" }),
      400,
      3,
    );
    expectGatewayError(await post("/cosmos/tx/v1beta1/txs", { tx_bytes: "AAEC", mode: "FAST" }), 400, 3);
    const big = JSON.stringify({ tx_bytes: "A".repeat(net.node.config.rpc.max_body_bytes + 100) });
    expectGatewayError(await post("/cosmos/tx/v1beta1/txs", big), 413, 8);
  });

  it("answers 404 for an unknown tx hash and 400 for a malformed one", async () => {
    expectGatewayError(await get(`/cosmos/tx/v1beta1/txs/${"AB".repeat(32)}`), 404, 5);
    expectGatewayError(await get("/cosmos/tx/v1beta1/txs/xyz"), 400, 3);
  });

  it("serves blocks, node info and syncing", async () => {
    const latest = await get("/cosmos/base/tendermint/v1beta1/blocks/latest");
    expect(latest.status).toBe(200);
    const block = latest.body.block as { header: Body; data: { txs: string[] } };
    expect(block.header.chain_id).toBe("vivim-test-1");
    expect(Number(block.header.height)).toBeGreaterThan(0);
    expect((latest.body.block_id as Body).hash).toMatch(/^[A-Za-z0-9+/]{43}=$/);
    const sdk = latest.body.sdk_block as { header: Body };
    expect(sdk.header.proposer_address).toMatch(/^vivimvalcons1/);

    const first = await get("/cosmos/base/tendermint/v1beta1/blocks/1");
    expect((first.body.block as { header: Body }).header.height).toBe("1");
    expectGatewayError(await get("/cosmos/base/tendermint/v1beta1/blocks/0"), 400, 3);
    expectGatewayError(await get("/cosmos/base/tendermint/v1beta1/blocks/abc"), 400, 3);
    expectGatewayError(await get("/cosmos/base/tendermint/v1beta1/blocks/999999999"), 400, 3);

    const info = await get("/cosmos/base/tendermint/v1beta1/node_info");
    expect(info.body.default_node_info).toMatchObject({
      network: "vivim-test-1",
      version: "0.38.17",
      moniker: net.node.config.moniker,
    });
    expect((info.body.application_version as Body).app_name).toBe("vivim");

    expect((await get("/cosmos/base/tendermint/v1beta1/syncing")).body).toEqual({ syncing: false });
  });

  it("serves Prometheus metrics", async () => {
    const res = await fetch(`${base}/metrics`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^text\/plain/);
    const text = await res.text();
    expect(text).toMatch(/vivim_block_height \d+/);
    // The runtime's gauges, which operators read to tell a busy event loop from a slow disk.
    expect(text).toMatch(/^nodejs_eventloop_lag_p99_seconds \d/m);
    expect(text).toMatch(/^nodejs_heap_size_used_bytes \d/m);
  });

  it("answers 501 for unknown paths, 405 for wrong methods, and CORS preflights", async () => {
    expectGatewayError(await get("/cosmos/staking/v1beta1/validators"), 501, 12);
    expectGatewayError(await get("/"), 501, 12);
    const wrong = await fetch(`${base}/cosmos/bank/v1beta1/supply`, { method: "POST", body: "{}" });
    expect(wrong.status).toBe(405);
    expect(wrong.headers.get("allow")).toBe("GET");
    expect(((await wrong.json()) as Body).code).toBe(12);

    const pre = await fetch(`${base}/cosmos/tx/v1beta1/txs`, {
      method: "OPTIONS",
      headers: { Origin: "http://localhost:3000", "Access-Control-Request-Method": "POST" },
    });
    expect(pre.status).toBe(204);
    expect(pre.headers.get("access-control-allow-origin")).toBe("*");
    expect(pre.headers.get("access-control-allow-methods")).toMatch(/POST/);
    const cors = await get("/cosmos/base/tendermint/v1beta1/syncing", { Origin: "http://localhost:3000" });
    expect(cors.res.headers.get("access-control-allow-origin")).toBe("*");
  });

  it("lets a light client verify a committed tx against the genesis validators", async () => {
    const txBytes = await signedSend(alice, bob.address, "42");
    const sent = await post("/cosmos/tx/v1beta1/txs", { tx_bytes: Buffer.from(txBytes).toString("base64") });
    const hash = (sent.body.tx_response as Body).txhash as string;
    await waitForTx(hash);

    const bundle = await fetchTxBundle(new RpcClient(net.rpcUrl), hash);
    const trusted = validatorsFromGenesis(net.node.genesis);
    const result = verifyTxBundle(bundle, trusted, { chainId: "vivim-test-1" });
    expect(result.checks.filter((c) => !c.ok)).toEqual([]);
    expect(result.ok).toBe(true);

    const forged = structuredClone(bundle);
    (forged.signed_header.header as Body).app_hash = "00".repeat(32);
    expect(verifyTxBundle(forged, trusted).ok).toBe(false);
  });
});
