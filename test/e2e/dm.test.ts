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
import { dmReadText } from "../../chain/api/routes/dm.js";
import { ADDRESS_PREFIX } from "../../chain/crypto/address.js";
import { adr036SignBytes } from "../../chain/crypto/adr036.js";
import { dmControlSignBytes } from "../../chain/dm/control.js";
import { Keyring } from "../../chain/keys/keyring.js";
import { openEnvelope, sealMessage } from "../../client/dm/envelope.js";
import {
  type DmIdentity,
  dmIdentityFromPrivateKey,
  generatePrekey,
  signPrekeyBundle,
} from "../../client/dm/keys.js";
import { initiateSession, type SessionState } from "../../client/dm/session.js";
import { privateKeyOf } from "../support/dm-fixtures.js";
import { createProcessNetwork, type ProcessNetwork, waitForHeight } from "../support/network.js";

const SECRET = "meet at the lisbon validator meetup";

describe("direct messages across two validator nodes", () => {
  let net: ProcessNetwork;
  let chainId: string;
  let api: [string, string];
  let alice: DmIdentity;
  let bob: DmIdentity;
  let bobWallet: Secp256k1HdWallet;
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

  /** What `who` reads of the conversation on node `base`, signed with their wallet. */
  async function read(base: string, wallet: Secp256k1HdWallet, address: string) {
    const at = now();
    const conversation = Buffer.from(aliceSession.conversationId).toString("hex");
    const doc = JSON.parse(
      Buffer.from(
        adr036SignBytes(address, new TextEncoder().encode(dmReadText(chainId, conversation, at))),
      ).toString(),
    );
    const { signature } = await wallet.signAmino(address, doc);
    return post(base, `/vivim/dm/v1/conversations/${conversation}/envelopes`, {
      signer: address,
      pub_key: signature.pub_key.value,
      signature: signature.signature,
      at,
    });
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
    // Bob's signed prekey bundle, as his client would publish it.
    aliceSession = initiateSession({
      chainId,
      identity: alice,
      peerBundle: signPrekeyBundle(bob, bobPrekey, chainId),
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
    let envelopes: Array<{ envelope: string }> = [];
    const deadline = Date.now() + 30_000;
    while (Date.now() < deadline && envelopes.length === 0) {
      envelopes = (await read(api[1], bobWallet, bob.address)).body.envelopes as typeof envelopes;
      if (envelopes.length === 0) await new Promise((res) => setTimeout(res, 200));
    }
    expect(envelopes).toHaveLength(1);
    const opened = openEnvelope(Buffer.from(envelopes[0]!.envelope, "base64"), {
      chainId,
      now: now(),
      identity: bob,
      prekeys: (id) => (id === bobPrekey.id ? bobPrekey : undefined),
    });
    expect(new TextDecoder().decode(opened.plaintext)).toBe(SECRET);
    bobSession = opened.session;
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
    let delivered: { status: number; body: Record<string, unknown> } | undefined;
    const deadline = Date.now() + 30_000;
    const next = seal("great, see you there");
    while (Date.now() < deadline) {
      delivered = await submit(api[0], next);
      if (delivered.status === 200) break;
      await new Promise((res) => setTimeout(res, 200));
    }
    expect(delivered?.body).toMatchObject({ stored: true, request: false });
    // Replayed: kept once; tampered: refused.
    expect((await submit(api[0], next)).body).toMatchObject({ stored: false });
    const tampered = next.slice();
    const at = tampered.length - 80;
    tampered[at] = (tampered[at] ?? 0) ^ 1;
    expect((await submit(api[0], tampered)).status).toBe(400);
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
    // @alice/scout was granted dm: its first message is a request like anyone's.
    expect((await submit(api[0], await agentSession("scout"))).body).toMatchObject({
      stored: true,
      request: true,
    });
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
