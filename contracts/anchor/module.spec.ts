/**
 * The anchor module's handlers and queries over an in-memory store: both sides of an anchor (the
 * target's checkpoints, the source's anchor records), their idempotent retries, their conflicts
 * and the field caps, each refusal with its code.
 */
import { describe, expect, it } from "vitest";
import type { ProtoMessage } from "../../chain/codec/proto-message.js";
import { encodeAddress } from "../../chain/crypto/address.js";
import { sha256 } from "../../chain/crypto/hash.js";
import { CodedError } from "../../chain/errors/codes.js";
import { INFINITE_GAS, makeExecContext } from "../../chain/execution/context.js";
import { MemoryStore } from "../../test/support/memory-store.js";
import { createModuleRegistry } from "../index.js";
import type { AbciEvent, MsgDefinition } from "../types.js";
import { AnchorErrors } from "./errors.js";
import { AnchorEvents } from "./events.js";
import { anchorModule } from "./module.js";
import { msgCheckpoint } from "./msg-checkpoint.js";
import { msgRecordAnchor } from "./msg-record-anchor.js";
import {
  QueryAnchorsAtRequest,
  QueryAnchorsAtResponse,
  QueryAnchorsRequest,
  QueryAnchorsResponse,
  QueryCheckpointRequest,
  QueryCheckpointResponse,
  QueryCheckpointsRequest,
  QueryCheckpointsResponse,
} from "./query.js";
import {
  type MsgCheckpoint,
  MsgCheckpointResponse,
  type MsgRecordAnchor,
  MsgRecordAnchorResponse,
} from "./tx.js";

const CHAIN = "vivim-target-1";
const registry = createModuleRegistry([anchorModule]);
const account = (i: number) => encodeAddress(sha256(new Uint8Array([0x61, i])).subarray(0, 20));
const hash = (byte: number, length = 32) => new Uint8Array(length).fill(byte);
const coded = (e: { codespace: string; code: number }) => ({ codespace: e.codespace, code: e.code });
const label = (o: object) =>
  JSON.stringify(o, (_k, v: unknown) => (typeof v === "bigint" ? v.toString() : v));
const txHash = (byte: number) => Buffer.from(hash(byte)).toString("hex");

function run<T>(
  store: MemoryStore,
  def: MsgDefinition<T>,
  msg: T,
  height = 10n,
): { response: Uint8Array; events: AbciEvent[] } {
  const events: AbciEvent[] = [];
  def.validateBasic(msg);
  const ctx = makeExecContext(
    { chainId: CHAIN, height, time: { seconds: 1_700_000_000n + height, nanos: 0 } },
    store,
    INFINITE_GAS,
    registry,
    events,
  );
  return { response: def.handle(ctx, msg).value, events };
}

function refusal(fn: () => unknown): { codespace: string; code: number } {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(CodedError);
    return { codespace: (err as CodedError).codespace, code: (err as CodedError).code };
  }
  throw new Error("expected a CodedError");
}

async function query<Req, Res>(
  store: MemoryStore,
  path: string,
  req: ProtoMessage<Req>,
  value: Parameters<ProtoMessage<Req>["fromPartial"]>[0],
  res: ProtoMessage<Res>,
): Promise<Res> {
  const handler = anchorModule.queries[path]!;
  return res.decode(await handler(store.query(20n, CHAIN), req.encode(req.fromPartial(value)).finish()));
}

const checkpoint = (o: Partial<MsgCheckpoint> = {}): MsgCheckpoint => ({
  submitter: account(1),
  sourceChainId: "vivim-source-1",
  height: 5n,
  headerHash: hash(1),
  appHash: hash(2),
  ...o,
});

const record = (o: Partial<MsgRecordAnchor> = {}): MsgRecordAnchor => ({
  signer: account(1),
  height: 5n,
  headerHash: hash(1),
  appHash: hash(2),
  targetChainId: "cosmoshub-4",
  targetTxHash: txHash(0xab),
  targetHeight: 777n,
  mode: "memo",
  ...o,
});

describe("MsgCheckpoint", () => {
  it("records another chain's checkpoint once, with an event, and a retry succeeds without a write", async () => {
    const store = new MemoryStore();
    const first = run(store, msgCheckpoint, checkpoint(), 10n);
    expect(MsgCheckpointResponse.decode(first.response).alreadyRecorded).toBe(false);
    expect(first.events.map((e) => e.type)).toEqual([AnchorEvents.Checkpoint]);
    expect(Object.fromEntries(first.events[0]!.attributes.map((a) => [a.key, a.value]))).toMatchObject({
      chain_id: "vivim-source-1",
      height: "5",
      header_hash: "01".repeat(32),
      submitter: account(1),
    });

    const retry = run(store, msgCheckpoint, checkpoint({ submitter: account(2) }), 11n);
    expect(MsgCheckpointResponse.decode(retry.response).alreadyRecorded).toBe(true);
    expect(retry.events).toEqual([]);

    const got = await query(
      store,
      "/vivim.anchor.v1.Query/Checkpoint",
      QueryCheckpointRequest,
      { chainId: "vivim-source-1", height: 5n },
      QueryCheckpointResponse,
    );
    // The first submitter and block stand.
    expect(got.checkpoint).toMatchObject({ submitter: account(1), recordedHeight: 10n, height: 5n });
    expect(Buffer.from(got.checkpoint!.headerHash)).toEqual(Buffer.from(hash(1)));
  });

  it("refuses another hash for a recorded height, and this chain's own id", () => {
    const store = new MemoryStore();
    run(store, msgCheckpoint, checkpoint());
    const conflict = AnchorErrors.CheckpointConflict;
    expect(refusal(() => run(store, msgCheckpoint, checkpoint({ headerHash: hash(9) })))).toEqual(
      coded(conflict),
    );
    expect(refusal(() => run(store, msgCheckpoint, checkpoint({ appHash: hash(9) })))).toEqual(
      coded(conflict),
    );
    expect(refusal(() => run(store, msgCheckpoint, checkpoint({ sourceChainId: CHAIN })))).toEqual(
      coded(AnchorErrors.InvalidField),
    );
  });

  it("checks every field before any state is read", () => {
    const invalid = AnchorErrors.InvalidField;
    for (const bad of [
      { sourceChainId: "" },
      { sourceChainId: "chain:with:colons" },
      { sourceChainId: "x".repeat(51) },
      { height: 0n },
      { height: -1n },
      { headerHash: hash(1, 31) },
      { headerHash: hash(1, 33) },
      { appHash: hash(1, 65) },
    ]) {
      expect(
        refusal(() => msgCheckpoint.validateBasic(checkpoint(bad))),
        label(bad),
      ).toEqual(coded(invalid));
    }
    expect(() => msgCheckpoint.validateBasic(checkpoint({ submitter: "cosmos1nope" }))).toThrow(CodedError);
    // An empty app hash (some chains' first block) and a 64-byte one are fine.
    msgCheckpoint.validateBasic(checkpoint({ appHash: new Uint8Array() }));
    msgCheckpoint.validateBasic(checkpoint({ appHash: hash(1, 64) }));
  });

  it("lists a chain's checkpoints latest first, page by page, apart from other chains'", async () => {
    const store = new MemoryStore();
    for (const height of [3n, 1n, 300n, 2n]) run(store, msgCheckpoint, checkpoint({ height }));
    run(store, msgCheckpoint, checkpoint({ sourceChainId: "other-1", height: 9n }));
    const page = (key?: Uint8Array) =>
      query(
        store,
        "/vivim.anchor.v1.Query/Checkpoints",
        QueryCheckpointsRequest,
        { chainId: "vivim-source-1", pagination: { limit: 3n, ...(key ? { key } : {}) } },
        QueryCheckpointsResponse,
      );
    const first = await page();
    expect(first.checkpoints.map((c) => c.height)).toEqual([300n, 3n, 2n]);
    const second = await page(first.pagination!.nextKey);
    expect(second.checkpoints.map((c) => c.height)).toEqual([1n]);
    expect(second.pagination!.nextKey.length).toBe(0);
  });

  it("answers a malformed query with InvalidRequest", async () => {
    const store = new MemoryStore();
    await expect(
      query(
        store,
        "/vivim.anchor.v1.Query/Checkpoint",
        QueryCheckpointRequest,
        { chainId: "bad:id", height: 1n },
        QueryCheckpointResponse,
      ),
    ).rejects.toMatchObject({ codespace: "sdk", code: 18 });
    await expect(
      anchorModule.queries["/vivim.anchor.v1.Query/Checkpoint"]!(store.query(), hash(0xff, 5)),
    ).rejects.toMatchObject({
      codespace: "sdk",
      code: 18,
    });
  });
});

describe("MsgRecordAnchor", () => {
  it("records an anchor of an earlier height with an event; the same claim again succeeds", async () => {
    const store = new MemoryStore();
    const first = run(store, msgRecordAnchor, record({ targetTxHash: txHash(0xab) }), 10n);
    expect(MsgRecordAnchorResponse.decode(first.response).alreadyRecorded).toBe(false);
    expect(first.events.map((e) => e.type)).toEqual([AnchorEvents.AnchorRecorded]);
    // A retry with the hash in lower case is the same claim: hashes are stored upper-case.
    const retry = run(store, msgRecordAnchor, record({ targetTxHash: txHash(0xab).toUpperCase() }), 12n);
    expect(MsgRecordAnchorResponse.decode(retry.response).alreadyRecorded).toBe(true);
    expect(retry.events).toEqual([]);

    const at = await query(
      store,
      "/vivim.anchor.v1.Query/AnchorsAt",
      QueryAnchorsAtRequest,
      { height: 5n },
      QueryAnchorsAtResponse,
    );
    expect(at.anchors).toHaveLength(1);
    expect(at.anchors[0]).toMatchObject({
      height: 5n,
      targetChainId: "cosmoshub-4",
      targetTxHash: txHash(0xab).toUpperCase(),
      targetHeight: 777n,
      mode: "memo",
      signer: account(1),
      recordedHeight: 10n,
      recordedTime: 1_700_000_010n,
    });
  });

  it("refuses a different claim for the signer's height, a height not yet committed and this chain as target", () => {
    const store = new MemoryStore();
    run(store, msgRecordAnchor, record(), 10n);
    expect(refusal(() => run(store, msgRecordAnchor, record({ targetTxHash: txHash(0xcd) }), 11n))).toEqual(
      coded(AnchorErrors.AnchorConflict),
    );
    expect(refusal(() => run(store, msgRecordAnchor, record({ targetHeight: 778n }), 11n))).toEqual(
      coded(AnchorErrors.AnchorConflict),
    );
    // Another account's anchor of the same height is its own record.
    run(store, msgRecordAnchor, record({ signer: account(2), targetTxHash: txHash(0xcd) }), 11n);
    const invalid = AnchorErrors.InvalidField;
    expect(refusal(() => run(store, msgRecordAnchor, record({ height: 10n }), 10n))).toEqual(coded(invalid));
    expect(refusal(() => run(store, msgRecordAnchor, record({ height: 11n }), 10n))).toEqual(coded(invalid));
    expect(refusal(() => run(store, msgRecordAnchor, record({ targetChainId: CHAIN }), 10n))).toEqual(
      coded(invalid),
    );
  });

  it("checks every field", () => {
    const invalid = AnchorErrors.InvalidField;
    for (const bad of [
      { height: 0n },
      { headerHash: hash(1, 16) },
      { appHash: hash(1, 100) },
      { targetChainId: "a b" },
      { targetTxHash: "00" },
      { targetTxHash: "zz".repeat(32) },
      { targetHeight: 0n },
      { mode: "ibc" },
    ]) {
      expect(
        refusal(() => msgRecordAnchor.validateBasic(record(bad))),
        label(bad),
      ).toEqual(coded(invalid));
    }
  });

  it("lists every anchor latest height first, one per signer at a height, page by page", async () => {
    const store = new MemoryStore();
    for (const height of [1n, 7n, 3n]) run(store, msgRecordAnchor, record({ height }), 20n);
    run(store, msgRecordAnchor, record({ height: 7n, signer: account(2) }), 20n);
    const page = (key?: Uint8Array) =>
      query(
        store,
        "/vivim.anchor.v1.Query/Anchors",
        QueryAnchorsRequest,
        { pagination: { limit: 2n, ...(key ? { key } : {}) } },
        QueryAnchorsResponse,
      );
    const first = await page();
    const second = await page(first.pagination!.nextKey);
    expect([...first.anchors, ...second.anchors].map((a) => a.height)).toEqual([7n, 7n, 3n, 1n]);
    expect(first.anchors.map((a) => a.signer).sort()).toEqual([account(1), account(2)].sort());
  });
});

describe("genesis", () => {
  it("takes nothing but an empty section", () => {
    anchorModule.validateGenesis(undefined);
    anchorModule.validateGenesis({});
    expect(() => anchorModule.validateGenesis({ params: {} })).toThrow(/app_state\.anchor/);
  });
});
