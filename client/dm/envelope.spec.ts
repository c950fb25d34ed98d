import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { verifySignature } from "../../chain/crypto/verify.js";
import { CHAIN_ID, dmCode as code, identityOf, str, T0, text } from "../../test/support/dm-fixtures.js";
import {
  createDeleteEnvelope,
  type DirectHeader,
  decodeEnvelope,
  decrypt,
  defaultExpiry,
  EnvelopeKind,
  MAX_PLAINTEXT_BYTES,
  type OpenContext,
  openEnvelope,
  peekSessionId,
  type RETENTION,
  sealMessage,
  signEnvelope,
  sortAddresses,
  verifyEnvelope,
} from "./envelope.js";
import { DmError } from "./errors.js";
import { type DmIdentity, generatePrekey, type PrekeyPair, signPrekeyBundle } from "./keys.js";
import {
  deserializeSession,
  initiateSession,
  ratchetStep,
  type SessionState,
  serializeSession,
} from "./session.js";

async function setup() {
  const alice = await identityOf("alice");
  const bob = await identityOf("bob");
  const carol = await identityOf("carol");
  const prekey = generatePrekey({ id: 5, expiresAt: T0 + 7 * 86_400 });
  const bundle = signPrekeyBundle(bob, prekey, CHAIN_ID);
  const aliceSession = initiateSession({ chainId: CHAIN_ID, identity: alice, peerBundle: bundle, now: T0 });
  const bobPrekeys = (id: number): PrekeyPair | undefined => (id === prekey.id ? prekey : undefined);
  return { alice, bob, carol, prekey, bundle, aliceSession, bobPrekeys };
}

function sendMany(s: SessionState, id: DmIdentity, msgs: string[], sentAt = T0) {
  const out: Uint8Array[] = [];
  for (const m of msgs) {
    const r = sealMessage(s, id, { plaintext: text(m), sentAt, retention: "sessions" });
    out.push(r.bytes);
    s = r.session;
  }
  return { envelopes: out, session: s };
}

describe("direct messages between two accounts", () => {
  it("round trip both ways, starting while the recipient is offline", async () => {
    const { alice, bob, aliceSession, bobPrekeys } = await setup();
    const first = sealMessage(aliceSession, alice, {
      plaintext: text("hi bob"),
      sentAt: T0,
      retention: "sessions",
    });
    expect(peekSessionId(first.bytes)).toEqual(aliceSession.sessionId);
    const bctx: OpenContext = { chainId: CHAIN_ID, now: T0 + 5, identity: bob, prekeys: bobPrekeys };
    const opened = openEnvelope(first.bytes, bctx);
    expect(str(opened.plaintext)).toBe("hi bob");
    expect(opened.header.sender).toBe(alice.address);
    expect(opened.header.recipients).toEqual([bob.address]);
    expect(opened.header.expiresAt).toBe(defaultExpiry("sessions", T0));
    expect(opened.messageId).toEqual(first.messageId);
    let bobSession = opened.session;

    const reply = sealMessage(bobSession, bob, {
      plaintext: text("hi alice"),
      sentAt: T0 + 6,
      retention: "ephemeral",
    });
    bobSession = reply.session;
    const back = openEnvelope(reply.bytes, {
      chainId: CHAIN_ID,
      now: T0 + 7,
      identity: alice,
      session: first.session,
    });
    expect(str(back.plaintext)).toBe("hi alice");
    expect(back.header.retention).toBe("ephemeral");
    expect(back.header.direction).toBe(1);

    // A second message on the same session, with the stored session.
    const second = sealMessage(back.session, alice, {
      plaintext: text("again"),
      sentAt: T0 + 8,
      retention: "sessions",
    });
    expect(str(openEnvelope(second.bytes, { ...bctx, session: bobSession }).plaintext)).toBe("again");
  });

  it("decodes an envelope handed over as a Buffer view into shared memory (as gossip does)", async () => {
    const { alice, aliceSession } = await setup();
    const { bytes } = sealMessage(aliceSession, alice, {
      plaintext: text("x"),
      sentAt: T0,
      retention: "sessions",
    });
    const view = Buffer.concat([Buffer.alloc(7, 0xee), Buffer.from(bytes)]).subarray(7);
    expect(view.byteOffset).toBeGreaterThan(0);
    expect(decodeEnvelope(view).messageId).toEqual(decodeEnvelope(bytes).messageId);
  });

  it("the node-side view holds only ciphertext", async () => {
    const { alice, aliceSession } = await setup();
    const secret = "the launch code is 0000";
    const { bytes } = sealMessage(aliceSession, alice, {
      plaintext: text(secret),
      sentAt: T0,
      retention: "sessions",
    });
    expect(Buffer.from(bytes).includes(Buffer.from(secret))).toBe(false);
    expect(Buffer.from(bytes).includes(Buffer.from("launch"))).toBe(false);
  });

  it("a third account cannot decrypt (not recipient, and no keys even if it pretends)", async () => {
    const { alice, carol, aliceSession, prekey } = await setup();
    const { bytes } = sealMessage(aliceSession, alice, {
      plaintext: text("x"),
      sentAt: T0,
      retention: "sessions",
    });
    expect(
      code(() => openEnvelope(bytes, { chainId: CHAIN_ID, now: T0, identity: carol, prekeys: () => prekey })),
    ).toBe("NOT_RECIPIENT");
    // Even with Bob's prekey and the header, Carol's derived session differs.
    const spoofed = { ...carol, address: (await identityOf("bob")).address };
    expect(
      code(() =>
        openEnvelope(bytes, { chainId: CHAIN_ID, now: T0, identity: spoofed, prekeys: () => prekey }),
      ),
    ).toBe("SESSION_MISMATCH");
  });

  it("replay is refused; out-of-order delivery within the window works", async () => {
    const { alice, bob, aliceSession, bobPrekeys } = await setup();
    const { envelopes } = sendMany(aliceSession, alice, ["m0", "m1", "m2", "m3", "m4"]);
    const ctx: OpenContext = { chainId: CHAIN_ID, now: T0 + 1, identity: bob, prekeys: bobPrekeys };
    let session: SessionState | undefined;
    for (const i of [2, 0, 4, 1, 3]) {
      const r = openEnvelope(envelopes[i]!, { ...ctx, ...(session ? { session } : {}) });
      expect(str(r.plaintext)).toBe(`m${i}`);
      session = r.session;
    }
    for (const e of envelopes)
      expect(code(() => openEnvelope(e, { ...ctx, session: session! }))).toBe("REPLAYED");
  });

  it("a failed open leaves the state usable (the caller keeps the old one)", async () => {
    const { alice, bob, aliceSession, bobPrekeys } = await setup();
    const { envelopes } = sendMany(aliceSession, alice, ["m0", "m1"]);
    const ctx: OpenContext = { chainId: CHAIN_ID, now: T0 + 1, identity: bob, prekeys: bobPrekeys };
    const s0 = openEnvelope(envelopes[0]!, ctx).session;
    const bad = Uint8Array.from(envelopes[1]!);
    bad[bad.length - 70]! ^= 1; // inside the ciphertext
    expect(code(() => openEnvelope(bad, { ...ctx, session: s0 }))).not.toBe("OK");
    expect(str(openEnvelope(envelopes[1]!, { ...ctx, session: s0 }).plaintext)).toBe("m1");
  });

  it("wrong chain id fails for the node and the recipient", async () => {
    const { alice, bob, aliceSession, bobPrekeys } = await setup();
    const { bytes } = sealMessage(aliceSession, alice, {
      plaintext: text("x"),
      sentAt: T0,
      retention: "sessions",
    });
    expect(code(() => verifyEnvelope(bytes, { chainId: "vivim-other", now: T0 }))).toBe("WRONG_CHAIN");
    expect(
      code(() =>
        openEnvelope(bytes, { chainId: "vivim-other", now: T0, identity: bob, prekeys: bobPrekeys }),
      ),
    ).toBe("WRONG_CHAIN");
  });

  it("expired prekeys are refused: by the sender, and by the recipient for late sessions", async () => {
    const { alice, bob, prekey, bundle, bobPrekeys } = await setup();
    expect(
      code(() =>
        initiateSession({ chainId: CHAIN_ID, identity: alice, peerBundle: bundle, now: prekey.expiresAt }),
      ),
    ).toBe("PREKEY_EXPIRED");
    // A sender with a wrong clock seals after the prekey's expiry: the recipient refuses.
    const s = initiateSession({ chainId: CHAIN_ID, identity: alice, peerBundle: bundle, now: T0 });
    const late = sealMessage(s, alice, {
      plaintext: text("x"),
      sentAt: prekey.expiresAt,
      retention: "ephemeral",
    });
    expect(
      code(() =>
        openEnvelope(late.bytes, {
          chainId: CHAIN_ID,
          now: prekey.expiresAt,
          identity: bob,
          prekeys: bobPrekeys,
        }),
      ),
    ).toBe("PREKEY_EXPIRED");
    // Once Bob deleted the prekey, a new session on it cannot be opened at all.
    const early = sealMessage(s, alice, { plaintext: text("x"), sentAt: T0, retention: "sessions" });
    expect(
      code(() =>
        openEnvelope(early.bytes, { chainId: CHAIN_ID, now: T0, identity: bob, prekeys: () => undefined }),
      ),
    ).toBe("UNKNOWN_PREKEY");
  });

  it("expired messages are refused; retention bounds hold", async () => {
    const { alice, bob, aliceSession, bobPrekeys } = await setup();
    const { bytes } = sealMessage(aliceSession, alice, {
      plaintext: text("x"),
      sentAt: T0,
      retention: "ephemeral",
    });
    expect(code(() => verifyEnvelope(bytes, { chainId: CHAIN_ID, now: T0 + 86_399 }))).toBe("OK");
    expect(code(() => verifyEnvelope(bytes, { chainId: CHAIN_ID, now: T0 + 86_400 }))).toBe("EXPIRED");
    expect(
      code(() =>
        openEnvelope(bytes, { chainId: CHAIN_ID, now: T0 + 86_400, identity: bob, prekeys: bobPrekeys }),
      ),
    ).toBe("EXPIRED");
    // Ephemeral cannot be extended; sessions can, up to a year; nothing lives forever.
    const seal = (retention: keyof typeof RETENTION, expiresAt: number) =>
      code(() =>
        sealMessage(aliceSession, alice, { plaintext: text("x"), sentAt: T0, retention, expiresAt }),
      );
    expect(seal("ephemeral", T0 + 86_401)).toBe("BAD_RETENTION");
    expect(seal("ephemeral", T0 + 60)).toBe("OK");
    expect(seal("view_once", T0 + 86_400)).toBe("OK");
    expect(seal("sessions", T0 + 60 * 86_400)).toBe("OK");
    expect(seal("threads", T0 + 366 * 86_400)).toBe("BAD_RETENTION");
    expect(seal("sessions", T0)).toBe("BAD_RETENTION");
    // A message dated in the future (beyond clock skew) is refused by nodes.
    expect(code(() => verifyEnvelope(bytes, { chainId: CHAIN_ID, now: T0 - 301 }))).toBe("BAD_ENVELOPE");
  });

  it("size caps: 64 KiB plaintext accepted, one byte more refused", async () => {
    const { alice, bob, aliceSession, bobPrekeys } = await setup();
    const big = new Uint8Array(MAX_PLAINTEXT_BYTES).fill(7);
    const ok = sealMessage(aliceSession, alice, { plaintext: big, sentAt: T0, retention: "sessions" });
    const opened = openEnvelope(ok.bytes, { chainId: CHAIN_ID, now: T0, identity: bob, prekeys: bobPrekeys });
    expect(opened.plaintext).toEqual(big);
    expect(
      code(() =>
        sealMessage(aliceSession, alice, {
          plaintext: new Uint8Array(MAX_PLAINTEXT_BYTES + 1),
          sentAt: T0,
          retention: "sessions",
        }),
      ),
    ).toBe("TOO_LARGE");
    expect(code(() => verifyEnvelope(new Uint8Array(200_000), { chainId: CHAIN_ID, now: T0 }))).toBe(
      "TOO_LARGE",
    );
  });
});

describe("tampering", () => {
  it("every single flipped bit anywhere in the envelope is rejected (node and recipient)", async () => {
    const { alice, bob, aliceSession, bobPrekeys } = await setup();
    const { bytes } = sealMessage(aliceSession, alice, {
      plaintext: text("hello"),
      sentAt: T0,
      retention: "sessions",
    });
    const ctx: OpenContext = { chainId: CHAIN_ID, now: T0 + 1, identity: bob, prekeys: bobPrekeys };
    const codes = new Set<string>();
    for (let i = 0; i < bytes.length; i++) {
      for (const bit of [0, 7]) {
        const t = Uint8Array.from(bytes);
        t[i]! ^= 1 << bit;
        const node = code(() => verifyEnvelope(t, { chainId: CHAIN_ID, now: T0 + 1 }));
        const recipient = code(() => openEnvelope(t, ctx));
        expect(node, `byte ${i} bit ${bit}`).not.toBe("OK");
        expect(recipient, `byte ${i} bit ${bit}`).not.toBe("OK");
        codes.add(recipient);
      }
    }
    expect(codes.has("BAD_SIGNATURE")).toBe(true);
  });

  it("the AEAD binds every header field: re-signed altered headers still fail to open", async () => {
    // Models an attacker who could sign as the sender but does not hold the message key: the
    // ciphertext's associated data is the canonical header, so any change breaks decryption.
    const { alice, bob, aliceSession, bobPrekeys } = await setup();
    const { bytes } = sealMessage(aliceSession, alice, {
      plaintext: text("hello"),
      sentAt: T0,
      retention: "sessions",
    });
    const env = decodeEnvelope(bytes);
    const h = env.header as DirectHeader;
    const body = { nonce: env.nonce!, ciphertext: env.ciphertext! };
    const ctx: OpenContext = { chainId: CHAIN_ID, now: T0 + 1, identity: bob, prekeys: bobPrekeys };
    const variants: Partial<DirectHeader>[] = [
      { sentAt: T0 + 1 },
      { expiresAt: h.expiresAt - 1 },
      { retention: "channels" },
      { counter: 1 },
      { prekeyId: 6 },
      { sessionId: new Uint8Array(32).fill(1) },
      { ephemeralKey: (await identityOf("dave")).publicKey },
    ];
    for (const v of variants) {
      const { v: _v, ...rest } = { ...h, ...v };
      const forged = signEnvelope(alice, rest, body);
      expect(
        code(() => openEnvelope(forged, ctx)),
        JSON.stringify(Object.keys(v)),
      ).toMatch(/DECRYPT_FAILED|SESSION_MISMATCH|UNKNOWN_PREKEY/);
    }
    // The untouched header re-signed opens fine (the check above is not vacuous).
    const { v: _v, ...same } = h;
    expect(str(openEnvelope(signEnvelope(alice, same, body), ctx).plaintext)).toBe("hello");
    // Flipping a ciphertext bit and re-signing: DECRYPT_FAILED.
    const ct = Uint8Array.from(body.ciphertext);
    ct[0]! ^= 1;
    expect(code(() => openEnvelope(signEnvelope(alice, same, { ...body, ciphertext: ct }), ctx))).toBe(
      "DECRYPT_FAILED",
    );
  });
});

describe("forward secrecy on real envelopes", () => {
  it("the recipient's state leaked after message 3 opens none of messages 0..2", async () => {
    const { alice, bob, aliceSession, bobPrekeys } = await setup();
    const { envelopes } = sendMany(aliceSession, alice, ["m0", "m1", "m2", "m3"]);
    const ctx: OpenContext = { chainId: CHAIN_ID, now: T0 + 1, identity: bob, prekeys: bobPrekeys };
    let s: SessionState | undefined;
    for (const e of envelopes.slice(0, 3))
      s = openEnvelope(e, { ...ctx, ...(s ? { session: s } : {}) }).session;
    const leaked = deserializeSession(serializeSession(s!));
    for (const e of envelopes.slice(0, 3))
      expect(code(() => openEnvelope(e, { ...ctx, session: leaked }))).toBe("REPLAYED");
    // Brute force: every key derivable forward from the leaked chain key fails on the old ciphertexts.
    let ck = leaked.recv.chainKey;
    for (let i = 0; i < 20; i++) {
      const { messageKey, nextChainKey } = ratchetStep(ck);
      for (const e of envelopes.slice(0, 3)) {
        const env = decodeEnvelope(e);
        expect(code(() => decrypt(messageKey, env.headerBytes, env.nonce!, env.ciphertext!))).toBe(
          "DECRYPT_FAILED",
        );
      }
      ck = nextChainKey;
    }
    // ...while the next message still opens with the leaked state (no post-compromise healing).
    expect(str(openEnvelope(envelopes[3]!, { ...ctx, session: leaked }).plaintext)).toBe("m3");
  });
});

describe("node-side verification without keys", () => {
  it("the signature is the Cosmos secp256k1 rule: chain/crypto's native verifier agrees", async () => {
    const { alice, aliceSession } = await setup();
    const { bytes } = sealMessage(aliceSession, alice, {
      plaintext: text("x"),
      sentAt: T0,
      retention: "sessions",
    });
    const native = (pk: Uint8Array, sb: Uint8Array, sig: Uint8Array) =>
      verifySignature("secp256k1", pk, sb, sig);
    expect(code(() => verifyEnvelope(bytes, { chainId: CHAIN_ID, now: T0, verifySignature: native }))).toBe(
      "OK",
    );
    const t = Uint8Array.from(bytes);
    t[5]! ^= 1;
    expect(code(() => verifyEnvelope(t, { chainId: CHAIN_ID, now: T0, verifySignature: native }))).not.toBe(
      "OK",
    );
    const sig = Uint8Array.from(bytes);
    sig[sig.length - 1]! ^= 1;
    expect(code(() => verifyEnvelope(sig, { chainId: CHAIN_ID, now: T0, verifySignature: native }))).toBe(
      "BAD_SIGNATURE",
    );
  });

  it("accepts valid envelopes and rejects forged ones", async () => {
    const { alice, bob, carol, aliceSession } = await setup();
    const { bytes } = sealMessage(aliceSession, alice, {
      plaintext: text("x"),
      sentAt: T0,
      retention: "sessions",
    });
    const env = verifyEnvelope(bytes, { chainId: CHAIN_ID, now: T0 });
    expect(env.header.kind).toBe(EnvelopeKind.Direct);
    expect(env.header.sender).toBe(alice.address);
    const h = env.header as DirectHeader;
    const body = { nonce: env.nonce!, ciphertext: env.ciphertext! };
    const { v: _v, ...rest } = h;
    // Carol signs a message claiming Alice as sender (with Alice's pubkey): signature fails.
    expect(code(() => verifyEnvelope(signEnvelope(carol, rest, body), { chainId: CHAIN_ID, now: T0 }))).toBe(
      "BAD_SIGNATURE",
    );
    // Carol signs with her own key but claims Alice's address.
    expect(
      code(() =>
        verifyEnvelope(signEnvelope(carol, { ...rest, senderKey: carol.publicKey }, body), {
          chainId: CHAIN_ID,
          now: T0,
        }),
      ),
    ).toBe("BAD_SIGNATURE");
    // A conversation id that is not the members' 1:1 id, or a second recipient on a direct message.
    expect(
      code(() =>
        verifyEnvelope(signEnvelope(alice, { ...rest, conversationId: new Uint8Array(32) }, body), {
          chainId: CHAIN_ID,
          now: T0,
        }),
      ),
    ).toBe("BAD_ENVELOPE");
    const both = sortAddresses([bob.address, carol.address]);
    expect(
      code(() =>
        verifyEnvelope(signEnvelope(alice, { ...rest, recipients: both }, body), {
          chainId: CHAIN_ID,
          now: T0,
        }),
      ),
    ).toBe("BAD_ENVELOPE");
    // Truncated, trailing bytes, unknown version.
    expect(code(() => verifyEnvelope(bytes.slice(0, -1), { chainId: CHAIN_ID, now: T0 }))).toBe(
      "BAD_ENVELOPE",
    );
    expect(code(() => verifyEnvelope(Uint8Array.of(...bytes, 0), { chainId: CHAIN_ID, now: T0 }))).toBe(
      "BAD_ENVELOPE",
    );
    expect(
      code(() => verifyEnvelope(Uint8Array.of(2, ...bytes.slice(1)), { chainId: CHAIN_ID, now: T0 })),
    ).toBe("BAD_ENVELOPE");
  });

  it("junk never crashes the node check: only DmError is thrown", async () => {
    const { alice, aliceSession } = await setup();
    const { bytes } = sealMessage(aliceSession, alice, {
      plaintext: text("x"),
      sentAt: T0,
      retention: "sessions",
    });
    const onlyDmErrors = (b: Uint8Array) => {
      try {
        verifyEnvelope(b, { chainId: CHAIN_ID, now: T0 });
      } catch (e) {
        if (!(e instanceof DmError)) throw e;
      }
    };
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 600 }), (b) => onlyDmErrors(b)),
      { numRuns: 500 },
    );
    fc.assert(
      fc.property(
        fc.nat({ max: bytes.length }),
        fc.uint8Array({ minLength: 1, maxLength: 8 }),
        (at, junk) => {
          const b = Uint8Array.from(bytes);
          b.set(junk.subarray(0, b.length - at), at);
          onlyDmErrors(b);
          onlyDmErrors(bytes.slice(0, at));
        },
      ),
      { numRuns: 300 },
    );
  });

  it("delete control envelopes: signed, no plaintext, verifiable by nodes", async () => {
    const { alice, bob, carol, aliceSession } = await setup();
    const { envelopes } = sendMany(aliceSession, alice, ["a", "b"]);
    const ids = envelopes.map((e) => decodeEnvelope(e).messageId);
    const del = createDeleteEnvelope(alice, {
      chainId: CHAIN_ID,
      conversationId: aliceSession.conversationId,
      recipients: [bob.address],
      messageIds: ids,
      sentAt: T0 + 10,
    });
    const env = verifyEnvelope(del, { chainId: CHAIN_ID, now: T0 + 11 });
    expect(env.header.kind).toBe(EnvelopeKind.Delete);
    expect(env.header.sender).toBe(alice.address);
    expect(env.header.kind === EnvelopeKind.Delete && env.header.messageIds).toEqual(ids);
    expect(env.ciphertext).toBeUndefined();
    // Tampered or forged deletes are refused.
    const t = Uint8Array.from(del);
    t[t.length - 100]! ^= 1; // a message id byte
    expect(code(() => verifyEnvelope(t, { chainId: CHAIN_ID, now: T0 + 11 }))).toBe("BAD_SIGNATURE");
    const h = env.header;
    const { v: _v, ...rest } = h;
    expect(code(() => verifyEnvelope(signEnvelope(carol, rest), { chainId: CHAIN_ID, now: T0 + 11 }))).toBe(
      "BAD_SIGNATURE",
    );
    expect(
      code(() =>
        createDeleteEnvelope(alice, {
          chainId: CHAIN_ID,
          conversationId: aliceSession.conversationId,
          recipients: [bob.address],
          messageIds: [],
          sentAt: T0,
        }),
      ),
    ).toBe("BAD_ENVELOPE");
  });
});
