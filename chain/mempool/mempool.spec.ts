/**
 * `checksSettled` is what the consensus engine waits on before it cuts a proposal: it must not
 * resolve before every CheckTx begun so far has admitted or refused its tx.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { VIVIM_MODULES } from "../../contracts/index.js";
import { type SpecAccount, SpecChain, specAccounts } from "../../test/support/spec-chain.js";
import { Mempool } from "./mempool.js";

const uv = (n: number) => [{ denom: "uvivim", amount: String(n) }];
const config = { size: 100, maxTxsBytes: 1 << 20, maxTxBytes: 1 << 16, maxTxsPerAccount: 10 };

describe("Mempool.checksSettled", () => {
  let h: SpecChain;
  let accounts: SpecAccount[];

  beforeAll(async () => {
    accounts = await specAccounts(2);
    h = await SpecChain.start(VIVIM_MODULES, {
      bank: { balances: accounts.map((a) => ({ address: a.address, coins: uv(1e9) })) },
    });
  });

  afterAll(async () => {
    await h?.stop();
  });

  const send = (from: SpecAccount, to: SpecAccount, amount: number) => ({
    typeUrl: "/cosmos.bank.v1beta1.MsgSend",
    value: { fromAddress: from.address, toAddress: to.address, amount: uv(amount) },
  });

  it("resolves only once every CheckTx begun has admitted or refused its tx", async () => {
    const [alice, bob] = accounts as [SpecAccount, SpecAccount];
    const inOrder = await Promise.all([0, 1, 2].map((n) => h.sign(alice, [send(alice, bob, 1 + n)], n)));
    const skipsAhead = await h.sign(bob, [send(bob, alice, 1)], 5);
    const mempool = new Mempool(h.app, config);
    const outcomes = [...inOrder, skipsAhead].map((bytes) => mempool.add(bytes));
    // Admission waits for the signatures: nothing is in yet.
    expect(mempool.size).toBe(0);
    await mempool.checksSettled();
    expect(mempool.size).toBe(3);
    expect((await Promise.all(outcomes)).map((o) => o.code)).toEqual([0, 0, 0, 32]);
  });

  it("resolves at once when nothing is being checked", async () => {
    await expect(new Mempool(h.app, config).checksSettled()).resolves.toBeUndefined();
  });
});
