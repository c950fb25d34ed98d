/**
 * A Cosmos-style keyring of account keys under `<home>/keyring/<backend>/<name>.json`.
 *
 * Keys are BIP39 mnemonics derived at m/44'/118'/0'/0/0 to secp256k1, addresses `vivim1...` — the
 * same derivation as cosmjs and Keplr, so a mnemonic moves between them unchanged. Two backends, as in
 * the Cosmos SDK: `test` keeps mnemonics in plain files (mode 0600; devnets only) and `file` encrypts
 * each mnemonic with AES-256-GCM under a scrypt-derived key. Public fields stay readable in both, so
 * `list` and `show` never need the passphrase, and nothing returned by them holds a secret.
 */
import { pbkdf2Sync, randomBytes } from "node:crypto";
import { link, mkdir, readdir, readFile, rm, unlink, writeFile } from "node:fs/promises";
import path from "node:path";
import { makeCosmoshubPath } from "@cosmjs/amino";
import { Bip39, EnglishMnemonic, pathToString, Random, Slip10, Slip10Curve } from "@cosmjs/crypto";
import { DirectSecp256k1Wallet } from "@cosmjs/proto-signing";
import { ADDRESS_PREFIX, addressOf } from "../crypto/address.js";
import { fromBase64, toBase64 } from "../crypto/hash.js";
import {
  deriveKey,
  type Kdf,
  newKdf,
  open,
  type Sealed,
  seal,
  validKdf,
  validSealed,
} from "../crypto/sealed-box.js";

export type KeyringBackend = "test" | "file";
export const KEYRING_BACKENDS: readonly KeyringBackend[] = ["test", "file"];

export type KeyringErrorCode =
  | "INVALID_NAME"
  | "KEY_EXISTS"
  | "KEY_NOT_FOUND"
  | "INVALID_MNEMONIC"
  | "PASSPHRASE_REQUIRED"
  | "WEAK_PASSPHRASE"
  | "WRONG_PASSPHRASE"
  | "CORRUPT_KEY"
  | "INVALID_BACKEND"
  | "NOT_CONFIRMED";

/** A keyring failure. Messages name keys and files, never a mnemonic, a passphrase or key bytes. */
export class KeyringError extends Error {
  readonly code: KeyringErrorCode;
  constructor(code: KeyringErrorCode, message: string) {
    super(message);
    this.name = "KeyringError";
    this.code = code;
  }
}

/** What `list` and `show` return: public data only. */
export interface KeyInfo {
  name: string;
  type: "local";
  algo: "secp256k1";
  address: string;
  /** Base64 of the 33-byte compressed secp256k1 public key. */
  pubkey: string;
}

export interface KeyringOptions {
  home: string;
  backend: KeyringBackend;
  /** For the `file` backend; asked for only when a secret is written or read. */
  passphrase?: string | (() => string | Promise<string>);
}

const NAME = /^[a-zA-Z0-9_-]{1,64}$/;
const HD_PATH = makeCosmoshubPath(0);
const MIN_PASSPHRASE = 8;
const MAX_KEY_FILE = 16 * 1024;

/** A `file`-backend key's mnemonic, sealed (chain/crypto/sealed-box.ts) with its own salt. */
type Encrypted = Kdf & { cipher: "aes-256-gcm" } & Sealed;

interface KeyRecord extends KeyInfo {
  version: 1;
  hd_path: string;
  mnemonic?: string;
  crypto?: Encrypted;
}

function checkName(name: string): void {
  if (typeof name !== "string" || !NAME.test(name)) {
    throw new KeyringError("INVALID_NAME", "key name must be 1 to 64 characters of [a-zA-Z0-9_-]");
  }
}

/** Lowercases and single-spaces a mnemonic, then checks words and checksum; the message never echoes it. */
export function normalizeMnemonic(mnemonic: string): string {
  const m = String(mnemonic).normalize("NFKD").trim().toLowerCase().split(/\s+/).join(" ");
  const words = m.split(" ").length;
  try {
    if (![12, 15, 18, 21, 24].includes(words)) throw new Error("length");
    return new EnglishMnemonic(m).toString();
  } catch {
    throw new KeyringError(
      "INVALID_MNEMONIC",
      `invalid mnemonic: expected 12, 15, 18, 21 or 24 English BIP39 words with a valid checksum (got ${words} words)`,
    );
  }
}

export function generateMnemonic(): string {
  return Bip39.encode(Random.getBytes(32)).toString();
}

/**
 * The key's signer: BIP39 seed (PBKDF2-HMAC-SHA512, 2048 rounds, by node:crypto — ~20× faster than
 * the pure-JS one) and SLIP-10 derivation done once, so signing and getAccounts cost only the
 * signature. Same derivation as cosmjs's DirectSecp256k1HdWallet, same addresses.
 */
async function walletOf(mnemonic: string): Promise<DirectSecp256k1Wallet> {
  return DirectSecp256k1Wallet.fromKey(accountPrivateKey(mnemonic), ADDRESS_PREFIX);
}

/** The secp256k1 account key at m/44'/118'/0'/0/0 of a mnemonic (the caller zeroes it when done). */
export function accountPrivateKey(mnemonic: string): Uint8Array {
  const seed = pbkdf2Sync(mnemonic.normalize("NFKD"), "mnemonic", 2048, 64, "sha512");
  const { privkey } = Slip10.derivePath(Slip10Curve.Secp256k1, seed, HD_PATH);
  seed.fill(0);
  return privkey;
}

async function publicOf(mnemonic: string): Promise<{ address: string; pubkey: Uint8Array }> {
  const [account] = await (await walletOf(mnemonic)).getAccounts();
  if (!account) throw new Error("wallet derived no account");
  return { address: addressOf("secp256k1", account.pubkey), pubkey: account.pubkey };
}

/** Binds the ciphertext to its key's name and address, so a file copied under another name fails to open. */
const aad = (info: Pick<KeyInfo, "name" | "address">) => `vivim-keyring-v1\n${info.name}\n${info.address}`;

async function encrypt(mnemonic: string, passphrase: string, info: KeyInfo): Promise<Encrypted> {
  const kdf = newKdf();
  return { ...kdf, cipher: "aes-256-gcm", ...seal(await deriveKey(passphrase, kdf), mnemonic, aad(info)) };
}

async function decrypt(rec: KeyRecord, passphrase: string): Promise<string> {
  const c = rec.crypto;
  if (!c) throw new KeyringError("CORRUPT_KEY", `key file for "${rec.name}" is corrupt: not encrypted`);
  const mnemonic = open(await deriveKey(passphrase, c), c, aad(rec));
  // GCM cannot tell a wrong passphrase from a tampered file; the passphrase is by far the likelier cause.
  if (mnemonic === undefined) {
    throw new KeyringError(
      "WRONG_PASSPHRASE",
      `wrong passphrase for key "${rec.name}" (or the key file was altered)`,
    );
  }
  return mnemonic;
}

/** Checks a parsed key file field by field; anything off is CORRUPT_KEY naming the file only. */
function parseRecord(name: string, text: string, backend: KeyringBackend): KeyRecord {
  const corrupt = (what: string) =>
    new KeyringError("CORRUPT_KEY", `key file for "${name}" is corrupt: ${what}`);
  let r: Partial<KeyRecord>;
  try {
    r = JSON.parse(text) as Partial<KeyRecord>;
  } catch {
    throw corrupt("not JSON");
  }
  if (typeof r !== "object" || r === null || r.version !== 1 || r.name !== name)
    throw corrupt("wrong version or name");
  let pub: Uint8Array;
  try {
    pub = fromBase64(String(r.pubkey));
  } catch {
    throw corrupt("pubkey is not base64");
  }
  if (pub.length !== 33 || addressOf("secp256k1", pub) !== r.address)
    throw corrupt("address does not match pubkey");
  if (backend === "test" && typeof r.mnemonic !== "string") throw corrupt("no mnemonic");
  const c = r.crypto;
  if (backend === "file") {
    const ok = validKdf(c) && c.cipher === "aes-256-gcm" && validSealed(c);
    if (!ok) throw corrupt("bad encryption parameters");
  }
  return r as KeyRecord;
}

const infoOf = (r: KeyRecord): KeyInfo => ({
  name: r.name,
  type: "local",
  algo: "secp256k1",
  address: r.address,
  pubkey: r.pubkey,
});

export class Keyring {
  readonly dir: string;
  readonly backend: KeyringBackend;
  private readonly passphraseSource: KeyringOptions["passphrase"];
  private passphraseCache: string | undefined;

  constructor(opts: KeyringOptions) {
    if (!KEYRING_BACKENDS.includes(opts.backend)) {
      throw new KeyringError(
        "INVALID_BACKEND",
        `keyring backend must be one of ${KEYRING_BACKENDS.join(", ")}`,
      );
    }
    this.backend = opts.backend;
    this.dir = path.join(opts.home, "keyring", opts.backend);
    this.passphraseSource = opts.passphrase;
  }

  /** Adds a key from `mnemonic`, or from a new 24-word one, which is then returned (once) for backup. */
  async add(name: string, opts: { mnemonic?: string } = {}): Promise<{ key: KeyInfo; mnemonic?: string }> {
    checkName(name);
    const generated = opts.mnemonic === undefined;
    const mnemonic = generated ? generateMnemonic() : normalizeMnemonic(opts.mnemonic ?? "");
    const { address, pubkey } = await publicOf(mnemonic);
    const existing = await this.records();
    if (existing.some((r) => r.name === name))
      throw new KeyringError("KEY_EXISTS", `key "${name}" already exists`);
    const twin = existing.find((r) => r.address === address);
    if (twin) throw new KeyringError("KEY_EXISTS", `this mnemonic is already stored as key "${twin.name}"`);

    const key: KeyInfo = { name, type: "local", algo: "secp256k1", address, pubkey: toBase64(pubkey) };
    const rec: KeyRecord = { version: 1, ...key, hd_path: pathToString(HD_PATH) };
    if (this.backend === "test") {
      rec.mnemonic = mnemonic;
    } else {
      const passphrase = await this.passphrase();
      if (passphrase.length < MIN_PASSPHRASE) {
        throw new KeyringError("WEAK_PASSPHRASE", `passphrase must be at least ${MIN_PASSPHRASE} characters`);
      }
      // One passphrase per keyring, as in the Cosmos SDK: a typo here would otherwise lock this key away.
      const first = existing[0];
      if (first) await decrypt(first, passphrase);
      rec.crypto = await encrypt(mnemonic, passphrase, key);
    }
    await this.writeNew(name, `${JSON.stringify(rec, null, 2)}\n`);
    return generated ? { key, mnemonic } : { key };
  }

  /** Recovers a key from an existing mnemonic. */
  async import(name: string, mnemonic: string): Promise<KeyInfo> {
    return (await this.add(name, { mnemonic })).key;
  }

  async list(): Promise<KeyInfo[]> {
    return (await this.records()).map(infoOf);
  }

  async show(name: string): Promise<KeyInfo> {
    return infoOf(await this.record(name));
  }

  async delete(name: string): Promise<void> {
    await this.record(name);
    await unlink(this.file(name));
  }

  /** The mnemonic itself: for `vivim keys export`-style CLI use only, never for logs or APIs. */
  async exportMnemonic(name: string): Promise<string> {
    const rec = await this.record(name);
    const mnemonic = rec.crypto ? await decrypt(rec, await this.passphrase()) : rec.mnemonic;
    const normalized = normalizeMnemonic(mnemonic ?? "");
    // The stored address is what list/show promised; a mnemonic that derives elsewhere is a corrupt file.
    if ((await publicOf(normalized)).address !== rec.address) {
      throw new KeyringError(
        "CORRUPT_KEY",
        `key file for "${name}" is corrupt: mnemonic does not match address`,
      );
    }
    return normalized;
  }

  /** A cosmjs signer for the key, usable with SigningStargateClient. */
  async signerFor(name: string): Promise<DirectSecp256k1Wallet> {
    return walletOf(await this.exportMnemonic(name));
  }

  // ------------------------------------------------------------ storage

  private file(name: string): string {
    return path.join(this.dir, `${name}.json`);
  }

  private async passphrase(): Promise<string> {
    if (this.passphraseCache === undefined) {
      const src = this.passphraseSource;
      const value = typeof src === "function" ? await src() : src;
      if (typeof value !== "string" || value === "") {
        throw new KeyringError("PASSPHRASE_REQUIRED", "the file keyring backend needs a passphrase");
      }
      this.passphraseCache = value;
    }
    return this.passphraseCache;
  }

  private async record(name: string): Promise<KeyRecord> {
    checkName(name);
    let text: string;
    try {
      text = await readFile(this.file(name), "utf8");
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === "ENOENT") {
        throw new KeyringError("KEY_NOT_FOUND", `key "${name}" not found in the ${this.backend} keyring`);
      }
      throw err;
    }
    if (text.length > MAX_KEY_FILE)
      throw new KeyringError("CORRUPT_KEY", `key file for "${name}" is too large`);
    return parseRecord(name, text, this.backend);
  }

  private async records(): Promise<KeyRecord[]> {
    let entries: string[];
    try {
      entries = await readdir(this.dir);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === "ENOENT") return [];
      throw err;
    }
    const names = entries
      .filter((f) => f.endsWith(".json"))
      .map((f) => f.slice(0, -5))
      .filter((n) => NAME.test(n))
      .sort();
    return Promise.all(names.map((n) => this.record(n)));
  }

  /** Writes a temp file then hard-links it into place: atomic, and fails if the name was taken meanwhile. */
  private async writeNew(name: string, text: string): Promise<void> {
    await mkdir(this.dir, { recursive: true, mode: 0o700 });
    const tmp = path.join(this.dir, `.${name}.${randomBytes(6).toString("hex")}.tmp`);
    try {
      await writeFile(tmp, text, { mode: 0o600, flag: "wx", flush: true });
      await link(tmp, this.file(name));
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === "EEXIST") {
        throw new KeyringError("KEY_EXISTS", `key "${name}" already exists`);
      }
      throw err;
    } finally {
      await rm(tmp, { force: true });
    }
  }
}
