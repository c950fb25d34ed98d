/**
 * The device's key vault: recovery phrases encrypted with AES-GCM under a key derived from the
 * person's passphrase (PBKDF2-SHA-256, 600,000 iterations, random salt), kept in localStorage.
 * Only ciphertext, addresses and names are stored; the derived key lives in memory (non-extractable)
 * until the tab closes or the person locks the app. A Keplr session is a vault of its own that
 * holds no phrase at all (forKeplr): its one account signs through the extension, nothing of it is
 * stored, and its in-memory key (random, non-extractable) only seals state for the tab's lifetime.
 */

export interface VaultEntry {
  /** bech32 address the phrase derives to (m/44'/118'/0'/0/0). */
  readonly address: string;
  /** How the person named it ("alice", "@alice/scout", "My key"). */
  readonly label: string;
  readonly iv: string;
  readonly ciphertext: string;
  /** The account lives in the Keplr extension: no phrase here. */
  readonly keplr?: true;
}

interface VaultFile {
  readonly version: 1;
  readonly salt: string;
  readonly iterations: number;
  /** An encrypted known text, to tell a wrong passphrase from a damaged entry. */
  readonly check: { iv: string; ciphertext: string };
  readonly entries: VaultEntry[];
}

const STORAGE_KEY = "vivim.vault.v1";
const ITERATIONS = 600_000;
const CHECK_TEXT = "vivim-vault";

const b64 = (bytes: Uint8Array): string => btoa(String.fromCharCode(...bytes));
const unb64 = (text: string): Uint8Array<ArrayBuffer> => Uint8Array.from(atob(text), (c) => c.charCodeAt(0));

export class WrongPassphraseError extends Error {
  constructor() {
    super("That passphrase does not unlock the keys on this device.");
    this.name = "WrongPassphraseError";
  }
}

function read(): VaultFile | null {
  try {
    const raw = localStorage.getItem(STORAGE_KEY);
    if (!raw) return null;
    const v = JSON.parse(raw) as VaultFile;
    return v.version === 1 && Array.isArray(v.entries) ? v : null;
  } catch {
    return null;
  }
}

function write(v: VaultFile): void {
  localStorage.setItem(STORAGE_KEY, JSON.stringify(v));
}

async function deriveKey(
  passphrase: string,
  salt: Uint8Array<ArrayBuffer>,
  iterations: number,
): Promise<CryptoKey> {
  const material = await crypto.subtle.importKey(
    "raw",
    new TextEncoder().encode(passphrase),
    "PBKDF2",
    false,
    ["deriveKey"],
  );
  return crypto.subtle.deriveKey(
    { name: "PBKDF2", hash: "SHA-256", salt, iterations },
    material,
    { name: "AES-GCM", length: 256 },
    false,
    ["encrypt", "decrypt"],
  );
}

async function seal(key: CryptoKey, text: string): Promise<{ iv: string; ciphertext: string }> {
  const iv = crypto.getRandomValues(new Uint8Array(12));
  const ct = await crypto.subtle.encrypt({ name: "AES-GCM", iv }, key, new TextEncoder().encode(text));
  return { iv: b64(iv), ciphertext: b64(new Uint8Array(ct)) };
}

async function open(key: CryptoKey, box: { iv: string; ciphertext: string }): Promise<string> {
  const pt = await crypto.subtle.decrypt({ name: "AES-GCM", iv: unb64(box.iv) }, key, unb64(box.ciphertext));
  return new TextDecoder().decode(pt);
}

/** The vault as stored (no secrets): whether one exists and which accounts it holds. */
export function vaultEntries(): VaultEntry[] {
  return read()?.entries ?? [];
}

export function hasVault(): boolean {
  return read() !== null;
}

export function forgetVault(): void {
  localStorage.removeItem(STORAGE_KEY);
}

/** An unlocked vault: decrypts and adds phrases with the in-memory key. */
export class UnlockedVault {
  private constructor(
    private readonly key: CryptoKey,
    private readonly keplrEntry?: VaultEntry,
  ) {}

  /** The session of an account connected through Keplr (nothing is read from or written to storage). */
  static async forKeplr(address: string, label: string): Promise<UnlockedVault> {
    const key = await crypto.subtle.generateKey({ name: "AES-GCM", length: 256 }, false, [
      "encrypt",
      "decrypt",
    ]);
    return new UnlockedVault(key, { address, label, iv: "", ciphertext: "", keplr: true });
  }

  /** Unlocks the existing vault, or creates an empty one under `passphrase`. */
  static async unlock(passphrase: string): Promise<UnlockedVault> {
    const existing = read();
    if (existing) {
      const key = await deriveKey(passphrase, unb64(existing.salt), existing.iterations);
      try {
        if ((await open(key, existing.check)) !== CHECK_TEXT) throw new Error("check");
      } catch {
        throw new WrongPassphraseError();
      }
      return new UnlockedVault(key);
    }
    const salt = crypto.getRandomValues(new Uint8Array(16));
    const key = await deriveKey(passphrase, salt, ITERATIONS);
    write({
      version: 1,
      salt: b64(salt),
      iterations: ITERATIONS,
      check: await seal(key, CHECK_TEXT),
      entries: [],
    });
    return new UnlockedVault(key);
  }

  entries(): VaultEntry[] {
    return this.keplrEntry ? [this.keplrEntry] : vaultEntries();
  }

  /** Whether `address` signs through Keplr rather than with a phrase on this device. */
  isKeplr(address: string): boolean {
    return this.keplrEntry?.address === address;
  }

  /** Adds (or replaces) the phrase for `address`. */
  async add(address: string, label: string, mnemonic: string): Promise<void> {
    if (this.keplrEntry)
      throw new Error(
        "This session is Keplr's; lock the app and sign in with a passphrase to add keys here.",
      );
    const v = read();
    if (!v) throw new Error("The vault on this device was removed; sign in again.");
    const box = await seal(this.key, mnemonic);
    write({ ...v, entries: [...v.entries.filter((e) => e.address !== address), { address, label, ...box }] });
  }

  /** Encrypts other local state (the DM layer's keys and history) under the same passphrase key. */
  sealText(text: string): Promise<{ iv: string; ciphertext: string }> {
    return seal(this.key, text);
  }

  openText(box: { iv: string; ciphertext: string }): Promise<string> {
    return open(this.key, box);
  }

  async mnemonic(address: string): Promise<string> {
    const entry = vaultEntries().find((e) => e.address === address);
    if (!entry || this.keplrEntry) throw new Error("This account's key is not on this device.");
    return open(this.key, entry);
  }
}
