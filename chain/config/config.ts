/**
 * The node config, `<home>/config/config.toml`: CometBFT's config.toml sections plus the few Cosmos
 * app.toml keys a VIVIM node needs (`minimum_gas_prices`, `[api]`), so operators find keys where they
 * expect them. Every field is declared once in a schema that drives parsing, defaults and rendering;
 * the mapped types below make the compiler reject a schema that drifts from `NodeConfig`.
 */
import { closeSync, fstatSync, openSync, readSync } from "node:fs";
import { parse, stringify, TomlError } from "smol-toml";
import { CHAIN_ID } from "../../contracts/anchor/validate.js";
import { decodeAddress } from "../crypto/address.js";

export type LogLevel = "error" | "warn" | "info" | "debug";
export type LogFormat = "json" | "plain";

/** Durations are written as Go-style strings ("500ms", "1m30s") and held here in milliseconds. */
export interface RpcConfig {
  laddr: string;
  cors_allowed_origins: string[];
  max_body_bytes: number;
  max_subscription_clients: number;
  max_subscriptions_per_client: number;
  timeout_broadcast_tx_commit: number;
}
export interface ApiConfig {
  enable: boolean;
  address: string;
  workers_redis: string;
  /** Comma-separated accounts allowed to pause, resume and stop the workers over the app API. */
  workers_operators: string;
}
export interface P2pConfig {
  laddr: string;
  /** Comma-separated `<node id>@host:port`, CometBFT style; see `parsePersistentPeers`. */
  persistent_peers: string;
  /** Comma-separated node ids of full nodes the connection gater admits; see `parseNodeIds`. */
  allowed_node_ids: string;
}
export interface MempoolConfig {
  size: number;
  max_txs_bytes: number;
  max_tx_bytes: number;
  cache_size: number;
  max_txs_per_account: number;
}
export interface ConsensusConfig {
  timeout_propose: number;
  timeout_propose_delta: number;
  timeout_prevote: number;
  timeout_prevote_delta: number;
  timeout_precommit: number;
  timeout_precommit_delta: number;
  timeout_commit: number;
  create_empty_blocks: boolean;
  create_empty_blocks_interval: number;
}
export interface TxIndexConfig {
  indexer: "kv" | "null";
}
export interface InstrumentationConfig {
  prometheus: boolean;
}
export interface VerifyConfig {
  threads: number;
  secp256k1: "native" | "node";
}
/** The anchoring service (chain/anchor/): checkpoints of this chain's headers on another chain. */
export interface AnchorConfig {
  enabled: boolean;
  target_rpc: string;
  target_chain_id: string;
  target_prefix: string;
  mode: "memo" | "vivim";
  every_blocks: number;
  every_minutes: number;
  key: string;
  keyring_backend: "test" | "file";
  gas_limit: number;
  gas_price: string;
  record_gas_price: string;
  retry_initial: number;
  retry_max: number;
  broadcast_timeout: number;
}

export interface NodeConfig {
  moniker: string;
  log_level: LogLevel;
  log_format: LogFormat;
  minimum_gas_prices: string;
  rpc: RpcConfig;
  api: ApiConfig;
  p2p: P2pConfig;
  mempool: MempoolConfig;
  consensus: ConsensusConfig;
  tx_index: TxIndexConfig;
  instrumentation: InstrumentationConfig;
  verify: VerifyConfig;
  anchor: AnchorConfig;
}

export type ConfigErrorCode = "CONFIG_INVALID" | "CONFIG_UNREADABLE";

/** A config problem. `field` is the dotted key (`mempool.size`), or "" when it is about the whole file. */
export class ConfigError extends Error {
  readonly code: ConfigErrorCode;
  readonly field: string;
  constructor(field: string, problem: string, code: ConfigErrorCode = "CONFIG_INVALID") {
    super(field ? `invalid config: ${field}: ${problem}` : `config: ${problem}`);
    this.name = "ConfigError";
    this.code = code;
    this.field = field;
  }
}

export const MAX_CONFIG_BYTES = 1 << 20;

// ---------------------------------------------------------------- value syntaxes shared with callers

const DURATION_UNITS: Record<string, bigint> = { ms: 1n, s: 1000n, m: 60_000n, h: 3_600_000n };
const DURATION = /^(?:\d{1,15}(?:\.\d{1,9})?(?:ms|s|m|h))+$/;
const DURATION_PART = /(\d+)(?:\.(\d+))?(ms|s|m|h)/g;

/** Parses "500ms", "1s", "1.5s", "1m30s", "0" into whole milliseconds; undefined when malformed. */
export function parseDuration(text: string): number | undefined {
  if (text === "0") return 0;
  if (text.length > 64 || !DURATION.test(text)) return undefined;
  // Exact integer arithmetic: "1.001s" must be 1001 ms, not 1000.9999999999999.
  let ms = 0n;
  for (const [, whole = "", frac = "", unit = ""] of text.matchAll(DURATION_PART)) {
    const scale = 10n ** BigInt(frac.length);
    const scaled = (BigInt(whole) * scale + BigInt(frac || "0")) * (DURATION_UNITS[unit] ?? 0n);
    // Sub-millisecond precision means nothing to our timers; refuse it rather than round silently.
    if (scaled % scale !== 0n) return undefined;
    ms += scaled / scale;
  }
  return ms <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(ms) : undefined;
}

/** Inverse of parseDuration in Go's style ("1m30s", "1.5s", "500ms", "0s"). */
export function formatDuration(ms: number): string {
  if (ms === 0) return "0s";
  if (ms < 1000) return `${ms}ms`;
  const h = Math.floor(ms / 3_600_000);
  const m = Math.floor((ms % 3_600_000) / 60_000);
  const s = (ms % 60_000) / 1000;
  return `${h ? `${h}h` : ""}${m ? `${m}m` : ""}${s ? `${s}s` : ""}`;
}

export interface ListenAddress {
  host: string;
  port: number;
}

const LADDR = /^tcp:\/\/(\[[0-9a-fA-F:.]+\]|[a-zA-Z0-9.-]+):(\d{1,5})$/;

/** Parses `tcp://host:port` (IPv6 as `[::1]`); port 0 asks the OS for a free one (tests). */
export function parseListenAddress(text: string): ListenAddress | undefined {
  const m = LADDR.exec(text);
  if (!m?.[1] || !m[2]) return undefined;
  const port = Number(m[2]);
  if (port > 65535) return undefined;
  const host = m[1].startsWith("[") ? m[1].slice(1, -1) : m[1];
  if (host.startsWith(".") || host.endsWith(".") || host.startsWith("-")) return undefined;
  return { host, port };
}

export interface PeerAddress extends ListenAddress {
  id: string;
}

const PEER = /^([0-9a-f]{40})@(.+)$/;

/** Parses `persistent_peers`: "" or comma-separated `<40 hex node id>@host:port`. */
export function parsePersistentPeers(text: string): PeerAddress[] | undefined {
  const peers: PeerAddress[] = [];
  for (const entry of text.split(",").map((e) => e.trim())) {
    if (entry === "") continue;
    const m = PEER.exec(entry);
    const addr = m?.[2] ? parseListenAddress(`tcp://${m[2]}`) : undefined;
    if (!m?.[1] || !addr || addr.port === 0) return undefined;
    peers.push({ id: m[1], ...addr });
  }
  return peers;
}

/** Parses a comma-separated list of CometBFT node ids; undefined when one is malformed. */
export function parseNodeIds(text: string): string[] | undefined {
  const ids = text
    .split(",")
    .map((e) => e.trim())
    .filter((e) => e !== "");
  return ids.every((id) => /^[0-9a-f]{40}$/.test(id)) ? ids : undefined;
}

/** At most this many accounts in `[api] workers_operators`. */
const MAX_ACCOUNT_LIST = 16;

/** Parses a comma-separated list of vivim1… accounts; undefined when one is malformed or too many. */
export function parseAccountList(text: string): string[] | undefined {
  const accounts = text
    .split(",")
    .map((e) => e.trim())
    .filter((e) => e !== "");
  if (accounts.length > MAX_ACCOUNT_LIST) return undefined;
  try {
    for (const a of accounts) decodeAddress(a);
  } catch {
    return undefined;
  }
  return accounts;
}

export interface DecCoin {
  amount: string;
  denom: string;
}

const DEC_COIN = /^(\d{1,30}(?:\.\d{1,18})?)([a-zA-Z][a-zA-Z0-9/:._-]{2,127})$/;

/** Parses Cosmos DecCoins ("0.025uvivim,1ufoo"); "" is no minimum. Undefined when malformed. */
export function parseGasPrices(text: string): DecCoin[] | undefined {
  if (text.trim() === "") return [];
  const coins: DecCoin[] = [];
  for (const part of text.split(",")) {
    const m = DEC_COIN.exec(part.trim());
    if (!m?.[1] || !m[2] || coins.some((c) => c.denom === m[2])) return undefined;
    coins.push({ amount: m[1], denom: m[2] });
  }
  return coins;
}

// ---------------------------------------------------------------- the schema

type TomlValue = string | number | boolean | string[];

/** What is wrong with a raw value; a class so that it can never be mistaken for a decoded value. */
class Problem {
  constructor(readonly text: string) {}
}
const problem = (text: string): Problem => new Problem(text);

interface Spec<T> {
  doc: string;
  default: T;
  decode(raw: unknown): T | Problem;
  encode(value: T): TomlValue;
}

const show = (v: unknown): string => {
  const s = typeof v === "string" ? JSON.stringify(v) : Array.isArray(v) ? "an array" : String(v);
  return s.length > 60 ? `${s.slice(0, 57)}...` : s;
};
const typeName = (v: unknown): string =>
  Array.isArray(v) ? "array" : typeof v === "object" ? "table" : typeof v;

function int(doc: string, dflt: number, min: number, max: number): Spec<number> {
  return {
    doc,
    default: dflt,
    decode: (raw) =>
      typeof raw !== "number" || !Number.isInteger(raw)
        ? problem(`must be an integer, got ${typeName(raw)} ${show(raw)}`)
        : raw < min || raw > max
          ? problem(`must be between ${min} and ${max}, got ${raw}`)
          : raw,
    encode: (v) => v,
  };
}

function bool(doc: string, dflt: boolean): Spec<boolean> {
  return {
    doc,
    default: dflt,
    decode: (raw) => (typeof raw === "boolean" ? raw : problem(`must be true or false, got ${show(raw)}`)),
    encode: (v) => v,
  };
}

function str(doc: string, dflt: string, check: (s: string) => string | undefined): Spec<string> {
  return {
    doc,
    default: dflt,
    decode: (raw) => {
      if (typeof raw !== "string") return problem(`must be a string, got ${typeName(raw)} ${show(raw)}`);
      const bad = check(raw);
      return bad ? problem(bad) : raw;
    },
    encode: (v) => v,
  };
}

function oneOf<T extends string>(doc: string, dflt: T, values: readonly T[]): Spec<T> {
  const allowed = values.map((v) => `"${v}"`).join(", ");
  return {
    doc,
    default: dflt,
    decode: (raw) =>
      typeof raw === "string" && (values as readonly string[]).includes(raw)
        ? (raw as T)
        : problem(`must be one of ${allowed}, got ${show(raw)}`),
    encode: (v) => v,
  };
}

function duration(doc: string, dflt: string, minMs: number, maxMs: number): Spec<number> {
  const range = `between ${formatDuration(minMs)} and ${formatDuration(maxMs)}`;
  return {
    doc,
    default: parseDuration(dflt) ?? 0,
    decode: (raw) => {
      const ms = typeof raw === "string" ? parseDuration(raw) : undefined;
      if (ms === undefined)
        return problem(`must be a duration like "500ms", "1s" or "1m30s", got ${show(raw)}`);
      return ms < minMs || ms > maxMs ? problem(`must be ${range}, got ${show(raw)}`) : ms;
    },
    encode: formatDuration,
  };
}

function laddr(doc: string, dflt: string): Spec<string> {
  return str(doc, dflt, (s) =>
    parseListenAddress(s)
      ? undefined
      : `must be a listen address like "tcp://127.0.0.1:26657", got ${show(s)}`,
  );
}

function stringList(doc: string, dflt: string[]): Spec<string[]> {
  return {
    doc,
    default: dflt,
    decode: (raw) =>
      Array.isArray(raw) && raw.every((x) => typeof x === "string" && x.length > 0 && x.length <= 256)
        ? [...(raw as string[])]
        : problem(`must be an array of non-empty strings, got ${typeName(raw)} ${show(raw)}`),
    encode: (v) => v,
  };
}

type SpecsOf<T> = { [K in keyof T]-?: Spec<T[K]> };
type TopLevel = Pick<NodeConfig, "moniker" | "log_level" | "log_format" | "minimum_gas_prices">;
type Sections = Omit<NodeConfig, keyof TopLevel>;

const MIB = 1 << 20;
const HOUR = 3_600_000;

const TOP: SpecsOf<TopLevel> = {
  moniker: str("A custom human readable name for this node", "vivim-node", (s) =>
    s.length >= 1 && s.length <= 70 && !/[\p{Cc}]/u.test(s)
      ? undefined
      : `must be 1 to 70 printable characters, got ${show(s)}`,
  ),
  log_level: oneOf("Output level for logging: error | warn | info | debug", "info", [
    "error",
    "warn",
    "info",
    "debug",
  ]),
  log_format: oneOf("Output format: 'plain' (colored text) or 'json'", "plain", ["plain", "json"]),
  minimum_gas_prices: str(
    'The minimum gas prices a validator accepts for a tx in CheckTx (e.g. "0.025uvivim"); "" means none',
    "0uvivim",
    (s) =>
      parseGasPrices(s) ? undefined : `must be coins like "0.025uvivim" separated by commas, got ${show(s)}`,
  ),
};

const SECTIONS: { [S in keyof Sections]: { title: string; fields: SpecsOf<Sections[S]> } } = {
  rpc: {
    title: "RPC Server Configuration Options",
    fields: {
      laddr: laddr(
        "TCP address for the CometBFT-compatible JSON-RPC server to listen on",
        "tcp://127.0.0.1:26657",
      ),
      cors_allowed_origins: stringList('Origins a cross-domain request can come from; ["*"] allows any', [
        "*",
      ]),
      max_body_bytes: int("Maximum size of a request body, in bytes", 1_000_000, 1024, 100 * MIB),
      max_subscription_clients: int("Maximum number of unique clients that can /subscribe", 100, 0, 100_000),
      max_subscriptions_per_client: int("Maximum number of /subscribe queries per client", 5, 0, 1000),
      timeout_broadcast_tx_commit: duration(
        "How long to wait for a tx to be committed in /broadcast_tx_commit",
        "10s",
        1,
        HOUR,
      ),
    },
  },
  api: {
    title: "App API (REST + WebSocket, /metrics) Configuration Options",
    fields: {
      enable: bool("Whether the app API server is started", true),
      address: laddr("TCP address for the app API server to listen on", "tcp://127.0.0.1:1317"),
      workers_redis: str(
        "Redis of this node's service workers: serves their state, approvals, alerts and Redis feeds under /vivim/workers/v1 and /vivim/feeds/v1 (empty: not served)",
        "",
        (s) =>
          s === "" || /^rediss?:\/\/[^\s]{1,500}$/.test(s) ? undefined : "must be a redis:// URL or empty",
      ),
      workers_operators: str(
        "Comma-separated accounts that may pause, resume and emergency-stop the service workers from the app (ADR-036-signed requests to /vivim/workers/v1/control); empty: only the CLI can",
        "",
        (s) =>
          parseAccountList(s)
            ? undefined
            : `must be comma-separated vivim1… addresses (at most 16), got ${show(s)}`,
      ),
    },
  },
  p2p: {
    title: "P2P Configuration Options",
    fields: {
      laddr: laddr("Address to listen on for incoming peer connections", "tcp://0.0.0.0:26656"),
      persistent_peers: str("Comma-separated <node id>@host:port peers to keep connected to", "", (s) =>
        parsePersistentPeers(s)
          ? undefined
          : `must be comma-separated <40 hex node id>@host:port, got ${show(s)}`,
      ),
      allowed_node_ids: str(
        "Comma-separated node ids of full nodes allowed to connect, besides genesis validators and persistent peers",
        "",
        (s) => (parseNodeIds(s) ? undefined : `must be comma-separated 40 hex node ids, got ${show(s)}`),
      ),
    },
  },
  mempool: {
    title: "Mempool Configuration Options",
    fields: {
      size: int("Maximum number of txs in the mempool", 5000, 1, 1_000_000),
      max_txs_bytes: int(
        "Maximum total size of all txs in the mempool, in bytes",
        64 * MIB,
        1024,
        16 * 1024 * MIB,
      ),
      max_tx_bytes: int("Maximum size of a single tx, in bytes", 65536, 64, 64 * MIB),
      cache_size: int(
        "Size of the cache of recently seen txs (rejects duplicates early); 0 disables it",
        10_000,
        0,
        10_000_000,
      ),
      max_txs_per_account: int("Maximum number of pending txs from one account", 64, 1, 100_000),
    },
  },
  consensus: {
    title: "Consensus Configuration Options",
    fields: {
      timeout_propose: duration("How long to wait for a proposal block before prevoting nil", "3s", 1, HOUR),
      timeout_propose_delta: duration("How much timeout_propose increases with each round", "500ms", 0, HOUR),
      timeout_prevote: duration("How long to wait after receiving +2/3 prevotes for anything", "1s", 1, HOUR),
      timeout_prevote_delta: duration("How much timeout_prevote increases with each round", "500ms", 0, HOUR),
      timeout_precommit: duration(
        "How long to wait after receiving +2/3 precommits for anything",
        "1s",
        1,
        HOUR,
      ),
      timeout_precommit_delta: duration(
        "How much timeout_precommit increases with each round",
        "500ms",
        0,
        HOUR,
      ),
      timeout_commit: duration(
        "The block time under load: the next height starts this long after the previous one started, once that one is committed",
        "300ms",
        0,
        HOUR,
      ),
      create_empty_blocks: bool("Whether to make blocks when there are no txs", true),
      create_empty_blocks_interval: duration(
        "With create_empty_blocks = true, how often an idle chain still makes an (empty) block; 0 = every timeout_commit",
        "5s",
        0,
        HOUR,
      ),
    },
  },
  tx_index: {
    title: "Transaction Indexer Configuration Options",
    fields: {
      indexer: oneOf('Which indexer to use: "kv" (tx_search works) or "null" (no indexing)', "kv", [
        "kv",
        "null",
      ]),
    },
  },
  instrumentation: {
    title: "Instrumentation Configuration Options",
    fields: {
      prometheus: bool("Serve Prometheus metrics on the app API at /metrics", true),
    },
  },
  verify: {
    title: "Signature Verification Options",
    fields: {
      threads: int("Worker threads verifying tx signatures; 0 uses every core", 0, 0, 1024),
      secp256k1: oneOf(
        'secp256k1 verification: "native" (libsecp256k1, ~7x faster; node:crypto when it cannot load) or "node" (node:crypto)',
        "native",
        ["native", "node"],
      ),
    },
  },
  anchor: {
    title: "Anchoring Options (checkpoints of this chain on another chain)",
    fields: {
      enabled: bool("Whether this node anchors its headers into the target chain (off by default)", false),
      target_rpc: str('CometBFT RPC of the target chain, e.g. "https://rpc.example.org:443"', "", (s) =>
        s === "" || /^https?:\/\/[^\s]{1,500}$/.test(s)
          ? undefined
          : `must be an http(s):// URL or empty, got ${show(s)}`,
      ),
      target_chain_id: str("The target chain's id (a signed tx names it)", "", (s) =>
        s === "" || CHAIN_ID.test(s)
          ? undefined
          : `must match ${CHAIN_ID.source} or be empty, got ${show(s)}`,
      ),
      target_prefix: str(
        "Bech32 prefix of addresses on the target (the anchoring key's account there)",
        "vivim",
        (s) => (/^[a-z]{1,20}$/.test(s) ? undefined : `must be 1 to 20 lowercase letters, got ${show(s)}`),
      ),
      mode: oneOf(
        'How to anchor: "memo" (a 1-unit MsgSend to itself with the checkpoint in its memo; any Cosmos chain) or "vivim" (a vivim.anchor.v1.MsgCheckpoint; a VIVIM target)',
        "memo",
        ["memo", "vivim"],
      ),
      every_blocks: int("Anchor every this many blocks; 0 = not by block count", 100, 0, 1_000_000_000),
      every_minutes: int("Anchor at least this often, in minutes; 0 = not by time", 10, 0, 7 * 24 * 60),
      key: str("Name of the keyring key that signs on both chains (funded on both)", "", (s) =>
        s === "" || /^[a-zA-Z0-9_-]{1,64}$/.test(s)
          ? undefined
          : `must be a key name of [a-zA-Z0-9_-], got ${show(s)}`,
      ),
      keyring_backend: oneOf(
        'Keyring holding the key: "file" (encrypted; passphrase from $VIVIM_KEYRING_PASSPHRASE) or "test"',
        "file",
        ["file", "test"],
      ),
      gas_limit: int("Gas limit of each anchoring tx on the target", 200_000, 1, 100_000_000),
      gas_price: str(
        'Gas price paid on the target chain, one coin (e.g. "0.025uatom")',
        "0.025uvivim",
        (s) =>
          parseGasPrices(s)?.length === 1 ? undefined : `must be one coin like "0.025uatom", got ${show(s)}`,
      ),
      record_gas_price: str(
        'Gas price of the MsgRecordAnchor tx on this chain, one coin; "" = the first of minimum_gas_prices',
        "",
        (s) =>
          s === "" || parseGasPrices(s)?.length === 1
            ? undefined
            : `must be one coin like "0.025uvivim" or empty, got ${show(s)}`,
      ),
      retry_initial: duration(
        "First retry delay after a failed anchor; doubles up to retry_max",
        "2s",
        10,
        HOUR,
      ),
      retry_max: duration("Longest retry delay", "5m", 10, 24 * HOUR),
      broadcast_timeout: duration(
        "How long to wait for the target to include an anchoring tx",
        "30s",
        100,
        HOUR,
      ),
    },
  },
};

// ---------------------------------------------------------------- parse, defaults, render

function isTable(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v) && !(v instanceof Date);
}

function decodeTable<T>(
  specs: SpecsOf<T>,
  table: Record<string, unknown>,
  prefix: string,
  skip: Set<string>,
): T {
  for (const key of Object.keys(table)) {
    if (!skip.has(key) && !Object.hasOwn(specs, key)) {
      throw new ConfigError(prefix + key, isTable(table[key]) ? "unknown section" : "unknown key");
    }
  }
  const out: Partial<T> = {};
  for (const key of Object.keys(specs) as (keyof T & string)[]) {
    const spec: Spec<T[typeof key]> = specs[key];
    if (!Object.hasOwn(table, key)) {
      out[key] = structuredClone(spec.default);
      continue;
    }
    const value = spec.decode(table[key]);
    if (value instanceof Problem) throw new ConfigError(prefix + key, value.text);
    out[key] = value;
  }
  return out as T;
}

/** An enabled anchoring service needs a target, a key and a schedule. */
function checkAnchorRelations(a: AnchorConfig): void {
  if (!a.enabled) return;
  for (const field of ["target_rpc", "target_chain_id", "key"] as const) {
    if (a[field] === "") throw new ConfigError(`anchor.${field}`, "must be set when anchor.enabled = true");
  }
  if (a.every_blocks === 0 && a.every_minutes === 0)
    throw new ConfigError(
      "anchor.every_blocks",
      "and anchor.every_minutes must not both be 0 when anchor.enabled = true",
    );
  if (a.retry_initial > a.retry_max)
    throw new ConfigError(
      "anchor.retry_initial",
      `must not exceed anchor.retry_max (${formatDuration(a.retry_max)})`,
    );
}

/** Relations between fields that no single field can check. */
function checkRelations(cfg: NodeConfig): void {
  checkAnchorRelations(cfg.anchor);
  const m = cfg.mempool;
  if (m.max_tx_bytes > m.max_txs_bytes) {
    throw new ConfigError(
      "mempool.max_tx_bytes",
      `must not exceed mempool.max_txs_bytes (${m.max_txs_bytes})`,
    );
  }
  if (m.max_txs_per_account > m.size) {
    throw new ConfigError("mempool.max_txs_per_account", `must not exceed mempool.size (${m.size})`);
  }
  const listeners: [string, string][] = [
    ["rpc.laddr", cfg.rpc.laddr],
    ["p2p.laddr", cfg.p2p.laddr],
  ];
  if (cfg.api.enable) listeners.push(["api.address", cfg.api.address]);
  const seen = new Map<number, string>();
  for (const [field, addr] of listeners) {
    const port = parseListenAddress(addr)?.port ?? 0;
    const other = seen.get(port);
    // Two servers on one port fail at startup with EADDRINUSE; say which keys collide instead.
    if (port !== 0 && other) throw new ConfigError(field, `uses the same port ${port} as ${other}`);
    seen.set(port, field);
  }
}

/** Parses config.toml text; missing keys get defaults, anything unknown or malformed is a ConfigError. */
export function parseConfig(tomlText: string): NodeConfig {
  let doc: Record<string, unknown>;
  try {
    doc = parse(tomlText, { maxDepth: 8 });
  } catch (err) {
    if (err instanceof TomlError) {
      const first = err.message.split("\n")[0] ?? "invalid TOML";
      throw new ConfigError("", `${first} at line ${err.line}, column ${err.column}`);
    }
    throw err;
  }
  const sectionNames = new Set(Object.keys(SECTIONS));
  const top = decodeTable(TOP, doc, "", sectionNames);
  const sections: Partial<Sections> = {};
  for (const name of Object.keys(SECTIONS) as (keyof Sections)[]) {
    const raw = doc[name] ?? {};
    if (!isTable(raw)) throw new ConfigError(name, `must be a table [${name}], got ${typeName(raw)}`);
    const specs: SpecsOf<Sections[typeof name]> = SECTIONS[name].fields;
    Object.assign(sections, { [name]: decodeTable(specs, raw, `${name}.`, new Set()) });
  }
  const cfg = { ...top, ...(sections as Sections) };
  checkRelations(cfg);
  return cfg;
}

export function defaultConfig(): NodeConfig {
  return parseConfig("");
}

function renderEntries<T>(specs: SpecsOf<T>, values: T): string {
  const lines: string[] = [];
  for (const key of Object.keys(specs) as (keyof T & string)[]) {
    const spec: Spec<T[typeof key]> = specs[key];
    lines.push(`# ${spec.doc}`, stringify({ [key]: spec.encode(values[key]) }).trimEnd(), "");
  }
  return lines.join("\n");
}

const banner = (title: string): string => {
  const bar = "#".repeat(75);
  const pad = Math.max(0, 69 - title.length);
  return `${bar}\n###${" ".repeat(Math.floor(pad / 2))}${title}${" ".repeat(Math.ceil(pad / 2))}###\n${bar}`;
};

/** Renders a commented config.toml, CometBFT style; `parseConfig(renderConfig(c))` equals `c`. */
export function renderConfig(cfg: NodeConfig): string {
  const parts = [
    "# This is a TOML config file for a VIVIM node.",
    "# For more information, see https://github.com/toml-lang/toml",
    '# Durations are written like "500ms", "1s" or "1m30s".',
    "",
    banner("Main Base Config Options"),
    "",
    renderEntries(TOP, cfg),
  ];
  for (const name of Object.keys(SECTIONS) as (keyof Sections)[]) {
    const specs: SpecsOf<Sections[typeof name]> = SECTIONS[name].fields;
    parts.push(banner(SECTIONS[name].title), `[${name}]`, "", renderEntries(specs, cfg[name]));
  }
  return parts.join("\n");
}

/** Reads a text file of at most `maxBytes` without trusting a prior stat (the file may grow meanwhile). */
export function readTextCapped(path: string, maxBytes: number): { text: string } | { problem: string } {
  let fd: number;
  try {
    fd = openSync(path, "r");
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    return {
      problem: code === "ENOENT" ? `${path} does not exist` : `cannot open ${path} (${code ?? "error"})`,
    };
  }
  try {
    if (!fstatSync(fd).isFile()) return { problem: `${path} is not a regular file` };
    // One byte beyond the cap tells "exactly at the cap" from "too large".
    const buf = Buffer.alloc(maxBytes + 1);
    let len = 0;
    while (len < buf.length) {
      const n = readSync(fd, buf, len, buf.length - len, null);
      if (n === 0) break;
      len += n;
    }
    if (len > maxBytes) return { problem: `${path} is larger than ${maxBytes} bytes` };
    return { text: buf.toString("utf8", 0, len) };
  } catch (err) {
    return { problem: `cannot read ${path} (${(err as NodeJS.ErrnoException).code ?? "error"})` };
  } finally {
    closeSync(fd);
  }
}

/** Loads and parses config.toml; a missing or unreadable file is a ConfigError with code CONFIG_UNREADABLE. */
export function loadConfig(path: string): NodeConfig {
  const read = readTextCapped(path, MAX_CONFIG_BYTES);
  if ("problem" in read) throw new ConfigError("", read.problem, "CONFIG_UNREADABLE");
  return parseConfig(read.text);
}
