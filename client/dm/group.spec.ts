import { describe, expect, it } from "vitest";
import { CHAIN_ID, dmCode as code, identityOf, str, T0, text } from "../../test/support/dm-fixtures.js";
import { encodeAddress } from "./bytes.js";
import {
  decodeEnvelope,
  type GroupHeader,
  openEnvelope,
  sealMessage,
  signEnvelope,
  verifyEnvelope,
} from "./envelope.js";
import {
  acceptSenderKey,
  createSenderKey,
  encodeSenderKeyDistribution,
  isSenderKeyDistribution,
  newGroupId,
  openGroupMessage,
  type ReceivedSenderKey,
  sealGroupMessage,
} from "./group.js";
import { type DmIdentity, generatePrekey, signPrekeyBundle } from "./keys.js";
import { initiateSession } from "./session.js";

/** Sends `plaintext` from `from` to `to` over a fresh pairwise session and returns what `to` opens. */
function pairwise(from: DmIdentity, to: DmIdentity, plaintext: Uint8Array) {
  const prekey = generatePrekey({ id: 1, expiresAt: T0 + 86_400 });
  const s = initiateSession({
    chainId: CHAIN_ID,
    identity: from,
    peerBundle: signPrekeyBundle(to, prekey, CHAIN_ID),
    now: T0,
  });
  const { bytes } = sealMessage(s, from, { plaintext, sentAt: T0, retention: "sessions" });
  return openEnvelope(bytes, { chainId: CHAIN_ID, now: T0, identity: to, prekeys: () => prekey });
}

async function group() {
  const [alice, bob, carol, dave] = await Promise.all(
    (["alice", "bob", "carol", "dave"] as const).map((n) => identityOf(n)),
  );
  const members = [alice!, bob!, carol!];
  const groupId = newGroupId();
  const aliceKey = createSenderKey({
    chainId: CHAIN_ID,
    groupId,
    identity: alice!,
    members: members.map((m) => m.address),
  });
  // Alice distributes her sender key to each other member inside a pairwise session message.
  const held = new Map<string, ReceivedSenderKey>();
  for (const m of [bob!, carol!]) {
    const opened = pairwise(alice!, m, encodeSenderKeyDistribution(aliceKey));
    expect(isSenderKeyDistribution(opened.plaintext)).toBe(true);
    held.set(
      m.address,
      acceptSenderKey(opened.plaintext, { chainId: CHAIN_ID, from: opened.header.sender, self: m.address }),
    );
  }
  return { alice: alice!, bob: bob!, carol: carol!, dave: dave!, groupId, aliceKey, held };
}

const lookup = (k: ReceivedSenderKey | undefined) => (sender: string, id: Uint8Array) =>
  k && k.sender === sender && Buffer.compare(k.senderKeyId, id) === 0 ? k : undefined;

describe("group messages with sender keys", () => {
  it("one ciphertext, every member opens it; replay refused; out of order works", async () => {
    const { alice, bob, carol, aliceKey, held } = await group();
    let key = aliceKey;
    const envs: Uint8Array[] = [];
    for (const m of ["g0", "g1", "g2"]) {
      const r = sealGroupMessage(key, alice, { plaintext: text(m), sentAt: T0, retention: "channels" });
      envs.push(r.bytes);
      key = r.senderKey;
    }
    const h = verifyEnvelope(envs[0]!, { chainId: CHAIN_ID, now: T0 }).header as GroupHeader;
    expect(h.recipients.length).toBe(2);
    for (const m of [bob, carol]) {
      let state = held.get(m.address)!;
      for (const i of [1, 0, 2]) {
        const r = openGroupMessage(envs[i]!, {
          chainId: CHAIN_ID,
          now: T0,
          identity: m,
          senderKeys: lookup(state),
        });
        expect(str(r.plaintext)).toBe(`g${i}`);
        state = r.senderKey;
      }
      expect(
        code(() =>
          openGroupMessage(envs[0]!, { chainId: CHAIN_ID, now: T0, identity: m, senderKeys: lookup(state) }),
        ),
      ).toBe("REPLAYED");
    }
  });

  it("a non-member cannot open, even holding a member's identity address", async () => {
    const { alice, dave, bob, aliceKey } = await group();
    const { bytes } = sealGroupMessage(aliceKey, alice, {
      plaintext: text("x"),
      sentAt: T0,
      retention: "channels",
    });
    expect(
      code(() =>
        openGroupMessage(bytes, { chainId: CHAIN_ID, now: T0, identity: dave, senderKeys: () => undefined }),
      ),
    ).toBe("NOT_RECIPIENT");
    expect(
      code(() =>
        openGroupMessage(bytes, { chainId: CHAIN_ID, now: T0, identity: bob, senderKeys: () => undefined }),
      ),
    ).toBe("UNKNOWN_SENDER_KEY");
  });

  it("membership change: a new sender key that the removed member never gets", async () => {
    const { alice, bob, carol, groupId, held } = await group();
    const rotated = createSenderKey({
      chainId: CHAIN_ID,
      groupId,
      identity: alice,
      members: [alice.address, bob.address],
    });
    const bobNew = acceptSenderKey(pairwise(alice, bob, encodeSenderKeyDistribution(rotated)).plaintext, {
      chainId: CHAIN_ID,
      from: alice.address,
      self: bob.address,
    });
    const { bytes } = sealGroupMessage(rotated, alice, {
      plaintext: text("without carol"),
      sentAt: T0,
      retention: "channels",
    });
    expect(
      str(
        openGroupMessage(bytes, { chainId: CHAIN_ID, now: T0, identity: bob, senderKeys: lookup(bobNew) })
          .plaintext,
      ),
    ).toBe("without carol");
    // Carol is no longer a recipient, and her old key does not match the new key id anyway.
    expect(
      code(() =>
        openGroupMessage(bytes, {
          chainId: CHAIN_ID,
          now: T0,
          identity: carol,
          senderKeys: lookup(held.get(carol.address)),
        }),
      ),
    ).toBe("NOT_RECIPIENT");
    expect(
      code(() =>
        openGroupMessage(bytes, {
          chainId: CHAIN_ID,
          now: T0,
          identity: bob,
          senderKeys: lookup(held.get(bob.address)),
        }),
      ),
    ).toBe("UNKNOWN_SENDER_KEY");
  });

  it("a member cannot forge another member's message; tampering fails", async () => {
    const { alice, bob, aliceKey, held } = await group();
    const { bytes } = sealGroupMessage(aliceKey, alice, {
      plaintext: text("x"),
      sentAt: T0,
      retention: "channels",
    });
    const env = decodeEnvelope(bytes);
    const { v: _v, ...rest } = env.header as GroupHeader;
    // Bob holds Alice's chain key but cannot sign as Alice.
    const forged = signEnvelope(bob, rest, { nonce: env.nonce!, ciphertext: env.ciphertext! });
    expect(code(() => verifyEnvelope(forged, { chainId: CHAIN_ID, now: T0 }))).toBe("BAD_SIGNATURE");
    const state = held.get(bob.address)!;
    for (let i = 0; i < bytes.length; i += 7) {
      const t = Uint8Array.from(bytes);
      t[i]! ^= 0x10;
      expect(
        code(() =>
          openGroupMessage(t, { chainId: CHAIN_ID, now: T0, identity: bob, senderKeys: lookup(state) }),
        ),
      ).not.toBe("OK");
    }
  });

  it("distribution is checked: right sender, chain, membership; groups are capped at 32", async () => {
    const { alice, bob, carol, dave, aliceKey } = await group();
    const dist = encodeSenderKeyDistribution(aliceKey);
    expect(
      code(() => acceptSenderKey(dist, { chainId: CHAIN_ID, from: carol.address, self: bob.address })),
    ).toBe("SESSION_MISMATCH");
    expect(
      code(() => acceptSenderKey(dist, { chainId: "other", from: alice.address, self: bob.address })),
    ).toBe("WRONG_CHAIN");
    expect(
      code(() => acceptSenderKey(dist, { chainId: CHAIN_ID, from: alice.address, self: dave.address })),
    ).toBe("NOT_RECIPIENT");
    const addrs = [
      alice.address,
      ...Array.from({ length: 32 }, (_, i) => encodeAddress(new Uint8Array(20).fill(i + 1))),
    ];
    expect(
      code(() =>
        createSenderKey({ chainId: CHAIN_ID, groupId: newGroupId(), identity: alice, members: addrs }),
      ),
    ).toBe("TOO_LARGE");
    expect(
      code(() =>
        createSenderKey({
          chainId: CHAIN_ID,
          groupId: newGroupId(),
          identity: alice,
          members: addrs.slice(0, 32),
        }),
      ),
    ).toBe("OK");
  });
});
