/**
 * The treasury module inside the real application over LevelDB: donations signed by cosmjs, the
 * CommunityPool query as cosmjs reads it (LegacyDec amounts) and as REST shows it, the spend
 * refused to anyone but the gov module account — and the spend itself run as governance runs it,
 * through the handler with the gov module account as the signer (nobody holds its key, so no tx
 * can be signed for it here; the gov module's own tests execute it from a passed proposal).
 */
import type { EncodeObject } from "@cosmjs/proto-signing";
import { defaultRegistryTypes } from "@cosmjs/stargate";
import { QueryClientImpl } from "cosmjs-types/cosmos/distribution/v1beta1/query";
import { MsgCommunityPoolSpend, MsgFundCommunityPool } from "cosmjs-types/cosmos/distribution/v1beta1/tx";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { matchRoute } from "../../chain/api/router.js";
import { treasuryRoutes } from "../../chain/api/routes/treasury.js";
import { API_ROUTES } from "../../chain/api/server.js";
import { type CodedError, isCodedError } from "../../chain/errors/codes.js";
import { INFINITE_GAS, makeExecContext } from "../../chain/execution/context.js";
import { StoreOverlay } from "../../chain/state/overlay.js";
import { vivimRegistry, vivimTypes } from "../../client/registry.js";
import {
  SPEC_CHAIN_ID,
  type SpecAccount,
  SpecChain,
  type SpecResult,
  specAccounts,
} from "../../test/support/spec-chain.js";
import { moduleAddress } from "../auth/keeper.js";
import { authModule } from "../auth/module.js";
import { getBalance } from "../bank/keeper.js";
import { bankModule } from "../bank/module.js";
import { legacyDecText } from "../lib/decimal.js";
import type { AbciEvent } from "../types.js";
import { TreasuryEvents } from "./events.js";
import { TREASURY_ADDRESS } from "./keeper.js";
import { treasuryModule } from "./module.js";
import { msgCommunityPoolSpend } from "./msg-spend.js";

const FUNDS = 1_000_000_000n;
const GOV = moduleAddress("gov");
const uv = (n: bigint | number) => [{ denom: "uvivim", amount: String(n) }];

const fund = (depositor: string, amount: { denom: string; amount: string }[]): EncodeObject => ({
  typeUrl: MsgFundCommunityPool.typeUrl,
  value: MsgFundCommunityPool.fromPartial({ depositor, amount }),
});
const spend = (authority: string, recipient: string, amount: { denom: string; amount: string }[]) => ({
  typeUrl: MsgCommunityPoolSpend.typeUrl,
  value: MsgCommunityPoolSpend.fromPartial({ authority, recipient, amount }),
});

describe("treasury module in the application", () => {
  let h: SpecChain;
  let alice: SpecAccount;
  let bob: SpecAccount;

  const bal = (address: string, denom = "uvivim") => getBalance(h.store, address, denom);
  const expectCode = (r: SpecResult, codespace: string, code: number) => {
    expect([r.codespace, r.code, r.log]).toEqual([codespace, code, expect.any(String)]);
  };
  const ok = (r: SpecResult) => {
    expect([r.code, r.log]).toEqual([0, expect.any(String)]);
    return r;
  };
  /** cosmjs's own distribution query client, over abci_query. */
  const cosmjsPool = () =>
    new QueryClientImpl({
      request: async (service: string, method: string, data: Uint8Array) => {
        const r = await h.queryRaw(`/${service}/${method}`, data);
        if (r.code !== 0) throw new Error(r.log);
        return r.value;
      },
    }).CommunityPool({});

  beforeAll(async () => {
    [alice, bob] = (await specAccounts(2)) as [SpecAccount, SpecAccount];
    h = await SpecChain.start([authModule, bankModule, treasuryModule], {
      bank: {
        balances: [
          { address: alice.address, coins: [{ denom: "ustake", amount: "500" }, ...uv(FUNDS)] },
          { address: bob.address, coins: uv(FUNDS) },
          { address: TREASURY_ADDRESS, coins: uv(1_000_000) },
        ],
      },
      treasury: {},
    });
  });

  afterAll(async () => {
    await h?.stop();
  });

  it("is the treasury module account (where escrow pays its fees)", () => {
    expect(TREASURY_ADDRESS).toBe(moduleAddress("treasury"));
  });

  it("takes donations from anyone and shows them as the community pool", async () => {
    const r = ok(
      await h.exec(alice, fund(alice.address, [{ denom: "ustake", amount: "200" }, ...uv(5_000)])),
    );
    expect(r.event(TreasuryEvents.CommunityPoolFunded)).toEqual({
      depositor: alice.address,
      amount: "200ustake,5000uvivim",
    });
    expect(r.events.find((e) => e.type === TreasuryEvents.CommunityPoolFunded)?.attributes).toEqual([
      { key: "depositor", value: alice.address, index: true },
      { key: "amount", value: "200ustake,5000uvivim", index: false },
    ]);
    expect(r.event("transfer")).toMatchObject({ sender: alice.address, recipient: TREASURY_ADDRESS });
    expect([bal(TREASURY_ADDRESS), bal(TREASURY_ADDRESS, "ustake"), bal(alice.address)]).toEqual([
      1_005_000n,
      200n,
      FUNDS - 5_000n,
    ]);

    // What cosmjs's DistributionExtension.communityPool() returns: LegacyDec amounts, 10^18 scaled.
    const { pool } = await cosmjsPool();
    expect(pool).toEqual([
      { denom: "ustake", amount: "200000000000000000000" },
      { denom: "uvivim", amount: "1005000000000000000000000" },
    ]);
    // ... and what REST shows, as the SDK's gateway does.
    const match = matchRoute(API_ROUTES, "GET", "/cosmos/distribution/v1beta1/community_pool");
    expect(match.kind === "route" && match.route.name).toBe("treasury.community_pool");
    const rest = await treasuryRoutes[0]!.handler({ node: { app: h.app } } as never, {
      params: [],
      query: new URLSearchParams(),
      body: async () => ({}),
    });
    expect(rest).toEqual({
      json: {
        pool: [
          { denom: "ustake", amount: "200.000000000000000000" },
          { denom: "uvivim", amount: "1005000.000000000000000000" },
        ],
      },
    });
  });

  it("refuses empty, unsorted, oversized and unfunded donations", async () => {
    const donate = (amount: { denom: string; amount: string }[]) => h.exec(bob, fund(bob.address, amount));
    expectCode(await donate([]), "sdk", 10);
    expectCode(await donate(uv(0)), "sdk", 10);
    expectCode(
      await donate([
        { denom: "uvivim", amount: "1" },
        { denom: "ustake", amount: "1" },
      ]),
      "sdk",
      10,
    );
    const many = Array.from({ length: 17 }, (_, i) => ({
      denom: `denom${String(i).padStart(2, "0")}`,
      amount: "1",
    }));
    expectCode(await donate(many), "sdk", 10);
    expectCode(await donate(uv(FUNDS + 1n)), "sdk", 5);
    expect(bal(bob.address)).toBe(FUNDS);
  });

  it("refuses a spend from anyone but the gov module account", async () => {
    const before = bal(TREASURY_ADDRESS);
    // An account naming itself as the authority.
    expectCode(await h.exec(alice, spend(alice.address, alice.address, uv(1))), "treasury", 2);
    // An account signing for the gov authority: its signature is not the gov account's.
    expectCode(await h.exec(alice, spend(GOV, alice.address, uv(1))), "sdk", 24);
    expect(bal(TREASURY_ADDRESS)).toBe(before);
    expect(bal(alice.address)).toBe(FUNDS - 5_000n);
  });

  it("pays a recipient when governance executes the spend", () => {
    const store = new StoreOverlay(h.store);
    const events: AbciEvent[] = [];
    const block = { chainId: SPEC_CHAIN_ID, height: h.lastHeight + 1n, time: { seconds: h.time, nanos: 0 } };
    const ctx = makeExecContext(block, store, INFINITE_GAS, h.app.modules, events);
    const msg = MsgCommunityPoolSpend.fromPartial({
      authority: GOV,
      recipient: bob.address,
      amount: uv(250_000),
    });
    expect(msgCommunityPoolSpend.signers(msg)).toEqual([GOV]);
    msgCommunityPoolSpend.validateBasic(msg);
    const res = msgCommunityPoolSpend.handle(ctx, msg);
    expect(res.typeUrl).toBe("/cosmos.distribution.v1beta1.MsgCommunityPoolSpendResponse");
    expect(getBalance(store, TREASURY_ADDRESS, "uvivim")).toBe(1_005_000n - 250_000n);
    expect(getBalance(store, bob.address, "uvivim")).toBe(FUNDS + 250_000n);
    const event = events.find((e) => e.type === TreasuryEvents.CommunityPoolSpend);
    expect(event?.attributes).toEqual([
      { key: "authority", value: GOV, index: true },
      { key: "recipient", value: bob.address, index: true },
      { key: "amount", value: "250000uvivim", index: false },
    ]);
    expect(events.map((e) => e.type)).toEqual([
      "coin_spent",
      "coin_received",
      "transfer",
      TreasuryEvents.CommunityPoolSpend,
    ]);

    const refusal = (value: MsgCommunityPoolSpend, run = false) => {
      try {
        if (run) msgCommunityPoolSpend.handle(ctx, value);
        else msgCommunityPoolSpend.validateBasic(value);
        return "ok";
      } catch (err) {
        if (!isCodedError(err)) throw err;
        return `${(err as CodedError).codespace}/${(err as CodedError).code}`;
      }
    };
    // More than the treasury holds, then bad recipients and amounts.
    expect(refusal({ authority: GOV, recipient: bob.address, amount: uv(10_000_000) }, true)).toBe("sdk/5");
    expect(refusal({ authority: GOV, recipient: TREASURY_ADDRESS, amount: uv(1) })).toBe("treasury/3");
    expect(refusal({ authority: GOV, recipient: moduleAddress("escrow"), amount: uv(1) })).toBe("treasury/3");
    expect(refusal({ authority: GOV, recipient: "cosmos1xyz", amount: uv(1) })).toBe("sdk/7");
    expect(refusal({ authority: GOV, recipient: bob.address, amount: [] })).toBe("sdk/10");
    expect(refusal({ authority: bob.address, recipient: bob.address, amount: uv(1) }, true)).toBe(
      "treasury/2",
    );
    // Nothing reached the committed state.
    expect(bal(TREASURY_ADDRESS)).toBe(1_005_000n);
  });

  it("accepts an absent or empty genesis section only", () => {
    expect(() => treasuryModule.validateGenesis(undefined)).not.toThrow();
    expect(() => treasuryModule.validateGenesis({})).not.toThrow();
    expect(() => treasuryModule.validateGenesis({ pool: [] })).toThrow(
      /app_state\.treasury\.pool: unknown field/,
    );
    expect(() => treasuryModule.validateGenesis([])).toThrow(/must be an object/);
  });

  it("formats LegacyDec amounts as the SDK does", () => {
    expect(legacyDecText("0")).toBe("0.000000000000000000");
    expect(legacyDecText("5")).toBe("0.000000000000000005");
    expect(legacyDecText("123000000000000000000")).toBe("123.000000000000000000");
    expect(legacyDecText("1500000000000000000")).toBe("1.500000000000000000");
  });

  it("registers MsgCommunityPoolSpend in the client once, and leaves MsgFundCommunityPool to cosmjs", () => {
    const urls = vivimTypes().map(([u]) => u);
    expect(urls.filter((u) => u === MsgCommunityPoolSpend.typeUrl)).toHaveLength(1);
    expect(urls).not.toContain(MsgFundCommunityPool.typeUrl);
    expect(defaultRegistryTypes.map(([u]) => u)).toContain(MsgFundCommunityPool.typeUrl);
    const registry = vivimRegistry();
    expect(registry.lookupType(MsgCommunityPoolSpend.typeUrl)).toBeDefined();
    expect(registry.lookupType(MsgFundCommunityPool.typeUrl)).toBeDefined();
    expect(new Set(urls).size).toBe(urls.length);
  });
});
