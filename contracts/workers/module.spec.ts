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
import { getLatestAuditAnchor } from "./audit-anchors.js";
import { parseWorkersGenesis } from "./genesis.js";
import { workersModule } from "./module.js";
import {
  QueryAuditAnchorsRequest,
  QueryAuditAnchorsResponse,
  QueryLatestAuditAnchorRequest,
  QueryLatestAuditAnchorResponse,
  QueryPauseStateRequest,
  QueryPauseStateResponse,
  QueryWorkersParamsRequest,
  QueryWorkersParamsResponse,
} from "./query.js";
import { isWorkerPaused, workerPauseState } from "./state.js";
import {
  MsgAnchorAudit,
  MsgAnchorAuditResponse,
  MsgSetWorkerPause,
  MsgSetWorkerPauseResponse,
} from "./tx.js";

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

  const hash = (byte: number) => new Uint8Array(32).fill(byte);
  const anchor = (
    signer: SpecAccount,
    log: string,
    fromSeq: bigint,
    toSeq: bigint,
    o: { root?: Uint8Array; headHash?: Uint8Array } = {},
  ) =>
    h.exec(
      signer,
      vivimMsg(MsgAnchorAudit, {
        signer: signer.address,
        log,
        fromSeq,
        toSeq,
        root: o.root ?? hash(Number(fromSeq % 250n)),
        headHash: o.headHash ?? hash(Number(toSeq % 250n) + 1),
      }),
    );
  const anchors = (signer: string, log: string, pagination?: { key?: Uint8Array; limit?: bigint }) =>
    h.query(
      "/vivim.workers.v1.Query/AuditAnchors",
      QueryAuditAnchorsRequest,
      { signer, log, ...(pagination ? { pagination } : {}) },
      QueryAuditAnchorsResponse,
    );
  const latest = (signer: string, log: string) =>
    h.query(
      "/vivim.workers.v1.Query/LatestAuditAnchor",
      QueryLatestAuditAnchorRequest,
      { signer, log },
      QueryLatestAuditAnchorResponse,
    );
  const restAt = async (path: string) => {
    const [pathname = "", qs] = path.split("?");
    const match = matchRoute(API_ROUTES, "GET", pathname);
    if (match.kind !== "route") throw new Error(`no route for ${pathname}`);
    const res = await match.route.handler({ node: { app: h.app } } as never, {
      params: match.params,
      query: new URLSearchParams(qs ?? ""),
      body: async () => ({}),
    });
    return { name: match.route.name, json: (res as { json: unknown }).json };
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

  it("anchors an account's audit log in contiguous ranges from seq 1", async () => {
    expect(await latest(alice.address, "moderation")).toEqual({ anchor: undefined });
    expect(getLatestAuditAnchor(h.store, alice.address, "moderation")).toBeUndefined();
    // The first anchor must start at 1.
    expectCode(await anchor(alice, "moderation", 2n, 5n), "workers", 7);

    const first = ok(await anchor(alice, "moderation", 1n, 3n, { root: hash(0xaa), headHash: hash(0xbb) }));
    const firstHeight = h.lastHeight;
    expect(MsgAnchorAuditResponse.decode(first.response ?? new Uint8Array())).toEqual({});
    expect(first.events.find((e) => e.type === "vivim.workers.v1.EventAuditAnchored")?.attributes).toEqual([
      { key: "signer", value: alice.address, index: true },
      { key: "log", value: "moderation", index: true },
      { key: "from_seq", value: "1", index: false },
      { key: "to_seq", value: "3", index: false },
      { key: "root", value: "aa".repeat(32), index: false },
      { key: "head_hash", value: "bb".repeat(32), index: false },
    ]);
    const stored = {
      signer: alice.address,
      log: "moderation",
      fromSeq: 1n,
      toSeq: 3n,
      root: hash(0xaa),
      headHash: hash(0xbb),
      height: firstHeight,
      time: expect.any(BigInt),
    };
    expect(await latest(alice.address, "moderation")).toEqual({ anchor: stored });

    // Gaps, overlaps and repeats are refused; the next range starts at 4.
    expectCode(await anchor(alice, "moderation", 5n, 9n), "workers", 7);
    expectCode(await anchor(alice, "moderation", 3n, 9n), "workers", 7);
    expectCode(await anchor(alice, "moderation", 1n, 3n), "workers", 7);
    ok(await anchor(alice, "moderation", 4n, 4n));
    ok(await anchor(alice, "moderation", 5n, 100_004n)); // the most one anchor may cover
    expect((await latest(alice.address, "moderation")).anchor?.toSeq).toBe(100_004n);

    // Each (signer, log) has its own sequence.
    ok(await anchor(alice, "feed", 1n, 1n));
    ok(await anchor(gov, "moderation", 1n, 2n));
    expectCode(await anchor(gov, "moderation", 2n, 2n), "workers", 7);

    const all = await anchors(alice.address, "moderation");
    expect(all.anchors.map((a) => [a.fromSeq, a.toSeq])).toEqual([
      [1n, 3n],
      [4n, 4n],
      [5n, 100_004n],
    ]);
    expect(all.anchors[0]).toEqual(stored);
    const page1 = await anchors(alice.address, "moderation", { limit: 2n });
    expect(page1.anchors.map((a) => a.fromSeq)).toEqual([1n, 4n]);
    expect(page1.pagination?.nextKey.length).toBeGreaterThan(0);
    const page2 = await anchors(alice.address, "moderation", { key: page1.pagination!.nextKey, limit: 2n });
    expect(page2.anchors.map((a) => a.fromSeq)).toEqual([5n]);
    expect(page2.pagination?.nextKey.length).toBe(0);
    expect((await anchors(gov.address, "moderation")).anchors.map((a) => a.toSeq)).toEqual([2n]);
    expect((await anchors(gov.address, "feed")).anchors).toEqual([]);

    const listed = await restAt(
      `/vivim/workers/v1/audit_anchors/${alice.address}/moderation?pagination.limit=1`,
    );
    expect(listed.name).toBe("workers.audit_anchors");
    expect(listed.json).toEqual({
      anchors: [
        {
          signer: alice.address,
          log: "moderation",
          from_seq: "1",
          to_seq: "3",
          root: Buffer.from(hash(0xaa)).toString("base64"),
          head_hash: Buffer.from(hash(0xbb)).toString("base64"),
          height: firstHeight.toString(),
          time: expect.any(String),
        },
      ],
      pagination: { next_key: expect.any(String), total: "0" },
    });
    const head = await restAt(`/vivim/workers/v1/audit_anchors/${alice.address}/feed/latest`);
    expect(head.name).toBe("workers.latest_audit_anchor");
    expect((head.json as { anchor: { to_seq: string } }).anchor.to_seq).toBe("1");
    await expect(restAt(`/vivim/workers/v1/audit_anchors/${alice.address}/Bad_Log`)).rejects.toThrow(
      /log must/,
    );
    await expect(restAt("/vivim/workers/v1/audit_anchors/vivim1nope/feed")).rejects.toThrow();
  });

  it("checks an anchor's fields before anything runs", async () => {
    for (const bad of ["", "Moderation", "mod_x", "mod.x", "a".repeat(33), " mod"])
      expectCode(await anchor(alice, bad, 1n, 1n), "workers", 2);
    expectCode(await anchor(alice, "fresh", 0n, 1n), "workers", 2);
    expectCode(await anchor(alice, "fresh", 2n, 1n), "workers", 2);
    expectCode(await anchor(alice, "fresh", 1n, 100_001n), "workers", 2);
    expectCode(await anchor(alice, "fresh", 1n, 1n, { root: new Uint8Array(31) }), "workers", 2);
    expectCode(await anchor(alice, "fresh", 1n, 1n, { headHash: new Uint8Array(33) }), "workers", 2);
    expectCode(await anchor(alice, "fresh", 1n, 1n, { root: new Uint8Array() }), "workers", 2);
    // Only the signer's own logs: a msg naming another account is not signed by it.
    const forged = await h.exec(
      alice,
      vivimMsg(MsgAnchorAudit, {
        signer: gov.address,
        log: "fresh",
        fromSeq: 1n,
        toSeq: 1n,
        root: hash(1),
        headHash: hash(2),
      }),
    );
    expect(forged.code).not.toBe(0);
    expect(getLatestAuditAnchor(h.store, gov.address, "fresh")).toBeUndefined();
    expect(getLatestAuditAnchor(h.store, alice.address, "fresh")).toBeUndefined();
    await expect(latest(alice.address, "Bad")).rejects.toThrow(/sdk\/18|log must/);
    await expect(anchors("vivim1nope", "feed")).rejects.toThrow(/signer is not a valid address/);
    await expect(anchors(alice.address, "feed", { limit: 1001n })).rejects.toThrow(/at most 1000/);
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
