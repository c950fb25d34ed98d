/**
 * The unmodified @cosmjs/stargate client against a real VIVIM node: everything a wallet or script
 * does, including the failures it must see with Cosmos codes.
 */

import { toBech32 } from "@cosmjs/encoding";
import { assertIsDeliverTxSuccess, GasPrice, SigningStargateClient, StargateClient } from "@cosmjs/stargate";
import { Comet38Client, connectComet } from "@cosmjs/tendermint-rpc";
import { TxRaw } from "cosmjs-types/cosmos/tx/v1beta1/tx";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FUNDS, startTestNode, type TestNode } from "../support/node.js";

const fee = { amount: [{ denom: "uvivim", amount: "5000" }], gas: "200000" };
const pollOpts = { broadcastPollIntervalMs: 200, broadcastTimeoutMs: 20_000 };

describe("cosmjs against a one-validator VIVIM network", () => {
  let net: TestNode;
  let client: StargateClient;

  beforeAll(async () => {
    net = await startTestNode();
    client = await StargateClient.connect(net.rpcUrl);
  });

  afterAll(async () => {
    client?.disconnect();
    await net?.stop();
  });

  it("connects as a CometBFT 0.38 client and reads chain id and height", async () => {
    const comet = await connectComet(net.rpcUrl);
    expect(comet).toBeInstanceOf(Comet38Client);
    comet.disconnect();
    expect(await client.getChainId()).toBe("vivim-test-1");
    await expect.poll(() => client.getHeight(), { timeout: 10_000 }).toBeGreaterThan(0);
  });

  it("reads balances and accounts, and null for an unknown account", async () => {
    const [alice] = net.accounts;
    const balance = await client.getBalance(alice!.address, "uvivim");
    expect(balance).toEqual({ denom: "uvivim", amount: FUNDS.toString() });
    expect(await client.getAllBalances(alice!.address)).toEqual([
      { denom: "uvivim", amount: FUNDS.toString() },
    ]);
    const account = await client.getAccount(alice!.address);
    expect(account?.address).toBe(alice!.address);
    expect(await client.getAccount(toBech32("vivim", new Uint8Array(20).fill(7)))).toBeNull();
  });

  it("signs and broadcasts a MsgSend, then finds it by hash, by sender and in its block", async () => {
    const [alice, bob] = net.accounts;
    const signing = await SigningStargateClient.connectWithSigner(net.rpcUrl, alice!.wallet, pollOpts);
    const before = BigInt((await client.getBalance(bob!.address, "uvivim")).amount);
    const result = await signing.sendTokens(
      alice!.address,
      bob!.address,
      [{ denom: "uvivim", amount: "1234" }],
      fee,
      "hello",
    );
    assertIsDeliverTxSuccess(result);
    expect(BigInt((await client.getBalance(bob!.address, "uvivim")).amount)).toBe(before + 1234n);

    const tx = await client.getTx(result.transactionHash);
    expect(tx?.height).toBe(result.height);
    expect(tx?.code).toBe(0);
    expect(tx?.events.some((e) => e.type === "transfer")).toBe(true);

    const bySender = await client.searchTx(`message.sender='${alice!.address}'`);
    expect(bySender.map((t) => t.hash)).toContain(result.transactionHash);
    const byHeight = await client.searchTx([{ key: "tx.height", value: result.height }]);
    expect(byHeight.map((t) => t.hash)).toContain(result.transactionHash);

    const block = await client.getBlock(result.height);
    expect(block.header.height).toBe(result.height);
    expect(block.header.chainId).toBe("vivim-test-1");
    expect(block.txs.length).toBeGreaterThanOrEqual(1);
    signing.disconnect();
  });

  it("estimates gas with Simulate for fee 'auto'", async () => {
    const [, bob, carol] = net.accounts;
    const signing = await SigningStargateClient.connectWithSigner(net.rpcUrl, bob!.wallet, {
      ...pollOpts,
      gasPrice: GasPrice.fromString("0.025uvivim"),
    });
    const result = await signing.sendTokens(
      bob!.address,
      carol!.address,
      [{ denom: "uvivim", amount: "10" }],
      "auto",
    );
    assertIsDeliverTxSuccess(result);
    expect(result.gasUsed).toBeGreaterThan(0n);
    expect(result.gasWanted).toBeGreaterThanOrEqual(result.gasUsed);
    signing.disconnect();
  });

  it("rejects a tampered signature with code 4 and a replayed tx with code 32", async () => {
    const [alice, bob] = net.accounts;
    const signing = await SigningStargateClient.connectWithSigner(net.rpcUrl, alice!.wallet, pollOpts);
    const msg = {
      typeUrl: "/cosmos.bank.v1beta1.MsgSend",
      value: {
        fromAddress: alice!.address,
        toAddress: bob!.address,
        amount: [{ denom: "uvivim", amount: "1" }],
      },
    };

    const signed = await signing.sign(alice!.address, [msg], fee, "");
    const tampered = TxRaw.fromPartial({
      ...signed,
      signatures: [Uint8Array.from(signed.signatures[0]!, (b, i) => (i === 5 ? b ^ 1 : b))],
    });
    await expect(client.broadcastTx(TxRaw.encode(tampered).finish())).rejects.toMatchObject({
      code: 4,
      codespace: "sdk",
    });

    const good = TxRaw.encode(signed).finish();
    assertIsDeliverTxSuccess(await client.broadcastTx(good, 20_000, 200));
    await expect(client.broadcastTx(good, 20_000, 200)).rejects.toMatchObject({ code: 32, codespace: "sdk" });
    signing.disconnect();
  });

  it("fails a send beyond the balance in its block with code 5: fee and sequence used, balances kept", async () => {
    const [alice, bob] = net.accounts;
    const signing = await SigningStargateClient.connectWithSigner(net.rpcUrl, alice!.wallet, pollOpts);
    const before = BigInt((await client.getBalance(alice!.address, "uvivim")).amount);
    const bobBefore = await client.getBalance(bob!.address, "uvivim");
    const { sequence } = await client.getSequence(alice!.address);
    const tooMuch = (FUNDS * 10n).toString();
    const result = await signing.sendTokens(
      alice!.address,
      bob!.address,
      [{ denom: "uvivim", amount: tooMuch }],
      fee,
    );
    expect(result.code).toBe(5);
    expect(result.rawLog).toMatch(/insufficient funds/);
    // As in the Cosmos SDK: the failed tx pays its fee and uses its sequence, the transfer is not applied.
    expect(BigInt((await client.getBalance(alice!.address, "uvivim")).amount)).toBe(before - 5000n);
    expect(await client.getBalance(bob!.address, "uvivim")).toEqual(bobBefore);
    expect((await client.getSequence(alice!.address)).sequence).toBe(sequence + 1);
    signing.disconnect();
  });
});
