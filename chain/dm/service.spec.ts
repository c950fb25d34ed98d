import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { Secp256k1HdWallet } from "@cosmjs/amino";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createDeleteEnvelope, sealMessage } from "../../client/dm/envelope.js";
import { type DmIdentity, generatePrekey, signPrekeyBundle } from "../../client/dm/keys.js";
import { initiateSession, type SessionState } from "../../client/dm/session.js";
import { CHAIN_ID, identityOf, MNEMONICS } from "../../test/support/dm-fixtures.js";
import { ADDRESS_PREFIX } from "../crypto/address.js";
import { dmControlSignBytes } from "./control.js";
import type { DmControl } from "./policy.js";
import { DmService } from "./service.js";
import { DmStore, dmId } from "./store.js";

const T0 = 1_800_000_000;
let dir: string;
let store: DmStore;
let service: DmService;
let alice: DmIdentity;
let bob: DmIdentity;
let carol: DmIdentity;
let session: SessionState;

beforeEach(async () => {
  dir = mkdtempSync(path.join(tmpdir(), "vivim-dm-service-"));
  store = new DmStore(dir);
  await store.open();
  service = new DmService(store, CHAIN_ID);
  [alice, bob, carol] = await Promise.all([identityOf("alice"), identityOf("bob"), identityOf("carol")]);
  const prekey = generatePrekey({ id: 1, expiresAt: T0 + 86_400 });
  session = initiateSession({
    chainId: CHAIN_ID,
    identity: alice,
    peerBundle: signPrekeyBundle(bob, prekey, CHAIN_ID),
    now: T0,
  });
});
afterEach(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

/** Alice's next message to bob (the session advances). */
function fromAlice(text: string, sentAt = T0): Uint8Array {
  const r = sealMessage(session, alice, {
    plaintext: new TextEncoder().encode(text),
    sentAt,
    retention: "sessions",
  });
  session = r.session;
  return r.bytes;
}

/** A control signed with `name`'s wallet (as Keplr or a cosmjs amino wallet signs), whoever it claims is `from`. */
async function signed(name: keyof typeof MNEMONICS, c: DmControl) {
  const wallet = await Secp256k1HdWallet.fromMnemonic(MNEMONICS[name], { prefix: ADDRESS_PREFIX });
  const [account] = await wallet.getAccounts();
  const doc = JSON.parse(Buffer.from(dmControlSignBytes(CHAIN_ID, c)).toString("utf8"));
  const { signature } = await wallet.signAmino(account!.address, doc);
  return { ...c, pubKey: signature.pub_key.value, signature: signature.signature };
}

const codeOf = (p: Promise<unknown>) =>
  p.then(
    () => "OK",
    (e: { code?: string }) => e.code ?? String(e),
  );

describe("DM service", () => {
  it("keeps the first message as the request, holds the rest until bob accepts", async () => {
    const first = await service.submit(fromAlice("hi bob"), T0);
    expect(first).toMatchObject({ stored: true, request: true });
    expect(await codeOf(service.submit(fromAlice("again?"), T0 + 1))).toBe("REQUEST_PENDING");
    // Only bob's own signature accepts.
    const forged = await signed("carol", {
      kind: "accept",
      from: bob.address,
      to: alice.address,
      at: T0 + 2,
    });
    expect(await codeOf(service.control(forged, T0 + 2))).toBe("BAD_CONTROL");
    await service.control(
      await signed("bob", { kind: "accept", from: bob.address, to: alice.address, at: T0 + 2 }),
      T0 + 2,
    );
    expect(await service.submit(fromAlice("thanks", T0 + 3), T0 + 3)).toMatchObject({
      stored: true,
      request: false,
    });
    const conversation = (await store.list(session.conversationId, { now: T0 + 4, limit: 10 })).map(
      (r) => r.sender,
    );
    expect(conversation).toEqual([alice.address, alice.address]);
  });

  it("keeps each envelope once, and refuses tampered or foreign-chain ones", async () => {
    const bytes = fromAlice("hello");
    expect((await service.submit(bytes, T0)).stored).toBe(true);
    expect((await service.submit(bytes, T0)).stored).toBe(false);
    const tampered = bytes.slice();
    const at = tampered.length - 70;
    tampered[at] = (tampered[at] ?? 0) ^ 1;
    expect(await codeOf(service.submit(tampered, T0))).toMatch(/BAD_SIGNATURE|BAD_ENVELOPE/);
    const other = new DmService(store, "another-chain-1");
    expect(await codeOf(other.submit(fromAlice("x"), T0))).toBe("WRONG_CHAIN");
  });

  it("stops a blocked sender, and only a sender deletes their own messages", async () => {
    const kept = await service.submit(fromAlice("one"), T0);
    await service.control(
      await signed("bob", { kind: "accept", from: bob.address, to: alice.address, at: T0 + 1 }),
      T0 + 1,
    );
    const id = Buffer.from(kept.id, "hex");
    // Carol cannot delete alice's message.
    const carolDelete = createDeleteEnvelope(carol, {
      chainId: CHAIN_ID,
      conversationId: session.conversationId,
      recipients: [bob.address],
      messageIds: [id],
      sentAt: T0 + 2,
    });
    // Nor file it in bob's conversation: carol and bob never accepted each other.
    expect(await service.submit(carolDelete, T0 + 2)).toMatchObject({ deleted: 0, stored: false });
    expect(await store.get(id)).toBeDefined();
    const aliceDelete = createDeleteEnvelope(alice, {
      chainId: CHAIN_ID,
      conversationId: session.conversationId,
      recipients: [bob.address],
      messageIds: [id],
      sentAt: T0 + 3,
    });
    expect(await service.submit(aliceDelete, T0 + 3)).toMatchObject({ deleted: 1, stored: true });
    expect(await store.get(id)).toBeUndefined();
    // The deletion stays in the conversation, so bob's client learns of it, and is never unread.
    const listed = await store.list(session.conversationId, { now: T0 + 3, limit: 10 });
    expect(listed.map((r) => Buffer.from(r.id).toString("hex"))).toEqual([
      Buffer.from(dmId(aliceDelete)).toString("hex"),
    ]);
    expect(
      await store.countUnread(session.conversationId, bob.address, undefined, { now: T0 + 3, cap: 10 }),
    ).toBe(0);
    await service.control(
      await signed("bob", { kind: "block", from: bob.address, to: alice.address, at: T0 + 4 }),
      T0 + 4,
    );
    expect(await codeOf(service.submit(fromAlice("still there?", T0 + 5), T0 + 5))).toBe("BLOCKED");
  });

  it("refuses a copy of a deleted message that arrives after its deletion", async () => {
    await service.submit(fromAlice("hi"), T0);
    await service.control(
      await signed("bob", { kind: "accept", from: bob.address, to: alice.address, at: T0 + 1 }),
      T0 + 1,
    );
    const late = fromAlice("this one I regret", T0 + 2);
    const deletion = createDeleteEnvelope(alice, {
      chainId: CHAIN_ID,
      conversationId: session.conversationId,
      recipients: [bob.address],
      messageIds: [dmId(late)],
      sentAt: T0 + 3,
    });
    // The deletion outran its message (relays deliver in any order): kept, between accepted members.
    expect(await service.submit(deletion, T0 + 3)).toMatchObject({ deleted: 0, stored: true });
    expect(await service.submit(late, T0 + 4)).toMatchObject({ stored: false });
    expect(await store.get(dmId(late))).toBeUndefined();
    // Once the deletion itself expires, its tombstone goes with it.
    expect(await store.isDeleted(dmId(late), alice.address)).toBe(true);
    await store.gc(T0 + 400 * 86_400);
    expect(await store.isDeleted(dmId(late), alice.address)).toBe(false);
  });

  it("refuses controls far from the node's clock", async () => {
    const late = await signed("bob", {
      kind: "accept",
      from: bob.address,
      to: alice.address,
      at: T0 - 3_600,
    });
    expect(await codeOf(service.control(late, T0))).toBe("BAD_CONTROL");
  });
});
