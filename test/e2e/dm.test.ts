/**
 * Direct messages between two members on two different validator processes over libp2p: alice
 * hands an envelope sealed in her client to node 0; node 1 receives it by relay and serves it to
 * bob, who alone can open it. The first message is the DM request; bob's signed acceptance,
 * made on node 1, reaches node 0, after which alice's next message flows. Tampered and replayed
 * envelopes are refused, only ciphertext is in either node's DM store, and a read needs a member's
 * signature.
 */
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { Secp256k1HdWallet } from "@cosmjs/amino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { dmInboxText, dmReadText, dmReceiptText } from "../../chain/api/routes/dm.js";
import { ADDRESS_PREFIX } from "../../chain/crypto/address.js";
import { adr036SignBytes } from "../../chain/crypto/adr036.js";
import { dmControlSignBytes } from "../../chain/dm/control.js";
import { Keyring } from "../../chain/keys/keyring.js";
import { openEnvelope, sealMessage } from "../../client/dm/envelope.js";
import {
  type DmIdentity,
  decodePrekeyBundle,
  dmIdentityFromPrivateKey,
  encodePrekeyBundle,
  generatePrekey,
  signPrekeyBundle,
} from "../../client/dm/keys.js";
import { initiateSession, type SessionState } from "../../client/dm/session.js";
import { privateKeyOf } from "../support/dm-fixtures.js";
import { createProcessNetwork, type ProcessNetwork, waitForHeight } from "../support/network.js";
import { type EventFrame, type Frame, StreamClient } from "../support/stream-client.js";

const SECRET = "meet at the lisbon validator meetup";

describe("direct messages across two validator nodes", () => {
  let net: ProcessNetwork;
  let chainId: string;
  let api: [string, string];
  let alice: DmIdentity;
  let bob: DmIdentity;
  let bobWallet: Secp256k1HdWallet;
  let aliceWallet: Secp256k1HdWallet;
  const bobPrekey = generatePrekey({ id: 1, expiresAt: Math.floor(Date.now() / 1000) + 86_400 });
  let aliceSession: SessionState;
  let bobSession: SessionState | undefined;
  const now = () => Math.floor(Date.now() / 1000);

  const post = async (base: string, route: string, body: unknown) => {
    const r = await fetch(`${base}${route}`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(body),
    });
    return { status: r.status, body: (await r.json()) as Record<string, unknown> };
  };
  const submit = (base: string, bytes: Uint8Array) =>
    post(base, "/vivim/dm/v1/envelopes", { envelope: Buffer.from(bytes).toString("base64") });

  /** `text`, signed the ADR-036 way by `address`'s amino wallet: the `pub_key` and `signature` fields. */
  async function adr036(wallet: Secp256k1HdWallet, address: string, text: string) {
    const doc = JSON.parse(Buffer.from(adr036SignBytes(address, new TextEncoder().encode(text))).toString());
    const { signature } = await wallet.signAmino(address, doc);
    return { pub_key: signature.pub_key.value, signature: signature.signature };
  }

  const conversationHex = () => Buffer.from(aliceSession.conversationId).toString("hex");

  /** What `who` reads of the conversation on node `base`, signed with their wallet. */
  async function read(base: string, wallet: Secp256k1HdWallet, address: string) {
    const at = now();
    const conversation = conversationHex();
    return post(base, `/vivim/dm/v1/conversations/${conversation}/envelopes`, {
      signer: address,
      at,
      ...(await adr036(wallet, address, dmReadText(chainId, conversation, at))),
    });
  }

  /** `who`'s inbox on node `base`. */
  async function inbox(base: string, wallet: Secp256k1HdWallet, address: string) {
    const at = now();
    return post(base, "/vivim/dm/v1/inbox", {
      signer: address,
      at,
      ...(await adr036(wallet, address, dmInboxText(chainId, at))),
    });
  }

  /** Polls `probe` until `done` holds for its answer (relays take a moment); returns the last answer. */
  async function until<T>(probe: () => Promise<T>, done: (t: T) => boolean): Promise<T> {
    const deadline = Date.now() + 30_000;
    let last = await probe();
    while (!done(last) && Date.now() < deadline) {
      await new Promise((res) => setTimeout(res, 200));
      last = await probe();
    }
    return last;
  }

  function seal(text: string): Uint8Array {
    const r = sealMessage(aliceSession, alice, {
      plaintext: new TextEncoder().encode(text),
      sentAt: now(),
      retention: "sessions",
    });
    aliceSession = r.session;
    return r.bytes;
  }

  beforeAll(async () => {
    net = await createProcessNetwork({ validators: 2 });
    await Promise.all(net.validators.map((v) => v.start()));
    await waitForHeight(net.validators, 2, 60_000);
    chainId = net.devnet.chainId;
    api = [net.devnet.nodes[0]!.api, net.devnet.nodes[1]!.api];
    const account = (name: string) => net.devnet.accounts.find((a) => a.name === name)!;
    alice = dmIdentityFromPrivateKey(await privateKeyOf(account("alice").mnemonic));
    bob = dmIdentityFromPrivateKey(await privateKeyOf(account("bob").mnemonic));
    bobWallet = await Secp256k1HdWallet.fromMnemonic(account("bob").mnemonic, { prefix: ADDRESS_PREFIX });
    aliceWallet = await Secp256k1HdWallet.fromMnemonic(account("alice").mnemonic, { prefix: ADDRESS_PREFIX });
    // Bob publishes his signed prekey bundle on node 1; alice fetches it from node 0.
    const published = await post(api[1], "/vivim/dm/v1/prekeys", {
      bundle: Buffer.from(encodePrekeyBundle(signPrekeyBundle(bob, bobPrekey, chainId))).toString("base64"),
    });
    expect(published.body).toMatchObject({ address: bob.address, prekey_id: 1 });
    const fetched = await until(
      () => fetch(`${api[0]}/vivim/dm/v1/prekeys/${bob.address}`),
      (r) => r.status === 200,
    );
    const { bundle } = (await fetched.json()) as { bundle: string };
    aliceSession = initiateSession({
      chainId,
      identity: alice,
      peerBundle: decodePrekeyBundle(Buffer.from(bundle, "base64")),
      now: now(),
    });
  }, 120_000);

  afterAll(async () => {
    await net?.stopAll();
  });

  it("relays alice's request from node 0 to bob on node 1, who alone can open it", async () => {
    const first = seal(SECRET);
    const r = await submit(api[0], first);
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.body).toMatchObject({ stored: true, request: true });
    const envelopes = (
      await until(
        () => read(api[1], bobWallet, bob.address),
        (r) => (r.body.envelopes as unknown[]).length > 0,
      )
    ).body.envelopes as Array<{ envelope: string }>;
    expect(envelopes).toHaveLength(1);
    const opened = openEnvelope(Buffer.from(envelopes[0]!.envelope, "base64"), {
      chainId,
      now: now(),
      identity: bob,
      prekeys: (id) => (id === bobPrekey.id ? bobPrekey : undefined),
    });
    expect(new TextDecoder().decode(opened.plaintext)).toBe(SECRET);
    bobSession = opened.session;
    // Bob's inbox shows it as a request from alice, waiting for his answer.
    const pending = (await inbox(api[1], bobWallet, bob.address)).body;
    expect(pending.requests).toEqual([
      { from: alice.address, at: expect.any(Number), conversation: conversationHex() },
    ]);
    // A member's signature is needed to read; carol's does not show her the conversation.
    const carol = net.devnet.accounts.find((a) => a.name === "carol")!;
    const carolWallet = await Secp256k1HdWallet.fromMnemonic(carol.mnemonic, { prefix: ADDRESS_PREFIX });
    expect((await read(api[1], carolWallet, carol.address)).body.envelopes).toEqual([]);
  });

  it("holds alice's next message until bob accepts on node 1, then delivers it", async () => {
    const early = await submit(api[0], seal("are you there?"));
    expect(early.status).toBe(403);
    expect(String(early.body.message)).toMatch(/^REQUEST_PENDING/);
    const c = { kind: "accept" as const, from: bob.address, to: alice.address, at: now() };
    const doc = JSON.parse(Buffer.from(dmControlSignBytes(chainId, c)).toString());
    const { signature } = await bobWallet.signAmino(bob.address, doc);
    const accepted = await post(api[1], "/vivim/dm/v1/controls", {
      ...c,
      pub_key: signature.pub_key.value,
      signature: signature.signature,
    });
    expect(accepted.status, JSON.stringify(accepted.body)).toBe(200);
    // The acceptance travels to node 0 by relay.
    const next = seal("great, see you there");
    const delivered = await until(
      () => submit(api[0], next),
      (r) => r.status === 200,
    );
    expect(delivered.body).toMatchObject({ stored: true, request: false });
    // Replayed: kept once; tampered: refused.
    expect((await submit(api[0], next)).body).toMatchObject({ stored: false });
    const tampered = next.slice();
    const at = tampered.length - 80;
    tampered[at] = (tampered[at] ?? 0) ^ 1;
    expect((await submit(api[0], tampered)).status).toBe(400);
  });

  it("lists the conversation in bob's inbox with unread counts that follow his read receipt, on both nodes", async () => {
    const conversation = conversationHex();
    type Inbox = { conversations: Array<Record<string, unknown>>; requests: unknown[] };
    const bobsInbox = async (base: string) => (await inbox(base, bobWallet, bob.address)).body as Inbox;
    const unreadOn = async (base: string) =>
      (await bobsInbox(base)).conversations.find((c) => c.conversation === conversation)?.unread;
    const before = await until(
      () => bobsInbox(api[1]),
      (b) => b.conversations.some((c) => c.conversation === conversation && c.unread === 2),
    );
    expect(before.conversations.find((c) => c.conversation === conversation)).toMatchObject({
      members: [alice.address, bob.address].sort(),
      unread: 2,
      status: "accepted",
    });
    expect(before.requests).toEqual([]);
    // Bob marks the conversation read up to the first message, on node 1.
    const listed = (await read(api[1], bobWallet, bob.address)).body.envelopes as Array<{ id: string }>;
    const at = now();
    const receipt = { reader: bob.address, conversation, message_id: listed[0]!.id, at };
    const sent = await post(api[1], "/vivim/dm/v1/receipts", {
      ...receipt,
      ...(await adr036(bobWallet, bob.address, dmReceiptText(chainId, conversation, listed[0]!.id, at))),
    });
    expect(sent.body).toEqual({ applied: true });
    expect(await unreadOn(api[1])).toBe(1);
    // The receipt reaches node 0: bob's count there agrees, and alice sees how far bob has read.
    expect(
      await until(
        () => unreadOn(api[0]),
        (n) => n === 1,
      ),
    ).toBe(1);
    const alicesView = await read(api[0], aliceWallet, alice.address);
    expect(alicesView.body.receipts).toEqual([{ reader: bob.address, message_id: listed[0]!.id, at }]);
    // Only a member can mark it read, and only with their own signature.
    const forged = await post(api[1], "/vivim/dm/v1/receipts", {
      ...receipt,
      ...(await adr036(aliceWallet, alice.address, dmReceiptText(chainId, conversation, listed[0]!.id, at))),
    });
    expect(forged.status).toBe(400);
    expect(String(forged.body.message)).toMatch(/^BAD_CONTROL/);
  });

  it("streams presence, typing, new messages and receipts live between members on different nodes", async () => {
    const account = (name: string) => net.devnet.accounts.find((a) => a.name === name)!;
    const ws = (base: string) => `${base.replace(/^http/, "ws")}/v1/stream`;
    const conversation = conversationHex();
    const bobLive = await StreamClient.open(ws(api[1]));
    await bobLive.auth(account("bob"));
    await bobLive.subscribe("dm", { kind: "dm" });
    await bobLive.subscribe("who", { kind: "presence", accounts: [alice.address] });
    const presence = (status: string) => (f: Frame) =>
      f.type === "event" && f.sub === "who" && (f as EventFrame).event.attributes.status === status;
    await bobLive.next(presence("offline"));

    // Alice signs in on node 0: bob, on node 1, sees her come online, then busy.
    const aliceLive = await StreamClient.open(ws(api[0]));
    await aliceLive.auth(account("alice"));
    await aliceLive.subscribe("dm", { kind: "dm" });
    await bobLive.next(presence("online"));
    aliceLive.send({ type: "presence", status: "busy" });
    await bobLive.next(presence("busy"));

    // Carol (not accepted by bob) types at him first, then alice: only alice's indicator arrives.
    const carolLive = await StreamClient.open(ws(api[0]));
    await carolLive.auth(account("carol"));
    carolLive.send({ type: "typing", conversation, to: [bob.address] });
    aliceLive.send({ type: "typing", conversation, to: [bob.address] });
    const typing = (await bobLive.next(
      (f) => f.type === "event" && (f as EventFrame).event.type === "dm.typing",
    )) as EventFrame;
    expect(typing.event.attributes).toEqual({ conversation, from: alice.address });
    expect(typing).not.toHaveProperty("cursor");

    // A new message from alice on node 0 is announced to bob on node 1 (never its content).
    // Conversations order by the sender's stated second, then id: a message stamped in the same
    // second as one already read may sort before it (docs/dm.md, Read receipts). Send in a later one.
    await new Promise((res) => setTimeout(res, 1_100));
    const sent = await submit(api[0], seal("live now"));
    expect(sent.status).toBe(200);
    const message = (await bobLive.next(
      (f) => f.type === "event" && (f as EventFrame).event.type === "dm.message",
    )) as EventFrame;
    expect(message.event.attributes).toMatchObject({
      conversation,
      id: sent.body.id,
      sender: alice.address,
      request: "false",
    });
    expect(JSON.stringify(bobLive.frames)).not.toContain("live now");

    // Bob's receipt on node 1 reaches alice on node 0.
    const at = now();
    const marked = await post(api[1], "/vivim/dm/v1/receipts", {
      reader: bob.address,
      conversation,
      message_id: sent.body.id,
      at,
      ...(await adr036(
        bobWallet,
        bob.address,
        dmReceiptText(chainId, conversation, String(sent.body.id), at),
      )),
    });
    expect(marked.body).toEqual({ applied: true });
    const receipt = (await aliceLive.next(
      (f) => f.type === "event" && (f as EventFrame).event.type === "dm.receipt",
    )) as EventFrame;
    expect(receipt.event.attributes).toMatchObject({ reader: bob.address, message_id: sent.body.id });

    // Alice leaves: offline for bob.
    aliceLive.close();
    await bobLive.next(presence("offline"), bobLive.frames.findIndex(presence("busy")));
    expect(
      bobLive.frames.filter((f) => f.type === "event" && (f as EventFrame).event.type === "dm.typing"),
    ).toHaveLength(1);
    carolLive.close();
    bobLive.close();
  });

  it("lets an agent DM only when its owner granted it `dm`", async () => {
    const keyring = new Keyring({ home: net.devnet.nodes[0]!.home, backend: "test" });
    const agentSession = async (keyName: string) => {
      const identity = dmIdentityFromPrivateKey(await privateKeyOf(await keyring.exportMnemonic(keyName)));
      const s = initiateSession({
        chainId,
        identity,
        peerBundle: signPrekeyBundle(bob, bobPrekey, chainId),
        now: now(),
      });
      return sealMessage(s, identity, {
        plaintext: new TextEncoder().encode("hello"),
        sentAt: now(),
        retention: "sessions",
      }).bytes;
    };
    // @operator/moderation was granted moderate, post and comment, not dm.
    const refused = await submit(api[0], await agentSession("worker-moderation"));
    expect(refused.status).toBe(403);
    expect(String(refused.body.message)).toMatch(/^AGENT_NOT_GRANTED/);
    // @alice/scout was granted dm: its first message is a request like anyone's, and bob, signed
    // in on node 1, finds it among his notifications.
    const bobLive = await StreamClient.open(`${api[1].replace(/^http/, "ws")}/v1/stream`);
    await bobLive.auth(net.devnet.accounts.find((a) => a.name === "bob")!);
    await bobLive.subscribe("me", { kind: "notifications" });
    const scoutRequest = await submit(api[0], await agentSession("scout"));
    expect(scoutRequest.body).toMatchObject({ stored: true, request: true });
    const note = (await bobLive.next(
      (f) => f.type === "event" && (f as EventFrame).event.type === "dm.request",
    )) as EventFrame;
    expect(note.event.attributes).toMatchObject({
      id: scoutRequest.body.id,
      from: expect.stringMatching(/^vivim1/),
    });
    expect(note.event.attributes.from).not.toBe(alice.address);
    bobLive.close();
  });

  it("keeps only ciphertext in each node's DM store", async () => {
    for (const node of net.devnet.nodes) {
      const dir = path.join(node.home, "data", "dm");
      const files = readdirSync(dir).map((f) => readFileSync(path.join(dir, f)));
      expect(files.some((b) => b.includes(Buffer.from(SECRET)))).toBe(false);
      expect(files.some((b) => b.includes(Buffer.from("lisbon")))).toBe(false);
    }
    expect(bobSession).toBeDefined();
  });
});
