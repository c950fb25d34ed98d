/**
 * Four validators in four OS processes over real libp2p (tcp + noise + yamux, gossipsub): the chain
 * survives one validator killed with SIGKILL, halts without forking when a second one stops, and
 * after both restart all four converge on the same block and app hashes at every height; a full
 * node started from an empty home catches up by block-sync.
 */

import { DirectSecp256k1HdWallet } from "@cosmjs/proto-signing";
import { SigningStargateClient } from "@cosmjs/stargate";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  chainOf,
  createProcessNetwork,
  heightOf,
  type ProcessNetwork,
  waitForHeight,
} from "../support/network.js";
import { rpcCall } from "../support/process.js";

const fee = { amount: [{ denom: "uvivim", amount: "100" }], gas: "200000" };

describe("BFT consensus among 4 validator processes over libp2p", () => {
  let net: ProcessNetwork;

  beforeAll(async () => {
    net = await createProcessNetwork({ validators: 4, fullNodes: 1 });
    await Promise.all(net.validators.map((v) => v.start()));
  }, 120_000);

  afterAll(async () => {
    await net?.stopAll();
  });

  it("keeps committing without one validator, halts without two, and converges after restarts", async () => {
    const [v0, v1, v2, v3] = net.validators as [(typeof net.validators)[0], ...typeof net.validators];
    await waitForHeight(net.validators, 3, 60_000);
    // net_info names the peers each node is connected to (the health agent's "isolated" check).
    const info = await rpcCall<{ n_peers: string; peers: Array<{ node_info: { id: string } }> }>(
      v0!.rpcUrl,
      "net_info",
    );
    expect(Number(info.n_peers)).toBeGreaterThanOrEqual(3);
    expect(info.peers.map((p) => p.node_info.id)).toEqual(
      expect.arrayContaining(net.devnet.nodes.slice(1, 4).map((n) => n.nodeId)),
    );

    // A tx sent to one node is gossiped, proposed by whoever's turn it is, and committed everywhere.
    const alice = net.devnet.accounts[0]!;
    const bob = net.devnet.accounts[1]!;
    const wallet = await DirectSecp256k1HdWallet.fromMnemonic(alice.mnemonic, { prefix: "vivim" });
    const client = await SigningStargateClient.connectWithSigner(v1!.rpcUrl, wallet);
    const sent = await client.sendTokens(
      alice.address,
      bob.address,
      [{ denom: "uvivim", amount: "1234" }],
      fee,
    );
    expect(sent.code).toBe(0);
    client.disconnect();

    // One of four down (f = 1): the other three still have +2/3 and keep committing.
    await v3!.kill("SIGKILL");
    const h1 = await heightOf(v0!);
    await waitForHeight([v0!, v1!, v2!], h1 + 3, 60_000);

    // Two of four down: no +2/3, so no block may commit.
    await v2!.kill("SIGTERM");
    await new Promise((r) => setTimeout(r, 1_500)); // let a block already decided finish
    const stalled = await heightOf(v0!);
    await new Promise((r) => setTimeout(r, 4_000));
    expect(await heightOf(v0!)).toBe(stalled);
    expect(await heightOf(v1!)).toBe(stalled);

    // Both back: they catch up and the four commit again, on one chain.
    await Promise.all([v2!.start(), v3!.start()]);
    await waitForHeight(net.validators, stalled + 3, 90_000);
    const top = Math.min(...(await Promise.all(net.validators.map(heightOf))));
    const chains = await Promise.all(net.validators.map((v) => chainOf(v, top)));
    for (const c of chains.slice(1)) expect(c).toEqual(chains[0]);

    // A node with an empty home catches up from its peers by block-sync.
    const full = net.fullNodes[0]!;
    await full.start();
    await waitForHeight([full], top, 60_000);
    expect(await chainOf(full, top)).toEqual(chains[0]);
    const balances = await (await SigningStargateClient.connect(full.rpcUrl)).getBalance(
      bob.address,
      "uvivim",
    );
    expect(BigInt(balances.amount)).toBeGreaterThan(0n);
  }, 300_000);
});
