/**
 * DmAccount's group chats against a real devnet node in this process (consensus, its LevelDB DM
 * store, the delivery policy) through the node's real app API, each member signing the ADR-036 way
 * with the devnet accounts' keyring keys as the MCP server does. Nothing stands in for the node.
 *
 * Covered: alice starts a group with bob and carol (her sender key travels to each inside a pairwise
 * message, which is their DM request); the node holds group messages back until every member
 * accepted the sender; then one ciphertext reaches both, who learn the group's name and members
 * from the notice; bob's reply, once carol accepted him too; alice deleting her message makes it
 * disappear for bob; carol leaving makes alice's next key skip her, so she cannot read later
 * messages (the node does not even serve them to her).
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ApiServer } from "../../chain/api/server.js";
import { Keyring } from "../../chain/keys/keyring.js";
import { createDevnet } from "../../chain/node/devnet.js";
import { VivimNode } from "../../chain/node/node.js";
import { silentLogger } from "../../chain/util/logger.js";
import { DmAccount } from "../../client/dm/account.js";
import type { DmIdentity } from "../../client/dm/keys.js";
import { DmApiError, DmNodeApi } from "../../client/dm/node-api.js";
import { adr036Signer, dmIdentityOfKey } from "../../mcp-server/dm/identity.js";
import { DmVault } from "../../mcp-server/dm/vault.js";
import { fastConfig } from "../support/node.js";

const HELLO = "kick-off at nine, bring the slides";
const REPLY = "slides are ready";
const AFTER_LEAVE = "carol is gone, new plan";

describe("group chats with DmAccount over a real node", () => {
  let home: string;
  let node: VivimNode;
  let api: ApiServer;
  let ids: Record<"alice" | "bob" | "carol", DmIdentity>;
  let alice: DmAccount;
  let bob: DmAccount;
  let carol: DmAccount;
  let group: string;
  let hello: string;

  const now = () => Math.floor(Date.now() / 1000);
  /** Each message in a second of its own: the node orders a conversation by (sent_at, id). */
  let lastSent = 0;
  async function sendTime(): Promise<number> {
    while (now() <= lastSent) await new Promise((r) => setTimeout(r, 1000 - (Date.now() % 1000) + 5));
    lastSent = now();
    return lastSent;
  }
  const texts = async (a: DmAccount) => (await a.messages(group, 100, now())).map((m) => m.text ?? m.error);

  beforeAll(async () => {
    home = mkdtempSync(path.join(tmpdir(), "vivim-dm-groups-"));
    const devnet = await createDevnet(home);
    const nodeHome = devnet.nodes[0]!.home;
    node = await VivimNode.open({ home: nodeHome, config: fastConfig(), logger: silentLogger() });
    await node.start();
    api = new ApiServer(node);
    await api.start();
    while (node.blockStore.latestHeight < 1n) await new Promise((r) => setTimeout(r, 20));
    const keyring = new Keyring({ home: nodeHome, backend: "test" });
    const identity = (name: string) =>
      dmIdentityOfKey(keyring, name, devnet.accounts.find((a) => a.name === name)!.address);
    const [a, b, c] = await Promise.all([identity("alice"), identity("bob"), identity("carol")]);
    ids = { alice: a, bob: b, carol: c };
    const account = (id: DmIdentity) =>
      new DmAccount(
        id,
        new DmNodeApi({
          baseUrl: `http://127.0.0.1:${api.port}`,
          chainId: devnet.chainId,
          address: id.address,
          signArbitrary: adr036Signer(id),
        }),
        new DmVault(path.join(home, "dm"), id),
        devnet.chainId,
      );
    [alice, bob, carol] = [account(a), account(b), account(c)];
    for (const m of [alice, bob, carol]) await m.ensurePrekey(now());
  });

  afterAll(async () => {
    await api?.stop();
    await node?.stop();
    if (home) rmSync(home, { recursive: true, force: true });
  });

  it("starts a group: the key notices go out as DM requests, and messages wait for the accepts", async () => {
    const created = await alice.createGroup(
      "Launch crew",
      [ids.bob.address, ids.carol.address],
      await sendTime(),
    );
    group = created.group;
    expect(created.unreached).toEqual([]);
    const kept = (await alice.groups())[group]!;
    expect(kept).toMatchObject({ name: "Launch crew", left: false });
    expect([...kept.members].sort()).toEqual([ids.alice.address, ids.bob.address, ids.carol.address].sort());
    const inbox = await bob.api.inbox();
    expect(inbox.requests.map((r) => r.from)).toEqual([ids.alice.address]);

    const refused = await alice.sendGroup(group, HELLO, "sessions", await sendTime()).catch((e) => e);
    expect(refused).toBeInstanceOf(DmApiError);
    expect(refused.code).toBe("NOT_ACCEPTED");
  });

  it("once both accepted alice, one ciphertext reaches both, who learn the group from her notice", async () => {
    await bob.api.control("accept", ids.alice.address);
    await carol.api.control("accept", ids.alice.address);
    const sent = await alice.sendGroup(group, HELLO, "sessions", await sendTime());
    hello = sent.messageId;
    for (const m of [bob, carol]) {
      await m.syncGroup(group, now()).catch(() => undefined); // unknown until the notice is read
      expect(await m.groups()).toEqual({});
    }
    for (const m of [bob, carol]) {
      await m.sync(m.conversationWith(ids.alice.address), ids.alice.address, now());
      expect((await m.groups())[group]?.name).toBe("Launch crew");
      await m.syncGroup(group, now());
      expect(await texts(m)).toEqual([HELLO]);
      // The notice is not a message of the 1:1 conversation.
      expect(await m.messages(m.conversationWith(ids.alice.address), 100, now())).toEqual([]);
      expect((await m.messages(group, 100, now()))[0]).toMatchObject({ from: ids.alice.address, dir: "in" });
    }
  });

  it("bob's reply waits until carol accepted him too, then reaches alice and carol", async () => {
    const refused = await bob.sendGroup(group, REPLY, "sessions", await sendTime()).catch((e) => e);
    expect(refused.code).toBe("NOT_ACCEPTED");
    // Bob's key notice to carol was his DM request to her.
    expect((await carol.api.inbox()).requests.map((r) => r.from)).toEqual([ids.bob.address]);
    await carol.api.control("accept", ids.bob.address);
    await bob.sendGroup(group, REPLY, "sessions", await sendTime());
    for (const m of [alice, carol]) {
      await m.syncGroup(group, now());
      expect(await texts(m)).toContain(REPLY);
    }
    expect(await texts(alice)).toEqual([HELLO, REPLY]);
  });

  it("alice deletes her message everywhere: gone from the node and from bob's kept copy", async () => {
    expect(await alice.deleteMessages(group, [hello], await sendTime())).toBe(1);
    expect(await texts(alice)).toEqual([REPLY]);
    await bob.syncGroup(group, now());
    expect(await texts(bob)).toEqual([REPLY]);
    const page = await carol.api.read(group, { limit: 200 });
    expect(page.envelopes.map((e) => e.id)).not.toContain(hello);
  });

  it("carol leaves: the others drop her, and alice's next message is sealed under a key she never gets", async () => {
    await carol.leaveGroup(group, await sendTime());
    expect((await carol.groups())[group]?.left).toBe(true);
    await expect(carol.sendGroup(group, "still here?", "sessions", now())).rejects.toMatchObject({
      code: "NOT_RECIPIENT",
    });
    await alice.syncGroup(group, now());
    expect([...(await alice.groups())[group]!.members].sort()).toEqual(
      [ids.alice.address, ids.bob.address].sort(),
    );
    const later = await alice.sendGroup(group, AFTER_LEAVE, "sessions", await sendTime());
    await bob.syncGroup(group, now());
    expect(await texts(bob)).toContain(AFTER_LEAVE);
    const page = await carol.api.read(group, { limit: 200 });
    expect(page.envelopes.map((e) => e.id)).not.toContain(later.messageId);
    expect((await bob.api.read(group, { limit: 200 })).envelopes.map((e) => e.id)).toContain(later.messageId);
  });
});
