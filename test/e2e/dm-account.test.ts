/**
 * DmAccount — the MCP server's end-to-end encrypted DM client of one identity — against a real
 * devnet node in this process (consensus, its LevelDB DM store, the delivery policy) through the
 * node's real app API, with DmNodeApi signing the ADR-036 way with the devnet accounts' keyring keys
 * exactly as McpDmService does (dmIdentityOfKey, adr036Signer). Nothing stands in for the node.
 *
 * Covered: the prekey published on first use (and not replaced while live, also after a restart);
 * a recipient without a prekey; a first message as a request, REQUEST_PENDING until the signed
 * accept, then messages both ways; a restarted account going on with the same session and opening
 * nothing twice; read receipts reaching the sender; view-once text forgotten once shown; an
 * ephemeral message's one-day expiry; a sender deleting a message from the node (and, as a known
 * gap, the recipient's opened copy staying); a peer that starts over on a new session opened from
 * the prekey, which replies then use; state on disk that holds no plaintext and opens only with its
 * own identity's key, and a node store that holds ciphertext only.
 *
 * Times are the real clock (the node checks them against its own), each message sent in a second of
 * its own so that the conversation has one order. What depends on days passing
 * (prekey rotation and grace, old and idle sessions, expired kept messages) is decided by the pure
 * functions in client/dm/prekey-policy.ts and retain.ts, tested in their specs.
 */
import { copyFileSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ApiServer } from "../../chain/api/server.js";
import { Keyring } from "../../chain/keys/keyring.js";
import { createDevnet, type DevnetDescriptor } from "../../chain/node/devnet.js";
import { VivimNode } from "../../chain/node/node.js";
import { silentLogger } from "../../chain/util/logger.js";
import { DmAccount, NoPrekeyError } from "../../client/dm/account.js";
import { createDeleteEnvelope, decodeEnvelope } from "../../client/dm/envelope.js";
import { type DmIdentity, verifyPrekeyBundle } from "../../client/dm/keys.js";
import { DmApiError, DmNodeApi } from "../../client/dm/node-api.js";
import { adr036Signer, dmIdentityOfKey } from "../../mcp-server/dm/identity.js";
import { DmVault, DmVaultError } from "../../mcp-server/dm/vault.js";
import { fastConfig } from "../support/node.js";

const SECRET = "the lisbon meetup moves to the harbour warehouse";
const ANSWER = "ok, bring the hardware wallet";
const AFTER_RESTART = "still there after the restart?";
const VIEW_ONCE = "the door code is 4711";
const WRONG = "sent to the wrong person by mistake";
const EPHEMERAL = "gone tomorrow";
const FRESH = "starting over on a new device state";
const WELCOME = "welcome back";
const PLAINTEXTS = [SECRET, ANSWER, AFTER_RESTART, VIEW_ONCE, WRONG, EPHEMERAL, FRESH, WELCOME];

/** Every file under `dir`, recursively. */
function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? filesUnder(path.join(dir, e.name)) : [path.join(dir, e.name)],
  );
}

describe("DmAccount over a real node's DM API", () => {
  let home: string;
  let devnet: DevnetDescriptor;
  let node: VivimNode;
  let api: ApiServer;
  let apiUrl: string;
  let chainId: string;
  let aliceId: DmIdentity;
  let bobId: DmIdentity;
  let carolId: DmIdentity;
  /** The MCP server's DM state directory for this test (any directory: the vault names its files). */
  let dir: string;
  let alice: DmAccount;
  let bob: DmAccount;
  let conversation: string;

  /** The real clock, in Unix seconds. */
  const now = () => Math.floor(Date.now() / 1000);
  /**
   * The time to send at: the real clock, in a second after the last send's. The node orders a
   * conversation by (sent_at, id), so messages sent in one second could come back in either order.
   */
  let lastSent = 0;
  async function sendTime(): Promise<number> {
    while (now() <= lastSent) await new Promise((r) => setTimeout(r, 1000 - (Date.now() % 1000) + 5));
    lastSent = now();
    return lastSent;
  }

  /** A DM account as McpDmService makes one: the node's API signed with the identity's own key. */
  function account(identity: DmIdentity, stateDir = dir, requests?: string[]): DmAccount {
    return new DmAccount(
      identity,
      new DmNodeApi({
        baseUrl: apiUrl,
        chainId,
        address: identity.address,
        signArbitrary: adr036Signer(identity),
        // The real fetch; `requests` only records which routes were called.
        ...(requests
          ? {
              fetch: (input: string | URL | Request, init?: RequestInit) => {
                requests.push(`${init?.method ?? "GET"} ${new URL(String(input)).pathname}`);
                return fetch(input, init);
              },
            }
          : {}),
      }),
      new DmVault(stateDir, identity),
      chainId,
    );
  }

  const texts = async (a: DmAccount, peer: string) =>
    (await a.messages(a.conversationWith(peer), 100, now())).map((m) => [m.dir, m.text ?? m.error]);

  beforeAll(async () => {
    home = mkdtempSync(path.join(tmpdir(), "vivim-dm-account-"));
    dir = path.join(home, "mcp-dm");
    devnet = await createDevnet(home);
    chainId = devnet.chainId;
    const nodeHome = devnet.nodes[0]!.home;
    node = await VivimNode.open({ home: nodeHome, config: fastConfig(), logger: silentLogger() });
    await node.start();
    api = new ApiServer(node);
    await api.start();
    apiUrl = `http://127.0.0.1:${api.port}`;
    while (node.blockStore.latestHeight < 1n) await new Promise((r) => setTimeout(r, 20));
    // The identities behind node0's keyring keys, as the MCP server derives them.
    const keyring = new Keyring({ home: nodeHome, backend: "test" });
    const identity = (name: string) =>
      dmIdentityOfKey(keyring, name, devnet.accounts.find((a) => a.name === name)!.address);
    [aliceId, bobId, carolId] = await Promise.all([identity("alice"), identity("bob"), identity("carol")]);
    alice = account(aliceId);
    bob = account(bobId);
    conversation = alice.conversationWith(bobId.address);
  });
  afterAll(async () => {
    await api?.stop();
    await node?.stop();
    if (home) rmSync(home, { recursive: true, force: true });
  });

  it("publishes its signed prekey on first use, and keeps it while it is live", async () => {
    const reader = account(carolId).api;
    expect(await reader.fetchPrekey(bobId.address)).toBeUndefined();
    const requests: string[] = [];
    bob = account(bobId, dir, requests);
    await bob.ensurePrekey(now());
    expect(requests).toEqual(["POST /vivim/dm/v1/prekeys"]);
    const kept = (await new DmVault(dir, bobId).load()).prekeys;
    expect(kept).toHaveLength(1);
    const held = (await reader.fetchPrekey(bobId.address))!;
    expect(held).toMatchObject({
      address: bobId.address,
      prekeyId: kept[0]!.id,
      expiresAt: kept[0]!.expiresAt,
    });
    expect(Buffer.from(held.prekey).toString("hex")).toBe(kept[0]!.publicKey);
    expect(() =>
      verifyPrekeyBundle(held, { chainId, now: now(), expectedAddress: bobId.address }),
    ).not.toThrow();
    // Again: nothing to do. A restarted server checks once that the node holds it, and keeps it.
    await bob.ensurePrekey(now());
    expect(requests).toHaveLength(1);
    const restarted: string[] = [];
    await account(bobId, dir, restarted).ensurePrekey(now());
    expect(restarted).toEqual([`GET /vivim/dm/v1/prekeys/${bobId.address}`]);
    expect((await new DmVault(dir, bobId).load()).prekeys).toEqual(kept);
    expect((await reader.fetchPrekey(bobId.address))!.prekeyId).toBe(kept[0]!.id);
  });

  it("refuses a recipient who has published no prekey", async () => {
    await expect(alice.send(carolId.address, "hi", "sessions", now())).rejects.toBeInstanceOf(NoPrekeyError);
  });

  it("sends a first message as a request, waits for the accept, then messages flow both ways", async () => {
    const sent = await alice.send(bobId.address, SECRET, "sessions", await sendTime());
    expect(sent).toMatchObject({ conversation, request: true });
    expect(sent.expiresAt - sent.sentAt).toBe(30 * 86_400);
    // The node holds further messages back until bob answers.
    const pending = await alice
      .send(bobId.address, "are you there?", "sessions", await sendTime())
      .catch((e) => e);
    expect(pending).toBeInstanceOf(DmApiError);
    expect(pending.code).toBe("REQUEST_PENDING");

    expect(await bob.hasHeardFrom(aliceId.address)).toBe(false);
    await bob.sync(conversation, aliceId.address, now());
    expect(await texts(bob, aliceId.address)).toEqual([["in", SECRET]]);
    expect(await bob.hasHeardFrom(aliceId.address)).toBe(true);
    await bob.api.control("accept", aliceId.address);

    // Bob answers on the session alice started (he opened it from his prekey).
    expect(await bob.send(aliceId.address, ANSWER, "sessions", await sendTime())).toMatchObject({
      request: false,
    });
    await alice.sync(conversation, bobId.address, now());
    expect(await texts(alice, bobId.address)).toEqual([
      ["out", SECRET],
      ["in", ANSWER],
    ]);
    const [aliceState, bobState] = await Promise.all([
      new DmVault(dir, aliceId).load(),
      new DmVault(dir, bobId).load(),
    ]);
    expect(Object.keys(aliceState.sessions)).toEqual([aliceState.current[conversation]]);
    expect(Object.keys(bobState.sessions)).toEqual([aliceState.current[conversation]]);
  });

  it("goes on with the same session after a restart, opens nothing twice, and passes on read receipts", async () => {
    const before = (await new DmVault(dir, bobId).load()).current[conversation];
    bob = account(bobId); // a restarted server: state read back from the vault
    await alice.send(bobId.address, AFTER_RESTART, "sessions", await sendTime());
    await bob.sync(conversation, aliceId.address, now());
    const expected = [
      ["in", SECRET],
      ["out", ANSWER],
      ["in", AFTER_RESTART],
    ];
    expect(await texts(bob, aliceId.address)).toEqual(expected);
    await bob.sync(conversation, aliceId.address, now());
    expect(await texts(bob, aliceId.address)).toEqual(expected);
    const state = await new DmVault(dir, bobId).load();
    expect(Object.keys(state.sessions)).toEqual([before]);
    expect(state.current[conversation]).toBe(before);

    // Bob marks the conversation read up to the newest message; alice learns it on her next sync.
    const newest = (await bob.newestIncoming(conversation))!;
    expect(newest.text).toBe(AFTER_RESTART);
    await bob.api.receipt(conversation, newest.id);
    await alice.sync(conversation, bobId.address, now());
    expect(await alice.peerReadUpTo(conversation)).toBe(newest.id);
  });

  it("shows a view-once message until it is marked shown, then only that it was viewed", async () => {
    const sent = await alice.send(bobId.address, VIEW_ONCE, "view_once", await sendTime());
    await bob.sync(conversation, aliceId.address, now());
    const [shown] = await bob.messages(conversation, 1, now());
    expect(shown).toMatchObject({ id: sent.messageId, text: VIEW_ONCE, viewOnce: true });
    await bob.forgetViewOnce(conversation, [sent.messageId]);
    await bob.sync(conversation, aliceId.address, now());
    for (const a of [bob, account(bobId)]) {
      const [again] = await a.messages(conversation, 1, now());
      expect(again).toMatchObject({ id: sent.messageId, viewOnce: true, error: "VIEWED" });
      expect(again!.text).toBeUndefined();
    }
  });

  it("keeps an ephemeral message for a day: shown until its expiry, not after", async () => {
    const ephemeral = await alice.send(bobId.address, EPHEMERAL, "ephemeral", await sendTime());
    expect(ephemeral.expiresAt - ephemeral.sentAt).toBe(86_400);
    await bob.sync(conversation, aliceId.address, now());
    expect((await texts(bob, aliceId.address)).at(-1)).toEqual(["in", EPHEMERAL]);
    // What is shown is cut at the expiry (when kept messages are dropped is retain.spec.ts's subject).
    const kept = await bob.messages(conversation, 100, ephemeral.expiresAt - 1);
    expect(kept.map((m) => m.text)).toContain(EPHEMERAL);
    const later = await bob.messages(conversation, 100, ephemeral.expiresAt);
    expect(later.map((m) => m.text)).not.toContain(EPHEMERAL);
  });

  let wrong: { messageId: string };
  it("lets a sender delete a message from the node, which then no longer serves it", async () => {
    wrong = await alice.send(bobId.address, WRONG, "sessions", await sendTime());
    await bob.sync(conversation, aliceId.address, now());
    expect((await texts(bob, aliceId.address)).at(-1)).toEqual(["in", WRONG]);

    const answer = await alice.api.submit(
      createDeleteEnvelope(aliceId, {
        chainId,
        conversationId: Buffer.from(conversation, "hex"),
        recipients: [bobId.address],
        messageIds: [Buffer.from(wrong.messageId, "hex")],
        sentAt: await sendTime(),
      }),
    );
    // The deletion itself is kept in the conversation, for the members' clients to apply.
    expect(answer).toMatchObject({ stored: true, deleted: 1 });
    const page = await bob.api.read(conversation, { limit: 200 });
    expect(page.envelopes.map((e) => e.id)).not.toContain(wrong.messageId);
    await bob.sync(conversation, aliceId.address, now());
  });

  it("makes a recipient who already opened a message forget it once its sender deletes it", async () => {
    const page = await bob.api.read(conversation, { limit: 200 });
    expect(page.envelopes.some((e) => decodeEnvelope(e.envelope).header.kind === 3)).toBe(true);
    expect((await texts(bob, aliceId.address)).map(([, t]) => t)).not.toContain(WRONG);
    expect((await bob.messages(conversation, 100, now())).map((m) => m.id)).not.toContain(wrong.messageId);
  });

  it("opens a new session a peer starts from the prekey, and replies on it", async () => {
    // Alice's server lost its DM state: it starts a new session from bob's published prekey.
    const fresh = account(aliceId, path.join(home, "mcp-dm-fresh"));
    expect(await fresh.send(bobId.address, FRESH, "sessions", await sendTime())).toMatchObject({
      request: false,
    });
    const before = (await new DmVault(dir, bobId).load()).current[conversation]!;
    await bob.sync(conversation, aliceId.address, now());
    expect((await texts(bob, aliceId.address)).at(-1)).toEqual(["in", FRESH]);
    const state = await new DmVault(dir, bobId).load();
    expect(Object.keys(state.sessions).sort()).toEqual([before, state.current[conversation]].sort());
    expect(state.current[conversation]).not.toBe(before);

    await bob.send(aliceId.address, WELCOME, "sessions", await sendTime());
    await fresh.sync(conversation, bobId.address, now());
    const seen = await fresh.messages(conversation, 100, now());
    expect(seen.slice(-2).map((m) => [m.dir, m.text])).toEqual([
      ["out", FRESH],
      ["in", WELCOME],
    ]);
    // What bob sent on the lost session stays unreadable: its keys went with the lost state.
    const earlier = seen.slice(0, -2);
    expect(earlier.length).toBeGreaterThan(0);
    for (const m of earlier) expect(m).toMatchObject({ dir: "in", error: expect.any(String) });
    expect(earlier.some((m) => m.text !== undefined)).toBe(false);
  });

  it("keeps only ciphertext on disk: its state opens with its own identity's key only, and the node's store holds none", async () => {
    const files = filesUnder(home).filter((f) => f.endsWith(".dm"));
    expect(files.map((f) => path.basename(f)).sort()).toEqual(
      [`${aliceId.address}.dm`, `${aliceId.address}.dm`, `${bobId.address}.dm`].sort(),
    );
    const dmStore = filesUnder(path.join(devnet.nodes[0]!.home, "data", "dm"));
    expect(dmStore.length).toBeGreaterThan(0);
    const bytes = [...files, ...dmStore].map((f) => readFileSync(f));
    for (const plain of [...PLAINTEXTS, "chainKey", "privateKey"]) {
      expect(
        bytes.some((b) => b.includes(Buffer.from(plain))),
        plain,
      ).toBe(false);
    }
    // Bob's own key opens his state (his history is there); carol's cannot, nor pass it off as hers.
    const state = await new DmVault(dir, bobId).load();
    expect(state.conversations[conversation]!.messages.some((m) => m.text === ANSWER)).toBe(true);
    copyFileSync(path.join(dir, `${bobId.address}.dm`), path.join(dir, `${carolId.address}.dm`));
    await expect(new DmVault(dir, carolId).load()).rejects.toBeInstanceOf(DmVaultError);
  });
});
