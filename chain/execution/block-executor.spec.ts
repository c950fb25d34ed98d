/**
 * A node executes blocks with their roots hashed on the merkle worker; specs and tools execute
 * them inline. Both must give the very same execution: results, state and every root the header
 * commits to, whether the worker answers or not.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { VIVIM_MODULES } from "../../contracts/index.js";
import { MsgCreatePost } from "../../contracts/social/tx.js";
import type { BlockInfo } from "../../contracts/types.js";
import {
  msg,
  SPEC_CHAIN_ID,
  type SpecAccount,
  SpecChain,
  specAccounts,
} from "../../test/support/spec-chain.js";
import { MerkleRootWorker } from "../block/merkle-worker.js";
import {
  type BlockExecEnv,
  type BlockTx,
  executeBlock,
  executeBlockWithRootWorker,
} from "./block-executor.js";

const uv = (n: number) => [{ denom: "uvivim", amount: String(n) }];

describe("block execution with the merkle worker", () => {
  let h: SpecChain;
  let accounts: SpecAccount[];
  let txs: BlockTx[];
  let env: BlockExecEnv;
  const block: BlockInfo = {
    chainId: SPEC_CHAIN_ID,
    height: 1n,
    time: { seconds: 1_700_000_005n, nanos: 0 },
  };

  beforeAll(async () => {
    accounts = await specAccounts(3);
    h = await SpecChain.start(VIVIM_MODULES, {
      bank: { balances: accounts.map((a) => ({ address: a.address, coins: uv(1e9) })) },
      identity: { profiles: accounts.map((a, i) => ({ address: a.address, handle: `user${i}` })) },
      social: {
        communities: [
          {
            slug: "general",
            name: "General",
            visibility: "PUBLIC",
            creator: accounts[0]!.address,
            members: accounts.slice(1).map((a) => a.address),
          },
        ],
      },
    });
    const signed: Uint8Array[] = [];
    for (const [i, a] of accounts.entries()) {
      const to = accounts[(i + 1) % accounts.length]!.address;
      for (let n = 0; n < 4; n++) {
        const send = {
          typeUrl: "/cosmos.bank.v1beta1.MsgSend",
          value: { fromAddress: a.address, toAddress: to, amount: uv(10 + n) },
        };
        const post = msg(MsgCreatePost, {
          author: a.address,
          communityId: 1n,
          title: `t${n}`,
          body: "héllo 🙂",
        });
        signed.push(await h.sign(a, [n % 2 === 0 ? send : post], n));
      }
    }
    signed.push(new Uint8Array([1, 2, 3])); // undecodable: a failed result, no events
    txs = signed.map((bytes) => {
      try {
        return { bytes, decoded: h.app.decode(bytes) };
      } catch (error) {
        return { bytes, error };
      }
    });
    env = {
      modules: h.app.modules,
      ante: { mode: "deliver", chainId: SPEC_CHAIN_ID, minGasPrices: [], verifySignature: () => true },
    };
  });

  afterAll(async () => {
    await h?.stop();
  });

  it("gives the inline execution, roots included, with the worker and after it stopped", async () => {
    const inline = executeBlock(env, h.app.state, block, txs);
    expect(inline.results.filter((r) => r.code === 0)).toHaveLength(12);
    expect(inline.results.flatMap((r) => r.events).length).toBeGreaterThan(40);
    const worker = new MerkleRootWorker();
    await worker.start();
    try {
      const withWorker = await executeBlockWithRootWorker(env, h.app.state, block, txs, [], worker);
      expect(withWorker).toEqual(inline);
    } finally {
      await worker.stop();
    }
    // A worker that cannot answer leaves the roots to this thread.
    expect(await executeBlockWithRootWorker(env, h.app.state, block, txs, [], worker)).toEqual(inline);
  });
});
