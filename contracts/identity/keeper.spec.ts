/**
 * Stored profiles are decoded once per stored version and shared, so the shared value must be
 * immune to what callers do with their own objects, and a new version must be seen at once.
 */
import { describe, expect, it } from "vitest";
import { encodeAddress } from "../../chain/crypto/address.js";
import { MemoryStore } from "../../test/support/memory-store.js";
import { getProfile, profileKey, setProfile } from "./keeper.js";
import { type Profile, VerificationStatus } from "./records.js";

const address = encodeAddress(new Uint8Array(20).fill(7));

function profile(bio: string): Profile {
  return {
    address,
    handle: "alice",
    displayName: "Alice",
    bio,
    avatarUri: "",
    verification: VerificationStatus.UNVERIFIED,
    createdHeight: 3n,
    createdAt: 1_700_000_000n,
  };
}

describe("identity keeper: shared decoded profiles", () => {
  it("returns one frozen value per stored version", () => {
    const store = new MemoryStore();
    setProfile(store, profile("first"));
    const a = getProfile(store, address)!;
    expect(a.bio).toBe("first");
    expect(getProfile(store, address)).toBe(a);
    expect(Object.isFrozen(a)).toBe(true);
    expect(() => {
      (a as Profile).bio = "changed";
    }).toThrow(TypeError);
  });

  it("is not changed by the writer's own object, and sees the next version", () => {
    const store = new MemoryStore();
    const mine = profile("first");
    setProfile(store, mine);
    mine.bio = "mutated after writing";
    expect(getProfile(store, address)!.bio).toBe("first");
    setProfile(store, profile("second"));
    expect(getProfile(store, address)!.bio).toBe("second");
  });

  it("decodes a fresh copy of the same bytes to an equal value", () => {
    const store = new MemoryStore();
    setProfile(store, profile("first"));
    const stored = getProfile(store, address)!;
    // The same bytes in a new array, as a node that read them back from LevelDB has them.
    const copy = new MemoryStore();
    copy.set(profileKey(address), Uint8Array.from(store.get(profileKey(address))!));
    const decoded = getProfile(copy, address)!;
    expect(decoded).not.toBe(stored);
    expect(decoded).toEqual(stored);
  });
});
