/**
 * The workers module inside the real application over LevelDB: genesis names a test account as
 * the authority (governance's role on a real chain), every pause and resume is signed by cosmjs,
 * and the pure readers the workers obey are checked against the PauseState query and REST.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { matchRoute } from "../../chain/api/router.js";
import { workersRoutes } from "../../chain/api/routes/workers.js";
import { API_ROUTES } from "../../chain/api/server.js";
import { vivimMsg } from "../../client/connect.js";
import { type SpecAccount, SpecChain, type SpecResult, specAccounts } from "../../test/support/spec-chain.js";
import { moduleAddress } from "../auth/keeper.js";
import { authModule } from "../auth/module.js";
import { bankModule } from "../bank/module.js";
import { parseWorkersGenesis } from "./genesis.js";
import { workersModule } from "./module.js";
import {
  QueryPauseStateRequest,
  QueryPauseStateResponse,
  QueryWorkersParamsRequest,
  QueryWorkersParamsResponse,
} from "./query.js";
import { isWorkerPaused, workerPauseState } from "./state.js";
import { MsgSetWorkerPause, MsgSetWorkerPauseResponse } from "./tx.js";

const uv = (n: bigint | number) => [{ denom: "uvivim", amount: String(n) }];

describe("workers module in the application", () => {
  let h: SpecChain;
  let gov: SpecAccount;
  let alice: SpecAccount;

  const expectCode = (r: SpecResult, codespace: string, code: number) => {
    expect([r.codespace, r.code, r.log]).toEqual([codespace, code, expect.any(String)]);
  };
  const ok = (r: SpecResult) => {
    expect([r.code, r.log]).toEqual([0, expect.any(String)]);
    return r;
  };
  const pauseMsg = (worker: string, paused: boolean, reason = "", authority = gov.address) =>
    vivimMsg(MsgSetWorkerPause, { authority, worker, paused, reason });
  const setPause = (worker: string, paused: boolean, reason = "", signer = gov) =>
    h.exec(signer, pauseMsg(worker, paused, reason, signer.address));
  const pauseState = () =>
    h.query("/vivim.workers.v1.Query/PauseState", QueryPauseStateRequest, {}, QueryPauseStateResponse);
  const rest = async (name: string) => {
    const path = `/vivim/workers/v1/${name.slice("workers.".length)}`;
    const match = matchRoute(API_ROUTES, "GET", path);
    expect(match.kind === "route" && match.route.name).toBe(name);
    const route = workersRoutes.find((r) => r.name === name)!;
    const res = await route.handler({ node: { app: h.app } } as never, {
      params: [],
      query: new URLSearchParams(),
      body: async () => ({}),
    });
    return (res as { json: unknown }).json;
  };

  beforeAll(async () => {
    [gov, alice] = (await specAccounts(2)) as [SpecAccount, SpecAccount];
    h = await SpecChain.start([authModule, bankModule, workersModule], {
      bank: { balances: [gov, alice].map((a) => ({ address: a.address, coins: uv(1_000_000) })) },
      workers: { params: { authority: gov.address } },
    });
  });

  afterAll(async () => {
    await h?.stop();
  });

  it("starts with every worker running and the authority from genesis", async () => {
    expect(workerPauseState(h.store)).toEqual({ allPaused: false, reason: "", since: 0n, workers: [] });
    expect(isWorkerPaused(h.store, "feed")).toBe(false);
    const { params } = await h.query(
      "/vivim.workers.v1.Query/Params",
      QueryWorkersParamsRequest,
      {},
      QueryWorkersParamsResponse,
    );
    expect(params).toEqual({ authority: gov.address });
    expect(await rest("workers.params")).toEqual({ params: { authority: gov.address } });
    expect(await rest("workers.pause_state")).toEqual({
      all_paused: false,
      reason: "",
      paused_height: "0",
      workers: [],
    });
  });

  it("pauses and resumes one worker, then all of them, refusing every no-op", async () => {
    expectCode(await setPause("feed", true, "spam wave", alice), "workers", 3);

    const paused = ok(await setPause("feed", true, "spam wave"));
    const feedHeight = h.lastHeight;
    expect(MsgSetWorkerPauseResponse.decode(paused.response ?? new Uint8Array())).toEqual({});
    expect(paused.events.find((e) => e.type === "vivim.workers.v1.EventWorkerPaused")?.attributes).toEqual([
      { key: "worker", value: "feed", index: true },
      { key: "reason", value: "spam wave", index: false },
      { key: "authority", value: gov.address, index: true },
    ]);
    expect([isWorkerPaused(h.store, "feed"), isWorkerPaused(h.store, "moderation")]).toEqual([true, false]);
    expectCode(await setPause("feed", true, "again"), "workers", 4);
    expectCode(await setPause("health", false), "workers", 4);

    const all = ok(await setPause("", true, "incident 42"));
    const allHeight = h.lastHeight;
    expect(all.event("vivim.workers.v1.EventWorkerPaused")).toEqual({
      worker: "",
      reason: "incident 42",
      authority: gov.address,
    });
    expect(isWorkerPaused(h.store, "moderation")).toBe(true);
    expectCode(await setPause("", true), "workers", 4);
    ok(await setPause("moderation", true, "also this one"));
    const modHeight = h.lastHeight;

    const state = workerPauseState(h.store);
    expect(state).toEqual({
      allPaused: true,
      reason: "incident 42",
      since: allHeight,
      workers: [
        { worker: "feed", reason: "spam wave", since: feedHeight },
        { worker: "moderation", reason: "also this one", since: modHeight },
      ],
    });
    expect(await pauseState()).toEqual({
      allPaused: true,
      reason: "incident 42",
      pausedHeight: allHeight,
      workers: [
        { worker: "feed", reason: "spam wave", pausedHeight: feedHeight },
        { worker: "moderation", reason: "also this one", pausedHeight: modHeight },
      ],
    });
    expect(await rest("workers.pause_state")).toEqual({
      all_paused: true,
      reason: "incident 42",
      paused_height: allHeight.toString(),
      workers: [
        { worker: "feed", paused_height: feedHeight.toString(), reason: "spam wave" },
        { worker: "moderation", paused_height: modHeight.toString(), reason: "also this one" },
      ],
    });

    const resumed = ok(await setPause("", false, "resolved"));
    expect(resumed.event("vivim.workers.v1.EventWorkerResumed")).toEqual({
      worker: "",
      reason: "resolved",
      authority: gov.address,
    });
    expectCode(await setPause("", false), "workers", 4);
    // The global switch is independent of the workers paused one by one.
    expect([isWorkerPaused(h.store, "feed"), isWorkerPaused(h.store, "health")]).toEqual([true, false]);
    ok(await setPause("feed", false));
    ok(await setPause("moderation", false));
    expectCode(await setPause("feed", false), "workers", 4);
    expect(workerPauseState(h.store)).toEqual({ allPaused: false, reason: "", since: 0n, workers: [] });
  });

  it("checks names and reasons before anything runs", async () => {
    for (const bad of ["Feed", "1feed", "feed_x", "feed.x", "-feed", `a${"b".repeat(32)}`, " feed"])
      expectCode(await setPause(bad, true), "workers", 2);
    expectCode(await setPause("feed", true, "x".repeat(281)), "workers", 2);
    expectCode(await setPause("feed", true, "é".repeat(141)), "workers", 2); // 282 bytes
    expectCode(await h.exec(gov, pauseMsg("feed", true, "", "not-an-address")), "sdk", 7);
    ok(await setPause(`a${"b".repeat(31)}`, true, "é".repeat(140)));
    ok(await setPause("a", true, "x".repeat(280)));
    ok(await setPause(`a${"b".repeat(31)}`, false));
    ok(await setPause("a", false));
  });

  it("keeps at most 64 workers paused one by one", async () => {
    const names = Array.from({ length: 64 }, (_, i) => `w${String(i).padStart(2, "0")}`);
    const first = await h.sign(
      gov,
      names.slice(0, 32).map((n) => pauseMsg(n, true)),
    );
    const second = await h.sign(
      gov,
      names.slice(32).map((n) => pauseMsg(n, true)),
      1,
    );
    const [r1, r2] = await h.block([first, second]);
    ok(r1!);
    ok(r2!);
    expect(workerPauseState(h.store).workers.map((w) => w.worker)).toEqual(names);
    expectCode(await setPause("one-more", true), "workers", 5);
    // The global switch still works when the list is full.
    ok(await setPause("", true, "too many"));
    expect(isWorkerPaused(h.store, "one-more")).toBe(true);
    ok(await setPause("", false));
    ok(await setPause("w10", false));
    ok(await setPause("one-more", true));
    expect(workerPauseState(h.store).workers).toHaveLength(64);
  });

  it("parses genesis strictly, defaulting the authority to the gov module account", () => {
    expect(parseWorkersGenesis(undefined).params).toEqual({ authority: moduleAddress("gov") });
    expect(parseWorkersGenesis({ params: {} }).params).toEqual({ authority: moduleAddress("gov") });
    expect(() => parseWorkersGenesis({ paused: [] })).toThrow(/app_state\.workers\.paused: unknown field/);
    expect(() => parseWorkersGenesis({ params: { authority: "gov" } })).toThrow(
      /app_state\.workers\.params\.authority/,
    );
    expect(() => parseWorkersGenesis({ params: { authority: gov.address, x: 1 } })).toThrow(/unknown field/);
  });
});
