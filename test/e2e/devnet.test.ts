/**
 * The devnet `npm start` creates: devnet.json with endpoints and at least three funded accounts
 * whose mnemonics really control funded addresses on a node started from it.
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { DirectSecp256k1HdWallet } from "@cosmjs/proto-signing";
import { StargateClient } from "@cosmjs/stargate";
import { afterAll, describe, expect, it } from "vitest";
import { createDevnet, type DevnetDescriptor, readDevnet } from "../../chain/node/devnet.js";
import { VivimNode } from "../../chain/node/node.js";
import { RpcServer } from "../../chain/rpc/server.js";
import { silentLogger } from "../../chain/util/logger.js";
import { fastConfig } from "../support/node.js";

describe("devnet", () => {
  const home = mkdtempSync(path.join(tmpdir(), "vivim-devnet-"));
  afterAll(() => rmSync(home, { recursive: true, force: true }));

  it("writes devnet.json and funds its accounts on a node that starts from it", async () => {
    const devnet = await createDevnet(home);
    const onDisk = JSON.parse(readFileSync(path.join(home, "devnet.json"), "utf8")) as DevnetDescriptor;
    expect(onDisk).toEqual(devnet);
    expect(readDevnet(home)).toEqual(devnet);
    expect(devnet).toMatchObject({
      chainId: "vivim-devnet-1",
      prefix: "vivim",
      denom: "uvivim",
      rpc: "http://127.0.0.1:26657",
    });
    expect(devnet.accounts.length).toBeGreaterThanOrEqual(3);
    expect(devnet.nodes).toHaveLength(1);

    const node = await VivimNode.open({
      home: devnet.nodes[0]!.home,
      config: fastConfig(),
      logger: silentLogger(),
    });
    await node.start();
    const rpc = new RpcServer(node);
    await rpc.start();
    try {
      const client = await StargateClient.connect(`http://127.0.0.1:${rpc.port}`);
      for (const account of devnet.accounts) {
        const wallet = await DirectSecp256k1HdWallet.fromMnemonic(account.mnemonic, { prefix: "vivim" });
        const [derived] = await wallet.getAccounts();
        expect(derived!.address).toBe(account.address);
        expect(BigInt((await client.getBalance(account.address, "uvivim")).amount)).toBeGreaterThan(0n);
      }
      expect(
        BigInt((await client.getBalance(devnet.nodes[0]!.operator.address, "uvivim")).amount),
      ).toBeGreaterThan(0n);
      client.disconnect();
    } finally {
      await rpc.stop();
      await node.stop();
    }
  });
});
