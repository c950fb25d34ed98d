/**
 * libsecp256k1 (Bitcoin Core's library, through the `secp256k1` package's prebuilt N-API binding):
 * ~7-8x node:crypto's secp256k1 verification rate on these machines (OpenSSL's generic EC code),
 * which is what the chain spends most of its CPU on. Only the native binding is used, never the
 * package's pure-JS fallback (slower than node:crypto): when the binding cannot load, or the operator
 * sets `[verify] secp256k1 = "node"`, verification stays on node:crypto. Both accept exactly the same
 * signatures (64-byte r||s, low-S, over sha256 of the sign bytes); verify.spec.ts and
 * verify-pool.spec.ts check that on valid and malformed vectors, so validators on either backend
 * agree on every tx.
 */
import { createRequire } from "node:module";

/** The binding's verify: sig 64 bytes (r||s), 32-byte digest, 33- or 65-byte SEC1 pubkey. */
export interface NativeSecp256k1 {
  ecdsaVerify(sig: Uint8Array, msg32: Uint8Array, pubkey: Uint8Array): boolean;
}

export type Secp256k1Backend = "libsecp256k1" | "node:crypto";

const require = createRequire(import.meta.url);

/** Absolute path of the package's native entry (its `bindings.js`), or undefined when not installed. */
function bindingPath(): string | undefined {
  try {
    return require.resolve("secp256k1/bindings");
  } catch {
    return undefined;
  }
}

interface Loaded {
  readonly path: string;
  readonly native: NativeSecp256k1;
}

function load(): Loaded | undefined {
  const path = bindingPath();
  if (!path) return undefined;
  try {
    return { path, native: require(path) as NativeSecp256k1 };
  } catch {
    return undefined;
  }
}

const loaded = load();
let active = loaded;

/**
 * Picks the process's secp256k1 implementation (the node does so from its config before it starts
 * verifying); "native" falls back to node:crypto when the binding did not load.
 */
export function selectSecp256k1Backend(choice: "native" | "node"): Secp256k1Backend {
  active = choice === "native" ? loaded : undefined;
  return secp256k1Backend();
}

export function secp256k1Backend(): Secp256k1Backend {
  return active ? "libsecp256k1" : "node:crypto";
}

/** The native verifier in use, if any. */
export function activeNativeSecp256k1(): NativeSecp256k1 | undefined {
  return active?.native;
}

/** What the worker threads `require()`; undefined means they verify with node:crypto too. */
export function activeNativeSecp256k1Path(): string | undefined {
  return active?.path;
}
