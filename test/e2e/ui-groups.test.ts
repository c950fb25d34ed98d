/**
 * Group chats in the app, in Chromium against a real devnet node: alice, bob and carol in three
 * browser contexts. Alice makes a group with bob and carol (her key notices reach them as message
 * requests, which they accept); her message arrives decrypted in both other browsers, counted as
 * unread in carol's inbox until she opens it; bob's reply is refused until carol accepts him too
 * (the DM policy), then reaches alice; alice picks the 24-hour tier and her next message shows as
 * disappearing for bob; alice deletes her first message and it disappears from bob's screen; the
 * group fits a 375 px phone. Screenshots under test/artifacts/ui/groups-*.
 */
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { screenshot, startUiTestNet, type UiTestNet } from "../support/ui.js";
import {
  acceptRequestFrom,
  bubble,
  createGroup,
  openGroup as openGroupNamed,
  prekeysPublished,
  signedInPages,
} from "../support/ui-groups.js";

const GROUP = "Launch crew";
const HELLO = "kick-off at nine, bring the slides";
const REPLY = "slides are ready, see you there";
const SHORT = "door code changes tomorrow";

describe("the app's group chats", () => {
  let net: UiTestNet;
  let alice: Page;
  let bob: Page;
  let carol: Page;
  const errors: string[] = [];

  const openGroup = (page: Page) => openGroupNamed(page, GROUP);

  beforeAll(async () => {
    net = await startUiTestNet();
    [alice, bob, carol] = (await signedInPages(net, ["alice", "bob", "carol"], errors)) as [Page, Page, Page];
  });

  afterAll(async () => {
    await net?.stop();
  });

  it("alice creates a group with bob and carol by handle", async () => {
    await prekeysPublished(
      net.apiUrl,
      ["alice", "bob", "carol"].map((n) => net.address(n)),
    );
    await createGroup(alice, GROUP, ["@bob", "@carol"], () => screenshot(alice, "groups-1-new"));
    expect(await alice.getByTestId("group-name").textContent()).toBe(GROUP);
  });

  it("bob and carol accept alice's request; her message arrives decrypted in both browsers", async () => {
    await Promise.all([acceptRequestFrom(bob, "@alice"), acceptRequestFrom(carol, "@alice")]);
    await alice.getByLabel(`Message ${GROUP}`).fill(HELLO);
    await alice.getByRole("button", { name: "Send" }).click();
    await bubble(alice, HELLO).waitFor({ timeout: 15_000 });
    await screenshot(alice, "groups-2-sent");
    // Carol's inbox lists the group with its unread count before she opens it.
    const row = carol.getByTestId("group-row").filter({ hasText: GROUP });
    await expect.poll(() => row.textContent(), { timeout: 15_000 }).toContain("1 unread");
    for (const page of [bob, carol]) {
      await openGroup(page);
      const got = bubble(page, HELLO);
      await got.waitFor({ timeout: 15_000 });
      expect(await got.textContent()).toContain("@alice");
    }
    // Opening it sent carol's read mark: the count is gone.
    await expect.poll(() => row.textContent(), { timeout: 15_000 }).not.toContain("unread");
    await screenshot(bob, "groups-3-received");
  });

  it("bob's reply waits until carol accepts him too, then reaches alice live", async () => {
    await bob.getByLabel(`Message ${GROUP}`).fill(REPLY);
    await bob.getByRole("button", { name: "Send" }).click();
    // The node refuses a group message until every member accepted its sender; the text stays.
    await bob.getByText(/every member must accept you/).waitFor({ timeout: 15_000 });
    expect(await bob.getByLabel(`Message ${GROUP}`).inputValue()).toBe(REPLY);

    // Carol accepts bob from the group's member list (his key notice was his request to her).
    await carol.getByRole("button", { name: "Members" }).click();
    const bobRow = carol.getByTestId("group-member").filter({ hasText: "@bob" });
    await bobRow.getByRole("button", { name: "Accept" }).click({ timeout: 15_000 });
    await screenshot(carol, "groups-4-members");
    await bobRow.getByRole("button", { name: "Accept" }).waitFor({ state: "detached", timeout: 15_000 });

    await bob.getByRole("button", { name: "Send" }).click();
    await bubble(bob, REPLY).waitFor({ timeout: 15_000 });
    await bubble(alice, REPLY).waitFor({ timeout: 15_000 });
    await bubble(carol, REPLY).waitFor({ timeout: 15_000 });
  });

  it("a 24-hour message is labelled as disappearing for bob", async () => {
    await alice.getByTestId("dm-retention").selectOption("ephemeral");
    await alice.getByLabel(`Message ${GROUP}`).fill(SHORT);
    await alice.getByRole("button", { name: "Send" }).click();
    const got = bubble(bob, SHORT);
    await got.waitFor({ timeout: 15_000 });
    expect(await got.getByTestId("dm-disappears").textContent()).toMatch(/Disappears in 2[34] h/);
    expect(await bubble(bob, HELLO).getByTestId("dm-disappears").count()).toBe(0);
  });

  it("alice deletes her first message and it disappears for bob", async () => {
    const mine = bubble(alice, HELLO);
    await mine.hover();
    await mine.getByRole("button", { name: "Delete this message for everyone" }).click();
    await mine.getByRole("button", { name: "Delete for everyone" }).click();
    await mine.waitFor({ state: "detached", timeout: 15_000 });
    await bubble(bob, HELLO).waitFor({ state: "detached", timeout: 15_000 });
    await bubble(bob, REPLY).waitFor();
    await screenshot(bob, "groups-5-deleted");
  });

  it("fits a phone: the group alone at 375 px, members panel below, no horizontal overflow", async () => {
    await bob.setViewportSize({ width: 375, height: 740 });
    await bob.getByRole("button", { name: "Members" }).click();
    await bob.getByTestId("group-members").waitFor();
    const overflow = await bob.evaluate<number>("document.documentElement.scrollWidth - window.innerWidth");
    expect(overflow).toBeLessThanOrEqual(0);
    await screenshot(bob, "groups-6-phone");
    expect(errors).toEqual([]);
  });
});
