/**
 * `<home>/config/genesis.json` in CometBFT's shape, so operators and tools that know CometBFT can read
 * it. int64s are decimal strings as CometBFT writes them. Parsing is strict: every key is known, every
 * value checked, and a failure names its JSON path (`validators[0].pub_key.value`). The application's
 * own sections under `app_state` are checked by a callback the caller passes, so this file knows no
 * module.
 */

import { fromBase64, fromHex, sha256, toHexUpper } from "../crypto/hash.js";
import { readTextCapped } from "./config.js";

export const ED25519_PUBKEY_TYPE = "tendermint/PubKeyEd25519";
export const MAX_GENESIS_BYTES = 16 << 20;
export const CHAIN_ID_PATTERN = /^[a-zA-Z0-9_.-]{1,50}$/;
/** CometBFT's MaxTotalVotingPower (int64 max / 8): keeps proposer-priority arithmetic from overflowing. */
export const MAX_TOTAL_VOTING_POWER = 1152921504606846975n;
const MAX_VALIDATOR_NAME = 70;

export interface ConsensusParams {
  block: { max_bytes: string; max_gas: string };
  evidence: { max_age_num_blocks: string; max_age_duration: string; max_bytes: string };
  validator: { pub_key_types: ["ed25519"] };
  version?: { app: string };
  abci?: { vote_extensions_enable_height: string };
}

export interface GenesisValidator {
  /** Uppercase hex of sha256(pubkey)[:20], CometBFT's validator address. */
  address: string;
  pub_key: { type: typeof ED25519_PUBKEY_TYPE; value: string };
  power: string;
  name: string;
  /**
   * The node id (hex of sha256(node key)[:20]) of the node this validator runs on: the connection
   * gater of a permissioned network admits it. A VIVIM extension to CometBFT's genesis.
   */
  node_id?: string;
}

export interface GenesisDoc {
  genesis_time: string;
  chain_id: string;
  initial_height: string;
  consensus_params: ConsensusParams;
  validators: GenesisValidator[];
  app_hash: string;
  app_state: Record<string, unknown>;
}

export interface GenesisParseOptions {
  /** Checks the module sections; throw (ideally a GenesisError with an `app_state.<module>...` field) to reject. */
  validateAppState(appState: Record<string, unknown>): void;
}

export type GenesisErrorCode = "GENESIS_INVALID" | "GENESIS_UNREADABLE";

export class GenesisError extends Error {
  readonly code: GenesisErrorCode;
  readonly field: string;
  constructor(field: string, problem: string, code: GenesisErrorCode = "GENESIS_INVALID") {
    super(field ? `invalid genesis: ${field}: ${problem}` : `genesis: ${problem}`);
    this.name = "GenesisError";
    this.code = code;
    this.field = field;
  }
}

/** CometBFT's defaults (types/params.go), which suit a social chain's small txs as well. */
export function defaultConsensusParams(): ConsensusParams {
  return {
    block: { max_bytes: "22020096", max_gas: "-1" },
    evidence: { max_age_num_blocks: "100000", max_age_duration: "172800000000000", max_bytes: "1048576" },
    validator: { pub_key_types: ["ed25519"] },
    version: { app: "0" },
  };
}

/** CometBFT validator address of an ed25519 public key. */
export function validatorAddress(pubkey: Uint8Array): string {
  return toHexUpper(sha256(pubkey).subarray(0, 20));
}

// ---------------------------------------------------------------- strict shape helpers

type Json = Record<string, unknown>;

function table(v: unknown, field: string): Json {
  if (typeof v !== "object" || v === null || Array.isArray(v))
    throw new GenesisError(field, "must be an object");
  return v as Json;
}

/** An object with exactly the `required` keys plus any of `optional`. */
function shape(
  v: unknown,
  field: string,
  required: readonly string[],
  optional: readonly string[] = [],
): Json {
  const o = table(v, field);
  const at = (k: string) => (field ? `${field}.${k}` : k);
  for (const k of Object.keys(o)) {
    if (!required.includes(k) && !optional.includes(k)) throw new GenesisError(at(k), "unknown field");
  }
  for (const k of required) if (!Object.hasOwn(o, k)) throw new GenesisError(at(k), "is required");
  return o;
}

function text(v: unknown, field: string): string {
  if (typeof v !== "string")
    throw new GenesisError(field, `must be a string, got ${v === null ? "null" : typeof v}`);
  return v;
}

/** A decimal int64 string as CometBFT writes them; `min` bounds it from below. */
function int64(v: unknown, field: string, min: bigint): bigint {
  const s = text(v, field);
  if (!/^-?(0|[1-9]\d{0,18})$/.test(s))
    throw new GenesisError(field, `must be a decimal integer string, got ${JSON.stringify(s.slice(0, 30))}`);
  const n = BigInt(s);
  if (n < min || n > 9223372036854775807n)
    throw new GenesisError(field, `must be between ${min} and 2^63-1, got ${s}`);
  return n;
}

const RFC3339 =
  /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(\.\d{1,9})?(Z|[+-](?:[01]\d|2[0-3]):[0-5]\d)$/;

function checkTime(v: unknown, field: string): void {
  const s = text(v, field);
  const m = RFC3339.exec(s);
  // Date.parse accepts "2024-02-30"; rebuilding the calendar date catches what it silently rolls over.
  const [y, mo, d, h, mi, se] = (m?.slice(1, 7) ?? []).map(Number);
  const date = m ? new Date(Date.UTC(y ?? 0, (mo ?? 0) - 1, d ?? 0, h ?? 0, mi ?? 0, se ?? 0)) : undefined;
  if (
    !date ||
    date.getUTCDate() !== d ||
    date.getUTCMonth() + 1 !== mo ||
    (h ?? 0) > 23 ||
    (mi ?? 0) > 59 ||
    (se ?? 0) > 59
  ) {
    throw new GenesisError(
      field,
      `must be an RFC3339 time like "2024-01-01T00:00:00Z", got ${JSON.stringify(s.slice(0, 40))}`,
    );
  }
}

// ---------------------------------------------------------------- sections

function checkConsensusParams(v: unknown): void {
  const f = "consensus_params";
  const p = shape(v, f, ["block", "evidence", "validator"], ["version", "abci"]);
  const block = shape(p.block, `${f}.block`, ["max_bytes", "max_gas"]);
  int64(block.max_bytes, `${f}.block.max_bytes`, 1n);
  int64(block.max_gas, `${f}.block.max_gas`, -1n);
  const ev = shape(p.evidence, `${f}.evidence`, ["max_age_num_blocks", "max_age_duration", "max_bytes"]);
  int64(ev.max_age_num_blocks, `${f}.evidence.max_age_num_blocks`, 1n);
  int64(ev.max_age_duration, `${f}.evidence.max_age_duration`, 1n);
  int64(ev.max_bytes, `${f}.evidence.max_bytes`, 0n);
  const val = shape(p.validator, `${f}.validator`, ["pub_key_types"]);
  const types = val.pub_key_types;
  if (!Array.isArray(types) || types.length !== 1 || types[0] !== "ed25519") {
    throw new GenesisError(
      `${f}.validator.pub_key_types`,
      'must be ["ed25519"] (the only consensus key type)',
    );
  }
  if (p.version !== undefined) int64(shape(p.version, `${f}.version`, ["app"]).app, `${f}.version.app`, 0n);
  if (p.abci !== undefined) {
    const h = shape(p.abci, `${f}.abci`, ["vote_extensions_enable_height"]).vote_extensions_enable_height;
    // Vote extensions are not implemented; accepting a height would promise behaviour that does not exist.
    if (int64(h, `${f}.abci.vote_extensions_enable_height`, 0n) !== 0n) {
      throw new GenesisError(
        `${f}.abci.vote_extensions_enable_height`,
        'must be "0": vote extensions are not supported',
      );
    }
  }
}

function checkValidators(v: unknown): void {
  if (!Array.isArray(v) || v.length === 0) throw new GenesisError("validators", "must be a non-empty array");
  const seen = new Set<string>();
  let total = 0n;
  v.forEach((raw, i) => {
    const f = `validators[${i}]`;
    const val = shape(raw, f, ["address", "pub_key", "power", "name"], ["node_id"]);
    if (val.node_id !== undefined && !/^[0-9a-f]{40}$/.test(text(val.node_id, `${f}.node_id`)))
      throw new GenesisError(`${f}.node_id`, "must be 40 lowercase hex characters");
    const pk = shape(val.pub_key, `${f}.pub_key`, ["type", "value"]);
    if (pk.type !== ED25519_PUBKEY_TYPE)
      throw new GenesisError(`${f}.pub_key.type`, `must be "${ED25519_PUBKEY_TYPE}"`);
    let key: Uint8Array;
    try {
      key = fromBase64(text(pk.value, `${f}.pub_key.value`));
    } catch (err) {
      if (err instanceof GenesisError) throw err;
      throw new GenesisError(`${f}.pub_key.value`, "must be standard base64");
    }
    if (key.length !== 32)
      throw new GenesisError(`${f}.pub_key.value`, `must be 32 bytes, got ${key.length}`);
    const addr = text(val.address, `${f}.address`);
    let addrOk = false;
    try {
      addrOk = fromHex(addr).length === 20 && addr.toUpperCase() === validatorAddress(key);
    } catch {}
    if (!addrOk)
      throw new GenesisError(
        `${f}.address`,
        `must be ${validatorAddress(key)} (hex of sha256(pub_key)[:20])`,
      );
    if (seen.has(addr.toUpperCase()))
      throw new GenesisError(`${f}.pub_key.value`, "duplicates an earlier validator");
    seen.add(addr.toUpperCase());
    const power = text(val.power, `${f}.power`);
    if (!/^[1-9]\d{0,18}$/.test(power))
      throw new GenesisError(
        `${f}.power`,
        `must be a positive integer string, got ${JSON.stringify(power.slice(0, 30))}`,
      );
    total += BigInt(power);
    if (total > MAX_TOTAL_VOTING_POWER)
      throw new GenesisError(`${f}.power`, `total power exceeds ${MAX_TOTAL_VOTING_POWER}`);
    const name = text(val.name, `${f}.name`);
    if (name.length > MAX_VALIDATOR_NAME)
      throw new GenesisError(`${f}.name`, `must be at most ${MAX_VALIDATOR_NAME} characters`);
  });
}

/** Parses and checks genesis.json text; anything not exactly right is a GenesisError naming its field. */
export function parseGenesis(jsonText: string, opts: GenesisParseOptions): GenesisDoc {
  if (Buffer.byteLength(jsonText, "utf8") > MAX_GENESIS_BYTES) {
    throw new GenesisError("", `larger than ${MAX_GENESIS_BYTES} bytes`);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(jsonText);
  } catch (err) {
    throw new GenesisError("", `not valid JSON (${(err as Error).message})`);
  }
  const doc = shape(raw, "", [
    "genesis_time",
    "chain_id",
    "initial_height",
    "consensus_params",
    "validators",
    "app_hash",
    "app_state",
  ]);
  checkTime(doc.genesis_time, "genesis_time");
  const chainId = text(doc.chain_id, "chain_id");
  if (!CHAIN_ID_PATTERN.test(chainId)) {
    throw new GenesisError(
      "chain_id",
      `must be 1 to 50 characters of [a-zA-Z0-9_.-], got ${JSON.stringify(chainId.slice(0, 60))}`,
    );
  }
  int64(doc.initial_height, "initial_height", 1n);
  checkConsensusParams(doc.consensus_params);
  checkValidators(doc.validators);
  const appHash = text(doc.app_hash, "app_hash");
  if (!/^(?:[0-9a-fA-F]{2})*$/.test(appHash))
    throw new GenesisError("app_hash", "must be hex (normally empty)");
  const appState = table(doc.app_state, "app_state");
  try {
    opts.validateAppState(appState);
  } catch (err) {
    if (err instanceof GenesisError) throw err;
    throw new GenesisError("app_state", err instanceof Error ? err.message : String(err));
  }
  return doc as unknown as GenesisDoc;
}

/** Pretty JSON in CometBFT's key order, with a trailing newline. */
export function renderGenesis(doc: GenesisDoc): string {
  const ordered: GenesisDoc = {
    genesis_time: doc.genesis_time,
    chain_id: doc.chain_id,
    initial_height: doc.initial_height,
    consensus_params: doc.consensus_params,
    validators: doc.validators.map((v) => ({
      address: v.address,
      pub_key: v.pub_key,
      power: v.power,
      name: v.name,
      ...(v.node_id ? { node_id: v.node_id } : {}),
    })),
    app_hash: doc.app_hash,
    app_state: doc.app_state,
  };
  return `${JSON.stringify(ordered, null, 2)}\n`;
}

export function loadGenesis(path: string, opts: GenesisParseOptions): GenesisDoc {
  const read = readTextCapped(path, MAX_GENESIS_BYTES);
  if ("problem" in read) throw new GenesisError("", read.problem, "GENESIS_UNREADABLE");
  return parseGenesis(read.text, opts);
}

export interface NewGenesisOptions {
  chainId: string;
  validators: GenesisValidator[];
  appState: Record<string, unknown>;
  /** Defaults to now. CometBFT writes nanoseconds; milliseconds are what a JS Date holds. */
  genesisTime?: Date;
}

/** A new genesis document with default consensus params; checked by the same rules as parseGenesis. */
export function newGenesis(opts: NewGenesisOptions): GenesisDoc {
  const doc: GenesisDoc = {
    genesis_time: (opts.genesisTime ?? new Date()).toISOString(),
    chain_id: opts.chainId,
    initial_height: "1",
    consensus_params: defaultConsensusParams(),
    validators: opts.validators,
    app_hash: "",
    app_state: opts.appState,
  };
  return parseGenesis(renderGenesis(doc), { validateAppState: () => {} });
}
