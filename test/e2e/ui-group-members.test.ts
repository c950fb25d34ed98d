/**
 * Group membership in the app, in Chromium against a real devnet node: alice makes a group with bob
 * and carol, then — as its admin — adds @operator (a fourth person, signed in with his recovery
 * phrase) from the members panel: everyone sees the change announced, and alice's next message
 * opens in his browser. She then removes bob: bob's app says he was removed, carol and the operator
 * read alice's next message, and bob's does not arrive — the node serves it to the members only
 * (checked by reading the conversation with bob's and carol's own signed requests) and bob's app
 * never opens it. Screenshots under test/artifacts/ui/group-members-*.
 */
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Keyring } from "../../chain/keys/keyring.js";
import { DmNodeApi } from "../../client/dm/node-api.js";
import { adr036Signer, dmIdentityOfKey } from "../../mcp-server/dm/identity.js";
import { screenshot, startUiTestNet, type UiTestNet } from "../support/ui.js";
import {
  acceptRequestFrom,
  bubble,
  createGroup,
  openGroup,
  prekeysPublished,
  sendInGroup,
  signedInPages,
} from "../support/ui-groups.js";

const GROUP = "Night shift";
const FIRST = "welcome aboard, everyone";
const JOINED = "operator, the runbook is pinned";
const AFTER = "bob moved to the day shift";

describe("adding and removing group members in the app", () => {
  let net: UiTestNet;
  let alice: Page;
  let bob: Page;
  let carol: Page;
  let dave: Page;
  let keyring: Keyring;
  const errors: string[] = [];
  const operator = () => net.devnet.nodes[0]!.operator.address;

  /** The group's envelopes the node serves to `name` (a read signed with their own key). */
  const envelopesFor = async (name: string, group: string) => {
    const address = name === "operator0" ? operator() : net.address(name);
    const identity = await dmIdentityOfKey(keyring, name, address);
    const api = new DmNodeApi({
      baseUrl: net.apiUrl,
      chainId: net.devnet.chainId,
      address,
      signArbitrary: adr036Signer(identity),
    });
    return (await api.read(group)).envelopes.map((e) => e.id);
  };
  const groupId = () => alice.evaluate<string>("location.pathname.split('/').pop() ?? ''");

  beforeAll(async () => {
    net = await startUiTestNet();
    keyring = new Keyring({ home: net.devnet.nodes[0]!.home, backend: "test" });
    const phrase = await keyring.exportMnemonic("operator0");
    [alice, bob, carol, dave] = (await signedInPages(
      net,
      ["alice", "bob", "carol", { name: "operator", phrase }],
      errors,
    )) as [Page, Page, Page, Page];
  });

  afterAll(async () => {
    await net?.stop();
  });

  it("alice makes a group with bob and carol, who read her first message", async () => {
    await prekeysPublished(net.apiUrl, [...["alice", "bob", "carol"].map((n) => net.address(n)), operator()]);
    await createGroup(alice, GROUP, ["@bob", "@carol"]);
    await Promise.all([acceptRequestFrom(bob, "@alice"), acceptRequestFrom(carol, "@alice")]);
    await sendInGroup(alice, GROUP, FIRST);
    await bubble(alice, FIRST).waitFor({ timeout: 15_000 });
    await openGroup(bob, GROUP);
    await bubble(bob, FIRST).waitFor({ timeout: 15_000 });
  });

  it("alice, the admin, adds @operator; he reads her next message but none from before", async () => {
    await alice.getByRole("button", { name: "Members" }).click();
    const panel = alice.getByTestId("group-members");
    await panel.getByText("admin", { exact: true }).waitFor();
    await panel.getByLabel("Add a member").fill("@operator");
    await panel.getByRole("button", { name: "Add", exact: true }).click();
    await panel.getByTestId("group-member").filter({ hasText: "@operator" }).waitFor({ timeout: 15_000 });
    await alice.getByTestId("group-event").filter({ hasText: "You added @operator" }).waitFor();
    await screenshot(alice, "group-members-1-added");

    // Only the admin sees the controls.
    await openGroup(carol, GROUP);
    await carol.getByRole("button", { name: "Members" }).click();
    await carol.getByTestId("group-member").filter({ hasText: "@operator" }).waitFor({ timeout: 15_000 });
    await carol.getByTestId("group-event").filter({ hasText: "@alice added @operator" }).waitFor();
    expect(await carol.getByLabel("Add a member").count()).toBe(0);
    expect(await carol.getByRole("button", { name: /^Remove / }).count()).toBe(0);

    await acceptRequestFrom(dave, "@alice");
    await sendInGroup(alice, GROUP, JOINED);
    await bubble(alice, JOINED).waitFor({ timeout: 15_000 });
    await openGroup(dave, GROUP);
    const got = bubble(dave, JOINED);
    await got.waitFor({ timeout: 15_000 });
    expect(await got.textContent()).toContain("@alice");
    // He joined after the first message: no key of his opens it, and the node never served it to him.
    expect(await bubble(dave, FIRST).count()).toBe(0);
    await screenshot(dave, "group-members-2-joined");
  });

  it("alice removes bob: he is told, and her next message reaches carol and the operator only", async () => {
    const panel = alice.getByTestId("group-members");
    await panel.getByRole("button", { name: "Remove @bob from the group" }).click();
    await panel.getByRole("button", { name: "Remove @bob", exact: true }).click();
    await panel
      .getByTestId("group-member")
      .filter({ hasText: "@bob" })
      .waitFor({ state: "detached", timeout: 15_000 });
    await alice.getByTestId("group-event").filter({ hasText: "You removed @bob" }).waitFor();

    await openGroup(bob, GROUP);
    await bob.getByTestId("group-left").filter({ hasText: "You were removed" }).waitFor({ timeout: 15_000 });
    await bob.getByTestId("group-event").filter({ hasText: "@alice removed you" }).waitFor();
    expect(await bob.getByLabel(`Message ${GROUP}`).count()).toBe(0);

    await sendInGroup(alice, GROUP, AFTER);
    await bubble(alice, AFTER).waitFor({ timeout: 15_000 });
    await bubble(carol, AFTER).waitFor({ timeout: 15_000 });
    await bubble(dave, AFTER).waitFor({ timeout: 15_000 });
    await screenshot(carol, "group-members-3-removed");

    // The node serves the new message to the members and not to bob, whose app never opens it.
    const group = await groupId();
    const [forCarol, forBob] = await Promise.all([envelopesFor("carol", group), envelopesFor("bob", group)]);
    const newest = forCarol.at(-1)!;
    expect(forBob).not.toContain(newest);
    expect(forBob.length).toBeGreaterThan(0);
    await openGroup(bob, GROUP);
    await bubble(bob, JOINED).waitFor();
    expect(await bubble(bob, AFTER).count()).toBe(0);
    await screenshot(bob, "group-members-4-bob");
    expect(errors).toEqual([]);
  });
});
