/**
 * The browser-safe DM client (`client/dm/node-api.ts`, `dm.DmNodeApi` in vivim/client) against a
 * real node and its app API: prekeys published and fetched, an envelope sealed in the client
 * submitted as the DM request, the peer's signed inbox and conversation read, a receipt, a
 * control, and the node's refusals surfacing as DmApiError with the node's own codes.
 */
import { Secp256k1HdWallet } from "@cosmjs/amino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ApiServer } from "../../chain/api/server.js";
import { adr036SignBytes } from "../../chain/crypto/adr036.js";
import { openEnvelope, sealMessage } from "../../client/dm/envelope.js";
import {
  type DmIdentity,
  dmIdentityFromPrivateKey,
  generatePrekey,
  signPrekeyBundle,
} from "../../client/dm/keys.js";
import { type ArbitrarySignature, DmApiError, DmNodeApi } from "../../client/dm/node-api.js";
import { initiateSession } from "../../client/dm/session.js";
import { privateKeyOf } from "../support/dm-fixtures.js";
import { startTestNode, type TestAccount, type TestNode } from "../support/node.js";

const now = () => Math.floor(Date.now() / 1000);

describe("DmNodeApi against a real node", () => {
  let net: TestNode;
  let server: ApiServer;
  let chainId: string;
  const ids: DmIdentity[] = [];
  const apis: DmNodeApi[] = [];
  const requested: string[] = [];

  /** signArbitrary as a cosmjs amino wallet (or Keplr) makes it. */
  const signerOf =
    (account: TestAccount) =>
    async (text: string): Promise<ArbitrarySignature> => {
      const wallet = await Secp256k1HdWallet.fromMnemonic(account.mnemonic, { prefix: "vivim" });
      const doc = JSON.parse(
        Buffer.from(adr036SignBytes(account.address, new TextEncoder().encode(text))).toString(),
      );
      const { signature } = await wallet.signAmino(account.address, doc);
      return { pub_key: signature.pub_key, signature: signature.signature };
    };

  beforeAll(async () => {
    net = await startTestNode();
    server = new ApiServer(net.node);
    await server.start();
    chainId = net.node.genesis.chain_id;
    for (const account of net.accounts.slice(0, 3)) {
      ids.push(dmIdentityFromPrivateKey(await privateKeyOf(account.mnemonic)));
      // Alice's client goes through an injected fetch (the real one, counted).
      const counted: typeof fetch = (input, init) => {
        requested.push(String(input));
        return fetch(input, init);
      };
      apis.push(
        new DmNodeApi({
          baseUrl: `http://127.0.0.1:${server.port}/`,
          chainId,
          address: account.address,
          signArbitrary: signerOf(account),
          ...(apis.length === 0 ? { fetch: counted } : {}),
        }),
      );
    }
  }, 60_000);

  afterAll(async () => {
    await server?.stop();
    await net?.stop();
  });

  it("publishes and fetches prekeys, and exchanges a request, a receipt and an answer", async () => {
    const [alice, bob] = ids as [DmIdentity, DmIdentity];
    const [aliceApi, bobApi, carolApi] = apis as [DmNodeApi, DmNodeApi, DmNodeApi];
    const prekey = generatePrekey({ id: 3, expiresAt: now() + 3_600 });
    expect(await bobApi.publishPrekey(signPrekeyBundle(bob, prekey, chainId))).toEqual({
      address: bob.address,
      prekeyId: 3,
      expiresAt: prekey.expiresAt,
    });
    const bundle = await aliceApi.fetchPrekey(bob.address);
    expect(bundle?.prekeyId).toBe(3);
    expect(await aliceApi.fetchPrekey(ids[2]!.address)).toBeUndefined();

    let session = initiateSession({ chainId, identity: alice, peerBundle: bundle!, now: now() });
    const seal = (text: string) => {
      const r = sealMessage(session, alice, {
        plaintext: new TextEncoder().encode(text),
        sentAt: now(),
        retention: "sessions",
      });
      session = r.session;
      return r.bytes;
    };
    const first = await aliceApi.submit(seal("hello bob"));
    expect(first).toMatchObject({ stored: true, request: true });
    expect(requested).toContain(`http://127.0.0.1:${server.port}/vivim/dm/v1/envelopes`);

    // Bob's signed inbox shows alice's request; his signed read gets the envelope he alone opens.
    const inbox = await bobApi.inbox();
    expect(inbox.requests).toEqual([expect.objectContaining({ from: alice.address })]);
    const conversation = inbox.conversations[0]!.conversation;
    expect(inbox.conversations[0]).toMatchObject({ unread: 1, status: "pending" });
    const page = await bobApi.read(conversation);
    expect(page.envelopes).toHaveLength(1);
    const opened = openEnvelope(page.envelopes[0]!.envelope, {
      chainId,
      now: now(),
      identity: bob,
      prekeys: (id) => (id === prekey.id ? prekey : undefined),
    });
    expect(new TextDecoder().decode(opened.plaintext)).toBe("hello bob");
    // Carol is no member: the conversation shows her nothing.
    expect((await carolApi.read(conversation)).envelopes).toEqual([]);

    await bobApi.receipt(conversation, first.id);
    expect((await bobApi.inbox()).conversations[0]).toMatchObject({ unread: 0, readUpTo: first.id });
    expect((await aliceApi.read(conversation)).receipts).toEqual([
      expect.objectContaining({ reader: bob.address, messageId: first.id }),
    ]);

    // Before bob answers, alice's next message is refused with the node's own code.
    const early = await aliceApi.submit(seal("still there?")).catch((e: unknown) => e);
    expect(early).toBeInstanceOf(DmApiError);
    expect(early).toMatchObject({ code: "REQUEST_PENDING", status: 403 });
    await bobApi.control("accept", alice.address);
    expect(await aliceApi.submit(seal("thanks"))).toMatchObject({ stored: true, request: false });
    expect((await aliceApi.inbox()).conversations[0]).toMatchObject({ status: "accepted" });
  });

  it("surfaces the node's refusals and an unreachable node as typed errors", async () => {
    const [aliceApi] = apis as [DmNodeApi];
    await expect(aliceApi.submit(Uint8Array.of(1, 2, 3))).rejects.toMatchObject({
      code: "BAD_ENVELOPE",
      status: 400,
    });
    await expect(aliceApi.receipt("ab".repeat(32), "cd".repeat(32))).rejects.toMatchObject({
      code: "NOT_FOUND",
      status: 404,
    });
    await expect(aliceApi.read("not-hex")).rejects.toMatchObject({ code: "BAD_ARGUMENT" });
    const gone = new DmNodeApi({
      baseUrl: "http://127.0.0.1:1",
      chainId,
      address: ids[0]!.address,
      signArbitrary: signerOf(net.accounts[0]!),
    });
    await expect(gone.submit(Uint8Array.of(1))).rejects.toMatchObject({ code: "UNREACHABLE", status: 0 });
  });
});
