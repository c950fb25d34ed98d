import { createPublicKey, type KeyObject } from "node:crypto";
import { LruCache } from "../util/lru.js";

// SPKI DER prefix of an ed25519 public key; parsing a key costs ~2.5 verifies, so keep them.
const ED25519_SPKI_PREFIX = Buffer.from("302a300506032b6570032100", "hex");
const cache = new LruCache<string, KeyObject>(1024);

export function ed25519PublicKey(raw: Uint8Array): KeyObject {
  const k = Buffer.from(raw).toString("hex");
  let key = cache.get(k);
  if (!key) {
    key = createPublicKey({ key: Buffer.concat([ED25519_SPKI_PREFIX, raw]), format: "der", type: "spki" });
    cache.set(k, key);
  }
  return key;
}
