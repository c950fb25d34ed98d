/**
 * The node home, laid out as CometBFT lays it out so operators' habits and scripts carry over:
 *
 *   <home>/config/config.toml             node config (config.ts)
 *   <home>/config/genesis.json            genesis (genesis.ts)
 *   <home>/config/node_key.json           p2p identity (ed25519); node id = hex(sha256(pub)[:20])
 *   <home>/config/priv_validator_key.json consensus key (ed25519), mode 0600
 *   <home>/data/priv_validator_state.json last signed height/round/step (double-sign guard)
 *   <home>/data/                          block store, state, indexes
 *   <home>/keyring/                       account keys (keys/keyring.ts)
 */
import {
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  type KeyObject,
  randomBytes,
} from "node:crypto";
import {
  closeSync,
  existsSync,
  fsyncSync,
  mkdirSync,
  openSync,
  renameSync,
  rmSync,
  writeSync,
} from "node:fs";
import os from "node:os";
import path from "node:path";
import { renderLastSignState, SignStep } from "../consensus/last-sign-state.js";
import { bytesEqual, fromBase64, sha256, toBase64, toHex } from "../crypto/hash.js";
import { defaultConfig, type NodeConfig, parseConfig, readTextCapped, renderConfig } from "./config.js";
import {
  ED25519_PUBKEY_TYPE,
  type GenesisDoc,
  type GenesisValidator,
  newGenesis,
  renderGenesis,
  validatorAddress,
} from "./genesis.js";

export const ED25519_PRIVKEY_TYPE = "tendermint/PrivKeyEd25519";
const MAX_KEY_FILE_BYTES = 64 * 1024;
/** Voting power of the single validator `init` writes; governance changes it later. */
export const INIT_VALIDATOR_POWER = "10";

export interface HomePaths {
  home: string;
  configDir: string;
  dataDir: string;
  configFile: string;
  genesisFile: string;
  nodeKeyFile: string;
  privValidatorKeyFile: string;
  privValidatorStateFile: string;
  keyringDir: string;
}

export function homePaths(home: string): HomePaths {
  const configDir = path.join(home, "config");
  const dataDir = path.join(home, "data");
  return {
    home,
    configDir,
    dataDir,
    configFile: path.join(configDir, "config.toml"),
    genesisFile: path.join(configDir, "genesis.json"),
    nodeKeyFile: path.join(configDir, "node_key.json"),
    privValidatorKeyFile: path.join(configDir, "priv_validator_key.json"),
    privValidatorStateFile: path.join(dataDir, "priv_validator_state.json"),
    keyringDir: path.join(home, "keyring"),
  };
}

/** `$VIVIM_HOME`, else `~/.vivim`. */
export function defaultHome(): string {
  return process.env.VIVIM_HOME || path.join(os.homedir(), ".vivim");
}

export type HomeErrorCode = "HOME_EXISTS" | "KEY_UNREADABLE" | "KEY_INVALID";

/** A home or key-file problem. Messages name the file and the field, never key material. */
export class HomeError extends Error {
  readonly code: HomeErrorCode;
  readonly path: string;
  constructor(code: HomeErrorCode, file: string, problem: string) {
    super(`${file}: ${problem}`);
    this.name = "HomeError";
    this.code = code;
    this.path = file;
  }
}

// ---------------------------------------------------------------- ed25519 keys via node:crypto

/** PKCS#8 DER prefix of an ed25519 private key (RFC 8410); the 32-byte seed follows. */
const PKCS8_ED25519_PREFIX = Buffer.from("302e020100300506032b657004220420", "hex");

interface Ed25519Pair {
  seed: Uint8Array;
  publicKey: Uint8Array;
}

function generateEd25519(): Ed25519Pair {
  const jwk = generateKeyPairSync("ed25519").privateKey.export({ format: "jwk" });
  if (!jwk.d || !jwk.x) throw new Error("node:crypto returned an ed25519 JWK without d/x");
  return { seed: Buffer.from(jwk.d, "base64url"), publicKey: Buffer.from(jwk.x, "base64url") };
}

/** The KeyObject of a seed, and the public key OpenSSL derives from it (never one read from a file). */
function ed25519FromSeed(seed: Uint8Array): { privateKey: KeyObject; publicKey: Uint8Array } {
  const privateKey = createPrivateKey({
    key: Buffer.concat([PKCS8_ED25519_PREFIX, seed]),
    format: "der",
    type: "pkcs8",
  });
  const x = createPublicKey(privateKey).export({ format: "jwk" }).x ?? "";
  return { privateKey, publicKey: Buffer.from(x, "base64url") };
}

/** CometBFT node id: lowercase hex of sha256(pubkey)[:20]. */
export function nodeIdOf(publicKey: Uint8Array): string {
  return toHex(sha256(publicKey).subarray(0, 20));
}

// ---------------------------------------------------------------- key files

export interface NodeKey {
  id: string;
  publicKey: Uint8Array;
  privateKey: KeyObject;
}

export interface ValidatorKey {
  /** Uppercase hex, as in genesis.json and CometBFT. */
  address: string;
  publicKey: Uint8Array;
  privateKey: KeyObject;
}

type Json = Record<string, unknown>;

function readJson(file: string): Json {
  const read = readTextCapped(file, MAX_KEY_FILE_BYTES);
  if ("problem" in read) throw new HomeError("KEY_UNREADABLE", file, read.problem);
  let v: unknown;
  try {
    v = JSON.parse(read.text);
  } catch {
    // JSON.parse's message can quote the text, which here is secret.
    throw new HomeError("KEY_INVALID", file, "not valid JSON");
  }
  if (typeof v !== "object" || v === null || Array.isArray(v))
    throw new HomeError("KEY_INVALID", file, "must be a JSON object");
  return v as Json;
}

function typedKey(file: string, o: Json, field: string, type: string, size: number): Uint8Array {
  const k = o[field];
  const bad = (what: string) => new HomeError("KEY_INVALID", file, `${field}.${what}`);
  if (typeof k !== "object" || k === null) throw bad(`type/value: missing`);
  const { type: t, value } = k as Json;
  if (t !== type) throw bad(`type: must be "${type}"`);
  let bytes: Uint8Array;
  try {
    bytes = fromBase64(typeof value === "string" ? value : "!");
  } catch {
    throw bad(`value: must be standard base64`);
  }
  if (bytes.length !== size) throw bad(`value: must be ${size} bytes, got ${bytes.length}`);
  return bytes;
}

/** Reads a CometBFT `priv_key` (seed ‖ pub, 64 bytes) and checks the pub half against the seed. */
function privKeyOf(file: string, o: Json): { privateKey: KeyObject; publicKey: Uint8Array } {
  const raw = typedKey(file, o, "priv_key", ED25519_PRIVKEY_TYPE, 64);
  const pair = ed25519FromSeed(raw.subarray(0, 32));
  if (!bytesEqual(pair.publicKey, raw.subarray(32))) {
    throw new HomeError("KEY_INVALID", file, "priv_key.value: public half does not match the private seed");
  }
  return pair;
}

export function loadNodeKey(file: string): NodeKey {
  const o = readJson(file);
  const { privateKey, publicKey } = privKeyOf(file, o);
  return { id: nodeIdOf(publicKey), publicKey, privateKey };
}

export function loadValidatorKey(file: string): ValidatorKey {
  const o = readJson(file);
  const { privateKey, publicKey } = privKeyOf(file, o);
  const pub = typedKey(file, o, "pub_key", ED25519_PUBKEY_TYPE, 32);
  if (!bytesEqual(pub, publicKey))
    throw new HomeError("KEY_INVALID", file, "pub_key.value: does not match priv_key");
  const address = validatorAddress(publicKey);
  if (typeof o.address !== "string" || o.address.toUpperCase() !== address) {
    throw new HomeError("KEY_INVALID", file, `address: must be ${address} (hex of sha256(pub_key)[:20])`);
  }
  return { address, publicKey, privateKey };
}

// ---------------------------------------------------------------- init

/** Write-then-rename with fsyncs, so a crash leaves the old file or the new one, never half of one. */
function writeFileAtomic(file: string, data: string, mode: number): void {
  const tmp = `${file}.${randomBytes(6).toString("hex")}.tmp`;
  const fd = openSync(tmp, "wx", mode);
  try {
    writeSync(fd, data);
    fsyncSync(fd);
  } catch (err) {
    closeSync(fd);
    rmSync(tmp, { force: true });
    throw err;
  }
  closeSync(fd);
  renameSync(tmp, file);
  const dir = openSync(path.dirname(file), "r");
  try {
    fsyncSync(dir);
  } finally {
    closeSync(dir);
  }
}

export interface InitHomeOptions {
  home: string;
  moniker: string;
  chainId: string;
  /** Replace an existing config, genesis, keys and signer state. Other files in data/ are left alone. */
  overwrite?: boolean;
  genesisAppState?: Record<string, unknown>;
  /** Starting config (ports, timeouts); its moniker is replaced by `moniker`. Defaults to defaultConfig(). */
  config?: NodeConfig;
  genesisTime?: Date;
}

export interface InitHomeResult {
  home: string;
  paths: HomePaths;
  nodeId: string;
  /** This node's entry in genesis.json, also what a multi-validator genesis collects from each node. */
  validator: GenesisValidator;
}

const privKeyJson = (k: Ed25519Pair) => ({
  type: ED25519_PRIVKEY_TYPE,
  value: toBase64(Buffer.concat([k.seed, k.publicKey])),
});

/** Replaces a home's genesis.json (e.g. with the shared genesis of a multi-validator network). */
export function writeGenesis(home: string, doc: GenesisDoc): void {
  writeFileAtomic(homePaths(path.resolve(home)).genesisFile, renderGenesis(doc), 0o644);
}

/** Creates a node home with fresh keys and a one-validator genesis; refuses to clobber one unless asked. */
export function initHome(opts: InitHomeOptions): InitHomeResult {
  const paths = homePaths(path.resolve(opts.home));
  const owned = [
    paths.configFile,
    paths.genesisFile,
    paths.nodeKeyFile,
    paths.privValidatorKeyFile,
    paths.privValidatorStateFile,
  ];
  const existing = owned.find((f) => existsSync(f));
  if (existing && !opts.overwrite) {
    throw new HomeError(
      "HOME_EXISTS",
      existing,
      "already exists; pass --overwrite to replace the keys and genesis",
    );
  }
  // Everything is built and checked before the first write, so a bad argument leaves no half-made home.
  const config = parseConfig(renderConfig({ ...(opts.config ?? defaultConfig()), moniker: opts.moniker }));
  const nodeKey = generateEd25519();
  const valKey = generateEd25519();
  const validator: GenesisValidator = {
    address: validatorAddress(valKey.publicKey),
    pub_key: { type: ED25519_PUBKEY_TYPE, value: toBase64(valKey.publicKey) },
    power: INIT_VALIDATOR_POWER,
    name: opts.moniker,
    node_id: nodeIdOf(nodeKey.publicKey),
  };
  const genesis = newGenesis({
    chainId: opts.chainId,
    validators: [validator],
    appState: opts.genesisAppState ?? {},
    genesisTime: opts.genesisTime,
  });

  mkdirSync(paths.configDir, { recursive: true, mode: 0o700 });
  mkdirSync(paths.dataDir, { recursive: true, mode: 0o700 });
  const json = (v: unknown) => `${JSON.stringify(v, null, 2)}\n`;
  writeFileAtomic(paths.configFile, renderConfig(config), 0o644);
  writeFileAtomic(paths.genesisFile, renderGenesis(genesis), 0o644);
  writeFileAtomic(paths.nodeKeyFile, json({ priv_key: privKeyJson(nodeKey) }), 0o600);
  writeFileAtomic(
    paths.privValidatorKeyFile,
    json({ address: validator.address, pub_key: validator.pub_key, priv_key: privKeyJson(valKey) }),
    0o600,
  );
  // A new key has signed nothing, so its double-sign guard starts at zero; the signer owns the format.
  writeFileAtomic(
    paths.privValidatorStateFile,
    renderLastSignState({ height: 0n, round: 0, step: SignStep.None }),
    0o600,
  );
  return { home: paths.home, paths, nodeId: nodeIdOf(nodeKey.publicKey), validator };
}
