/**
 * The validator registry and its queue of pending changes.
 *
 * State (prefix `ModulePrefix.validators`):
 *   0x01 | pubkey → Validator      the registry: the set consensus gets once the updates it was
 *                                   handed take effect (block H's updates are in force at H+2)
 *   0x02 | pubkey → uint64 power   the target: the registry as it will be when the queue is empty
 *   0x03 | id     → PendingUpdate  the queue, FIFO by id
 *   0x04 → head id, 0x05 → next id, 0x06 → params
 *   0x07 → registry totals, 0x08 → target totals (count, power: two uint64)
 *   0x09 | operator address (20 bytes) → the public keys (32 bytes each, ascending) of the
 *                                   registry validators whose record names that operator
 *
 * Operators: a registry record may name the account that runs the validator. Governance reads an
 * account's council power with point reads (`operatorPower`): the operator index lists its
 * validators and their registry records give the powers in force, so a partly applied update counts
 * with the power reached so far. The index follows the registry exactly — a record gets, changes or
 * loses its operator only when an update is applied to it (in the end block, never at queue time),
 * and a removed validator leaves its operator's list — so a list never holds more keys than the
 * registry (at most `max_validators`).
 *
 * Every update is checked when it is queued against the target (the registry with every earlier
 * update applied) and the queue is applied in order, so each state the registry passes through has
 * been checked: never empty, never more than `max_validators`, never over the total power limit.
 *
 * The end-block hook applies queued updates while the sum of |Δpower| stays within the per-block
 * cap (a percentage of the total power at the block's start, at least 1). The update at the head
 * of the queue that does not fit is applied partly — its power moves toward the target by what is
 * left of the cap — and finishes in later blocks; later updates wait behind it. So every block
 * respects the cap (a single oversized change never lands at once, which is the point of the cap:
 * consecutive validator sets keep most of their power in common), and every block with pending
 * updates makes progress. Updates with no power change (a moniker) cost nothing against the cap.
 */
import { decodeAddress, encodeAddress } from "../../chain/crypto/address.js";
import { sha256, toBase64, toHexUpper } from "../../chain/crypto/hash.js";
import { CodedError } from "../../chain/errors/codes.js";
import { indexedEvent } from "../lib/events.js";
import { key, ModulePrefix, readUint64, uint64Bytes } from "../lib/store.js";
import type { ExecContext, KVReader, KVStore, ValidatorUpdate } from "../types.js";
import { PendingUpdate, ValidatorRecord, type ValidatorRecord as ValidatorRecordT } from "./codec.js";
import {
  getValidatorsParams,
  MAX_MONIKER_LENGTH,
  MAX_TOTAL_VOTING_POWER,
  ValidatorsErrors,
} from "./params.js";

const P = ModulePrefix.validators;
export const REGISTRY_PREFIX = new Uint8Array([P, 0x01]);
const TARGET_PREFIX = new Uint8Array([P, 0x02]);
export const QUEUE_PREFIX = new Uint8Array([P, 0x03]);
const QUEUE_HEAD_KEY = new Uint8Array([P, 0x04]);
const QUEUE_NEXT_KEY = new Uint8Array([P, 0x05]);
const REGISTRY_TOTALS_KEY = new Uint8Array([P, 0x07]);
const TARGET_TOTALS_KEY = new Uint8Array([P, 0x08]);
const OPERATOR_PREFIX = new Uint8Array([P, 0x09]);

export const PUBKEY_LENGTH = 32;

export interface Totals {
  readonly count: bigint;
  readonly power: bigint;
}

export interface ScheduleUpdateInput {
  /** ed25519 consensus public key, 32 bytes. */
  readonly pubKey: Uint8Array;
  /** Target power; 0 removes the validator. */
  readonly power: bigint;
  /** Optional display name; empty keeps the current one. */
  readonly moniker?: string;
  /**
   * Optional bech32 operator account, set when the update is applied; empty keeps the current one
   * (a new validator added without one has no operator, hence no council vote).
   */
  readonly operator?: string;
}

const registryKey = (pubKey: Uint8Array) => key(REGISTRY_PREFIX, pubKey);
const targetKey = (pubKey: Uint8Array) => key(TARGET_PREFIX, pubKey);
const queueKey = (id: bigint) => key(QUEUE_PREFIX, uint64Bytes(id));
const operatorKey = (operator: Uint8Array) => key(OPERATOR_PREFIX, operator);
const bytesCompare = (a: Uint8Array, b: Uint8Array) => Buffer.compare(a, b);

function readTotals(store: KVReader, k: Uint8Array): Totals {
  const b = store.get(k);
  return b
    ? { count: readUint64(b.subarray(0, 8)), power: readUint64(b.subarray(8, 16)) }
    : { count: 0n, power: 0n };
}

function writeTotals(store: KVStore, k: Uint8Array, t: Totals): void {
  store.set(k, key(uint64Bytes(t.count), uint64Bytes(t.power)));
}

function readCounter(store: KVReader, k: Uint8Array, dflt: bigint): bigint {
  const b = store.get(k);
  return b ? readUint64(b) : dflt;
}

/** The consensus address of a validator key, uppercase hex (as in genesis.json and CometBFT). */
export function consensusAddress(pubKey: Uint8Array): string {
  return toHexUpper(sha256(pubKey).subarray(0, 20));
}

export function getValidator(store: KVReader, pubKey: Uint8Array): ValidatorRecordT | undefined {
  const b = store.get(registryKey(pubKey));
  return b ? ValidatorRecord.decode(b) : undefined;
}

export function registryTotals(store: KVReader): Totals {
  return readTotals(store, REGISTRY_TOTALS_KEY);
}

/** The registry's count and power once every pending update is applied. */
export function targetTotals(store: KVReader): Totals {
  return readTotals(store, TARGET_TOTALS_KEY);
}

export function targetPower(store: KVReader, pubKey: Uint8Array): bigint {
  const b = store.get(targetKey(pubKey));
  return b ? readUint64(b) : 0n;
}

export function pendingCount(store: KVReader): bigint {
  return readCounter(store, QUEUE_NEXT_KEY, 1n) - readCounter(store, QUEUE_HEAD_KEY, 1n);
}

/** The public keys listed under an operator (address bytes), ascending. */
function readOperatorList(store: KVReader, operator: Uint8Array): Uint8Array[] {
  const b = store.get(operatorKey(operator));
  const list: Uint8Array[] = [];
  if (b)
    for (let i = 0; i + PUBKEY_LENGTH <= b.length; i += PUBKEY_LENGTH)
      list.push(b.subarray(i, i + PUBKEY_LENGTH));
  return list;
}

function writeOperatorList(store: KVStore, operator: Uint8Array, list: readonly Uint8Array[]): void {
  if (list.length === 0) store.delete(operatorKey(operator));
  else store.set(operatorKey(operator), key(...[...list].sort(bytesCompare)));
}

/** Moves `pubKey` from `from`'s list to `to`'s (either may be empty: no operator). */
function moveOperator(store: KVStore, pubKey: Uint8Array, from: string, to: string): void {
  if (from === to) return;
  if (from !== "") {
    const op = decodeAddress(from);
    writeOperatorList(
      store,
      op,
      readOperatorList(store, op).filter((k) => bytesCompare(k, pubKey) !== 0),
    );
  }
  if (to !== "") {
    const op = decodeAddress(to);
    writeOperatorList(store, op, [...readOperatorList(store, op), pubKey]);
  }
}

/**
 * Sets a validator's power in the registry (0 deletes it), keeping the totals and the operator
 * index. An empty `moniker`/`operator` keeps the current one. Returns the operator before and after.
 */
function setRegistryPower(
  store: KVStore,
  pubKey: Uint8Array,
  power: bigint,
  moniker: string,
  operator: string,
): { before: string; after: string } {
  const old = getValidator(store, pubKey);
  const t = registryTotals(store);
  const oldPower = old?.power ?? 0n;
  const before = old?.operator ?? "";
  const after = power === 0n ? "" : operator || before;
  if (power === 0n) store.delete(registryKey(pubKey));
  else
    store.set(
      registryKey(pubKey),
      ValidatorRecord.encode({
        pubKey,
        power,
        moniker: moniker || old?.moniker || "",
        operator: after,
      }).finish(),
    );
  moveOperator(store, pubKey, before, after);
  writeTotals(store, REGISTRY_TOTALS_KEY, {
    count: t.count + (oldPower === 0n && power > 0n ? 1n : 0n) - (oldPower > 0n && power === 0n ? 1n : 0n),
    power: t.power - oldPower + power,
  });
  return { before, after };
}

/** The registry's total power: the whole council's, in governance. */
export function totalRegistryPower(store: KVReader): bigint {
  return registryTotals(store).power;
}

/**
 * The consensus public keys of the registry validators `operator` runs (ascending); none for an
 * account that operates none or is not a valid address.
 */
export function operatedValidators(store: KVReader, operator: string): Uint8Array[] {
  let bytes: Uint8Array;
  try {
    bytes = decodeAddress(operator);
  } catch {
    return [];
  }
  return readOperatorList(store, bytes).map((k) => Uint8Array.from(k));
}

/**
 * An account's council power: the sum of the registry (in-force) powers of the validators it
 * operates, 0 if none. Point reads only: the operator's index entry and one registry record per
 * validator it runs.
 */
export function operatorPower(store: KVReader, operator: string): bigint {
  let sum = 0n;
  for (const pubKey of operatedValidators(store, operator)) sum += getValidator(store, pubKey)?.power ?? 0n;
  return sum;
}

function setTargetPower(store: KVStore, pubKey: Uint8Array, power: bigint): void {
  const old = targetPower(store, pubKey);
  const t = targetTotals(store);
  if (power === 0n) store.delete(targetKey(pubKey));
  else store.set(targetKey(pubKey), uint64Bytes(power));
  writeTotals(store, TARGET_TOTALS_KEY, {
    count: t.count + (old === 0n && power > 0n ? 1n : 0n) - (old > 0n && power === 0n ? 1n : 0n),
    power: t.power - old + power,
  });
}

/** Genesis: a validator in force from the first height (no queue, no cap). */
export function seedValidator(store: KVStore, v: ValidatorRecordT): void {
  setRegistryPower(store, v.pubKey, v.power, v.moniker, v.operator);
  setTargetPower(store, v.pubKey, v.power);
}

export function checkMoniker(moniker: string): void {
  if (moniker.length > MAX_MONIKER_LENGTH)
    throw new CodedError(ValidatorsErrors.InvalidMoniker, `longer than ${MAX_MONIKER_LENGTH} characters`);
  // biome-ignore lint/suspicious/noControlCharactersInRegex: rejecting control characters is the point.
  if (/[\u0000-\u001f\u007f]/.test(moniker))
    throw new CodedError(ValidatorsErrors.InvalidMoniker, "must not contain control characters");
}

/** An operator is empty (none) or a canonical (lowercase) bech32 account address. */
export function checkOperator(operator: string): void {
  if (operator === "") return;
  let bytes: Uint8Array;
  try {
    bytes = decodeAddress(operator);
  } catch (err) {
    throw new CodedError(
      ValidatorsErrors.InvalidOperator,
      err instanceof CodedError ? err.log : "not an account address",
    );
  }
  if (encodeAddress(bytes) !== operator)
    throw new CodedError(ValidatorsErrors.InvalidOperator, "must be written in lowercase");
}

/** Stateless checks shared by the Msg and the keeper API. */
export function checkUpdateBasics(pubKey: Uint8Array, power: bigint, moniker: string, operator = ""): void {
  if (pubKey.length !== PUBKEY_LENGTH)
    throw new CodedError(
      ValidatorsErrors.InvalidPubKey,
      `must be ${PUBKEY_LENGTH} bytes, got ${pubKey.length}`,
    );
  if (power < 0n) throw new CodedError(ValidatorsErrors.InvalidPower, `power ${power} is negative`);
  if (power > MAX_TOTAL_VOTING_POWER)
    throw new CodedError(ValidatorsErrors.InvalidPower, `power ${power} exceeds ${MAX_TOTAL_VOTING_POWER}`);
  checkMoniker(moniker);
  checkOperator(operator);
  if (power === 0n && operator !== "")
    throw new CodedError(ValidatorsErrors.InvalidOperator, "a removal (power 0) takes no operator");
}

/**
 * Queues a validator-set change: add (unknown key, power > 0), re-weight, or remove (power 0).
 * This is the API governance calls once a proposal passes; it does no authority check (the
 * Msg does). Checked against the state the queue leads to; throws a CodedError otherwise.
 * Returns the update's id. The change reaches the registry in a later end block (this block's
 * at the earliest), and consensus two heights after that block.
 */
export function scheduleValidatorUpdate(ctx: ExecContext, input: ScheduleUpdateInput): bigint {
  const { pubKey, power } = input;
  const moniker = input.moniker ?? "";
  const operator = input.operator ?? "";
  checkUpdateBasics(pubKey, power, moniker, operator);
  const params = getValidatorsParams(ctx.store);
  const store = ctx.store;
  if (power > params.maxValidatorPower) {
    throw new CodedError(
      ValidatorsErrors.InvalidPower,
      `power ${power} exceeds the maximum of ${params.maxValidatorPower} per validator`,
    );
  }
  const old = targetPower(store, pubKey);
  const totals = targetTotals(store);
  const address = consensusAddress(pubKey);
  if (power === 0n && old === 0n)
    throw new CodedError(ValidatorsErrors.UnknownValidator, `${address} is not (or no longer) a validator`);
  if (power === 0n && totals.count === 1n)
    throw new CodedError(ValidatorsErrors.LastValidator, `${address} is the only validator`);
  const current = getValidator(store, pubKey);
  if (
    power === old &&
    (moniker === "" || moniker === current?.moniker) &&
    (operator === "" || operator === current?.operator)
  )
    throw new CodedError(ValidatorsErrors.NoChange, `${address} already has power ${power}`);
  if (old === 0n && power > 0n && totals.count >= BigInt(params.maxValidators))
    throw new CodedError(
      ValidatorsErrors.TooManyValidators,
      `the set already has ${totals.count} validators`,
    );
  if (totals.power - old + power > MAX_TOTAL_VOTING_POWER)
    throw new CodedError(ValidatorsErrors.TotalPowerTooLarge, `total would exceed ${MAX_TOTAL_VOTING_POWER}`);
  const head = readCounter(store, QUEUE_HEAD_KEY, 1n);
  const id = readCounter(store, QUEUE_NEXT_KEY, 1n);
  if (id - head >= BigInt(params.maxPendingUpdates))
    throw new CodedError(ValidatorsErrors.QueueFull, `${id - head} updates are already pending`);

  const update: PendingUpdate = { id, pubKey, power, moniker, queuedHeight: ctx.block.height, operator };
  store.set(queueKey(id), PendingUpdate.encode(update).finish());
  store.set(QUEUE_NEXT_KEY, uint64Bytes(id + 1n));
  setTargetPower(store, pubKey, power);
  ctx.emit(
    indexedEvent(
      "validator_update_queued",
      {
        update_id: id.toString(),
        pubkey: toBase64(pubKey),
        address,
        power: power.toString(),
        moniker,
        operator,
      },
      ["power", "moniker"],
    ),
  );
  return id;
}

/** What one block may change: the share of the registry's power, at least 1 so queues always drain. */
export function powerChangeCap(totalPower: bigint, percent: number): bigint {
  const cap = (totalPower * BigInt(percent)) / 100n;
  return cap > 0n ? cap : 1n;
}

/**
 * The end-block step: applies queued updates within this block's power-change cap and returns
 * the net change per validator (at most one entry per key, in order of first change; keys whose
 * power ends where it started are left out), which the block hands to consensus. Emits a
 * `validator_operator` event whenever a record's operator changes (removal included: to "").
 */
export function applyPendingUpdates(ctx: ExecContext): ValidatorUpdate[] {
  const store = ctx.store;
  let head = readCounter(store, QUEUE_HEAD_KEY, 1n);
  const next = readCounter(store, QUEUE_NEXT_KEY, 1n);
  if (head >= next) return [];
  const params = getValidatorsParams(store);
  let budget = powerChangeCap(registryTotals(store).power, params.maxPowerChangePerBlockPercent);
  const touched = new Map<string, { pubKey: Uint8Array; start: bigint }>();
  const apply = (u: PendingUpdate, power: bigint) => {
    const { before, after } = setRegistryPower(store, u.pubKey, power, u.moniker, u.operator);
    if (before === after) return;
    ctx.emit(
      indexedEvent(
        "validator_operator",
        {
          pubkey: toBase64(u.pubKey),
          address: consensusAddress(u.pubKey),
          operator: after,
          previous_operator: before,
        },
        ["previous_operator"],
      ),
    );
  };

  while (head < next) {
    const bytes = store.get(queueKey(head));
    if (!bytes) throw new Error(`validators queue entry ${head} is missing`);
    const u = PendingUpdate.decode(bytes);
    const current = getValidator(store, u.pubKey)?.power ?? 0n;
    const delta = u.power > current ? u.power - current : current - u.power;
    const hex = toHexUpper(u.pubKey);
    if (delta > 0n && budget === 0n) break;
    if (!touched.has(hex)) touched.set(hex, { pubKey: u.pubKey, start: current });
    if (delta <= budget) {
      apply(u, u.power);
      budget -= delta;
      store.delete(queueKey(head));
      head += 1n;
      continue;
    }
    // Partly: as far toward the target as the rest of the cap allows; the update stays at the head.
    const stepped = u.power > current ? current + budget : current - budget;
    apply(u, stepped);
    budget = 0n;
    break;
  }
  store.set(QUEUE_HEAD_KEY, uint64Bytes(head));

  const updates: ValidatorUpdate[] = [];
  for (const { pubKey, start } of touched.values()) {
    const power = getValidator(store, pubKey)?.power ?? 0n;
    if (power === start) continue;
    updates.push({ pubKey, power });
    ctx.emit(
      indexedEvent(
        "validator_update",
        { pubkey: toBase64(pubKey), address: consensusAddress(pubKey), power: power.toString() },
        ["power"],
      ),
    );
  }
  return updates;
}

/** Checks that `authority` may send MsgUpdateValidator. */
export function assertAuthority(store: KVReader, authority: string): void {
  const expected = getValidatorsParams(store).authority;
  if (authority !== expected) {
    throw new CodedError(
      ValidatorsErrors.InvalidAuthority,
      `expected ${expected} as the signer, got ${authority}`,
    );
  }
  decodeAddress(authority);
}
