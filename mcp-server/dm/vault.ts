/**
 * The MCP server's DM state for one identity — its private prekeys, its sessions (secret chain
 * keys) and the messages it has opened (a message key opens a message once, so what was read must
 * be kept to be shown again) — in one file, `<home>/mcp/dm/<address>.dm`, encrypted at rest:
 *
 *   "VMDM" | u8 version = 1 | nonce(24) | XChaCha20-Poly1305(key, nonce, aad = "vivim-mcp-dm-v1\n<address>", JSON)
 *   key = HKDF-SHA256(ikm = the identity's account private key, salt = "vivim-mcp-dm-vault-v1", info = address, 32)
 *
 * Only a holder of the account key can open it (the node's keyring holds it anyway for the server
 * to act as that identity). Writes go to a temporary file (mode 0600) renamed over the old one, so a
 * crash leaves the previous or the next state, never half of one. Nothing here is ever logged.
 */
import { mkdir, readFile, rename, writeFile } from "node:fs/promises";
import path from "node:path";
import { xchacha20poly1305 } from "@noble/ciphers/chacha.js";
import { hkdf } from "@noble/hashes/hkdf.js";
import { sha256 } from "@noble/hashes/sha2.js";
import { randomBytes } from "@noble/hashes/utils.js";
import type { DmIdentity } from "../../client/dm/keys.js";
import { type DmState, type DmStateStore, emptyState } from "../../client/dm/state.js";

const MAGIC = [0x56, 0x4d, 0x44, 0x4d]; // "VMDM"
const VERSION = 1;
const NONCE_BYTES = 24;
const enc = new TextEncoder();

export class DmVaultError extends Error {
  override readonly name = "DmVaultError";
}

export class DmVault implements DmStateStore {
  readonly file: string;
  private readonly key: Uint8Array;
  private readonly aad: Uint8Array;
  private readonly address: string;

  constructor(dir: string, identity: DmIdentity) {
    this.address = identity.address;
    this.file = path.join(dir, `${identity.address}.dm`);
    this.key = hkdf(
      sha256,
      identity.privateKey,
      enc.encode("vivim-mcp-dm-vault-v1"),
      enc.encode(identity.address),
      32,
    );
    this.aad = enc.encode(`vivim-mcp-dm-v1\n${identity.address}`);
  }

  /** The saved state, or an empty one when there is no file yet. */
  async load(): Promise<DmState> {
    let bytes: Uint8Array;
    try {
      bytes = new Uint8Array(await readFile(this.file));
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === "ENOENT") return emptyState(this.address);
      throw new DmVaultError("the DM state file cannot be read");
    }
    const head = MAGIC.length + 1;
    if (
      bytes.length < head + NONCE_BYTES + 16 ||
      MAGIC.some((b, i) => bytes[i] !== b) ||
      bytes[4] !== VERSION
    )
      throw new DmVaultError("the DM state file is not one this server wrote");
    let plain: Uint8Array;
    try {
      plain = xchacha20poly1305(this.key, bytes.subarray(head, head + NONCE_BYTES), this.aad).decrypt(
        bytes.subarray(head + NONCE_BYTES),
      );
    } catch {
      throw new DmVaultError("the DM state file does not open with this identity's key");
    }
    const state = JSON.parse(new TextDecoder().decode(plain)) as DmState;
    plain.fill(0);
    if (state?.v !== 1 || state.address !== this.address)
      throw new DmVaultError("the DM state file belongs to another identity");
    return state;
  }

  async save(state: DmState): Promise<void> {
    const plain = enc.encode(JSON.stringify(state));
    const nonce = randomBytes(NONCE_BYTES);
    const sealed = xchacha20poly1305(this.key, nonce, this.aad).encrypt(plain);
    plain.fill(0);
    const out = new Uint8Array(MAGIC.length + 1 + NONCE_BYTES + sealed.length);
    out.set(MAGIC, 0);
    out[MAGIC.length] = VERSION;
    out.set(nonce, MAGIC.length + 1);
    out.set(sealed, MAGIC.length + 1 + NONCE_BYTES);
    await mkdir(path.dirname(this.file), { recursive: true, mode: 0o700 });
    const tmp = `${this.file}.${process.pid}.tmp`;
    await writeFile(tmp, out, { mode: 0o600 });
    await rename(tmp, this.file);
  }
}
