/**
 * The prekey directory: where members publish the signed prekey bundle that lets others start an
 * end-to-end encrypted session with them while they are offline (client/dm/keys.ts). A node keeps,
 * per address, the bundle that expires last; anyone may fetch it. The bundle is signed by the
 * member's account key, so a node can only withhold it, never forge one.
 *
 * Key: `06 | address` → the bundle's binary form (`encodePrekeyBundle`).
 */

import { DmError } from "../../client/dm/errors.js";
import { decodePrekeyBundle, type PrekeyBundle, verifyPrekeyBundle } from "../../client/dm/keys.js";
import type { Database } from "../db/database.js";

const PREKEY = 0x06;
/** A bundle may be valid for at most this long ahead: members rotate prekeys. */
export const MAX_PREKEY_LIFETIME_SECONDS = 90 * 86_400;
/** The binary form is about 210 bytes; anything much larger is not a bundle. */
export const MAX_PREKEY_BUNDLE_BYTES = 512;

const keyOf = (address: string) => Uint8Array.from([PREKEY, ...new TextEncoder().encode(address)]);

export interface PublishedPrekey {
  readonly bundle: PrekeyBundle;
  readonly bytes: Uint8Array;
}

export class PrekeyDirectory {
  constructor(
    private readonly db: Database,
    private readonly chainId: string,
  ) {}

  /**
   * Checks a bundle (structure, chain, signature, expiry within the lifetime cap) and keeps it when
   * it expires later than the one held. Returns the bundle and whether it replaced the held one.
   * Throws DmError for a bad bundle.
   */
  async publish(bytes: Uint8Array, now: number): Promise<{ bundle: PrekeyBundle; stored: boolean }> {
    if (bytes.length > MAX_PREKEY_BUNDLE_BYTES)
      throw new DmError("TOO_LARGE", `a prekey bundle is at most ${MAX_PREKEY_BUNDLE_BYTES} bytes`);
    const bundle = decodePrekeyBundle(bytes);
    verifyPrekeyBundle(bundle, { chainId: this.chainId, now });
    if (bundle.expiresAt - now > MAX_PREKEY_LIFETIME_SECONDS) {
      throw new DmError(
        "BAD_PREKEY",
        `a prekey may be valid for at most ${MAX_PREKEY_LIFETIME_SECONDS / 86_400} days`,
      );
    }
    const held = await this.get(bundle.address, now);
    if (held && held.bundle.expiresAt >= bundle.expiresAt) return { bundle, stored: false };
    await this.db.write([{ type: "put", key: keyOf(bundle.address), value: bytes }], { sync: true });
    return { bundle, stored: true };
  }

  /** The address's bundle, unless none is held or it has expired at `now`. */
  async get(address: string, now: number): Promise<PublishedPrekey | undefined> {
    const bytes = await this.db.get(keyOf(address));
    if (!bytes) return undefined;
    const bundle = decodePrekeyBundle(bytes);
    return now < bundle.expiresAt ? { bundle, bytes } : undefined;
  }
}
