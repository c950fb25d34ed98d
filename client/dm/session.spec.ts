import { describe, expect, it } from "vitest";
import { CHAIN_ID, dmCode as code, counterRng, identityOf } from "../../test/support/dm-fixtures.js";
import { generatePrekey, signPrekeyBundle } from "./keys.js";
import {
  acceptSession,
  deserializeSession,
  directConversationId,
  initiateSession,
  MAX_SKIP,
  MAX_SKIPPED_KEYS,
  nextSendKey,
  ratchetStep,
  recvKey,
  type SessionState,
  serializeSession,
} from "./session.js";

async function pair() {
  const alice = await identityOf("alice");
  const bob = await identityOf("bob");
  const prekey = generatePrekey({ id: 42, expiresAt: 10_000, rng: counterRng(9) });
  const a = initiateSession({
    chainId: CHAIN_ID,
    identity: alice,
    peerBundle: signPrekeyBundle(bob, prekey, CHAIN_ID),
    now: 100,
    peerAddress: bob.address,
  });
  const b = acceptSession({
    chainId: CHAIN_ID,
    identity: bob,
    prekey,
    prekeyId: a.prekeyId,
    peerKey: alice.publicKey,
    ephemeralKey: a.ephemeralKey,
  });
  return { alice, bob, prekey, a, b };
}

describe("X3DH-style agreement", () => {
  it("both sides derive the same session id and crossed chain keys", async () => {
    const { alice, bob, a, b } = await pair();
    expect(a.sessionId).toEqual(b.sessionId);
    expect(a.conversationId).toEqual(b.conversationId);
    expect(a.conversationId).toEqual(directConversationId(CHAIN_ID, bob.addressBytes, alice.addressBytes));
    expect(a.send.chainKey).toEqual(b.recv.chainKey);
    expect(a.recv.chainKey).toEqual(b.send.chainKey);
    expect(a.send.chainKey).not.toEqual(a.recv.chainKey);
    expect(b.peerAddress).toBe(alice.address);
    expect(a.peerAddress).toBe(bob.address);
  });

  it("a fresh ephemeral key gives a new, unrelated session each time", async () => {
    const alice = await identityOf("alice");
    const bob = await identityOf("bob");
    const bundle = signPrekeyBundle(bob, generatePrekey({ id: 1, expiresAt: 10_000 }), CHAIN_ID);
    const s1 = initiateSession({ chainId: CHAIN_ID, identity: alice, peerBundle: bundle, now: 1 });
    const s2 = initiateSession({ chainId: CHAIN_ID, identity: alice, peerBundle: bundle, now: 1 });
    expect(s1.sessionId).not.toEqual(s2.sessionId);
    expect(s1.send.chainKey).not.toEqual(s2.send.chainKey);
  });

  it("a third account with a stolen header (EK, prekey id) derives different keys", async () => {
    const { a, prekey } = await pair();
    const carol = await identityOf("carol");
    const alice = await identityOf("alice");
    // Carol holds Bob's *prekey* but not Bob's account key: DH2 differs.
    const c = acceptSession({
      chainId: CHAIN_ID,
      identity: carol,
      prekey,
      prekeyId: 42,
      peerKey: alice.publicKey,
      ephemeralKey: a.ephemeralKey,
    });
    expect(c.recv.chainKey).not.toEqual(a.send.chainKey);
  });

  it("refuses an expired prekey bundle and a bundle from another chain", async () => {
    const alice = await identityOf("alice");
    const bob = await identityOf("bob");
    const bundle = signPrekeyBundle(bob, generatePrekey({ id: 1, expiresAt: 500 }), CHAIN_ID);
    expect(
      code(() => initiateSession({ chainId: CHAIN_ID, identity: alice, peerBundle: bundle, now: 500 })),
    ).toBe("PREKEY_EXPIRED");
    expect(code(() => initiateSession({ chainId: "x-2", identity: alice, peerBundle: bundle, now: 1 }))).toBe(
      "WRONG_CHAIN",
    );
  });
});

describe("symmetric ratchet", () => {
  it("each message key is used once; in order and out of order within the window", async () => {
    let { a, b } = await pair();
    const keys: Uint8Array[] = [];
    for (let i = 0; i < 5; i++) {
      const s = nextSendKey(a);
      expect(s.counter).toBe(i);
      keys.push(s.messageKey);
      a = s.session;
    }
    expect(new Set(keys.map((k) => Buffer.from(k).toString("hex"))).size).toBe(5);
    for (const n of [3, 0, 4, 1, 2]) {
      const r = recvKey(b, n);
      expect(r.messageKey).toEqual(keys[n]);
      b = r.session;
    }
    expect(b.recv.skipped.size).toBe(0);
    for (const n of [0, 1, 2, 3, 4]) expect(code(() => recvKey(b, n))).toBe("REPLAYED");
  });

  it("does not mutate the state passed in (the caller keeps it if decryption fails)", async () => {
    const { b } = await pair();
    const before = serializeSession(b);
    recvKey(b, 7);
    expect(serializeSession(b)).toBe(before);
  });

  it(`refuses a jump of more than ${MAX_SKIP}`, async () => {
    const { b } = await pair();
    expect(code(() => recvKey(b, MAX_SKIP + 1))).toBe("TOO_MANY_SKIPPED");
    expect(code(() => recvKey(b, MAX_SKIP))).toBe("OK");
  });

  it(`keeps at most ${MAX_SKIPPED_KEYS} skipped keys, evicting the oldest`, async () => {
    let { b } = await pair();
    b = recvKey(b, 1000).session; // skips 0..999
    expect(b.recv.skipped.size).toBe(1000);
    b = recvKey(b, 1010).session; // skips 1001..1009 (9 more): 0..8 evicted
    expect(b.recv.skipped.size).toBe(MAX_SKIPPED_KEYS);
    expect(code(() => recvKey(b, 8))).toBe("REPLAYED");
    expect(code(() => recvKey(b, 9))).toBe("OK");
    expect(code(() => recvKey(b, 1005))).toBe("OK");
  });

  it("a chain key leaked later cannot produce earlier message keys", async () => {
    let { a, b } = await pair();
    const early: Uint8Array[] = [];
    for (let i = 0; i < 3; i++) {
      const s = nextSendKey(a);
      early.push(s.messageKey);
      a = s.session;
    }
    for (let i = 0; i < 3; i++) b = recvKey(b, i).session;
    // The attacker gets both states after message 2.
    const leaked = [a.send.chainKey, b.recv.chainKey];
    for (const start of leaked) {
      let ck = start;
      for (let i = 0; i < 50; i++) {
        const step = ratchetStep(ck);
        for (const k of early) expect(step.messageKey).not.toEqual(k);
        ck = step.nextChainKey;
      }
    }
    // And the leaked receive state refuses to reopen them.
    for (let i = 0; i < 3; i++) expect(code(() => recvKey(b, i))).toBe("REPLAYED");
    // The old chain keys are not anywhere in the new state.
    const text = serializeSession(b) + serializeSession(a);
    for (const k of early) expect(text).not.toContain(Buffer.from(k).toString("hex"));
  });

  it("serializes and restores a session exactly", async () => {
    let { a, b } = await pair();
    for (let i = 0; i < 4; i++) a = nextSendKey(a).session;
    b = recvKey(b, 3).session; // keeps 0..2 as skipped keys
    const b2: SessionState = deserializeSession(serializeSession(b));
    expect(b2).toEqual(b);
    expect(recvKey(b2, 1).messageKey).toEqual(recvKey(b, 1).messageKey);
    expect(code(() => deserializeSession("{"))).toBe("BAD_ENVELOPE");
  });
});
