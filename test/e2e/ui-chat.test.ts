/**
 * The assistant chat in a real browser against a real devnet node: alice opens the chat, asks in
 * plain words to post in #general, edits the post card and confirms it; the tx is signed in the
 * browser, the card shows the committed tx, its block and a working proof link, and the post is in
 * the feed and on chain. A read ("what's hot in #general?") comes back as a feed card; a follow is
 * confirmed and lands on chain; the thread is kept in the thread list across a reload-free
 * navigation. Screenshots go to test/artifacts/ui/chat-*.png.
 */
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseIntent, toMicro } from "../../ui/src/chat/intent.js";
import { getJson, screenshot, signInAs, startUiTestNet, type UiTestNet } from "../support/ui.js";

describe("the assistant chat in Chromium", () => {
  let net: UiTestNet;
  let page: Page;
  let pageErrors: string[];
  const shot = (name: string) => screenshot(page, name);

  beforeAll(async () => {
    net = await startUiTestNet();
    ({ page, errors: pageErrors } = await net.newPage());
    await signInAs(page, net.ui.url, "alice");
  });

  afterAll(async () => {
    await net?.stop();
  });

  async function ask(text: string) {
    const box = page.getByRole("textbox", { name: "Message the assistant" });
    await box.fill(text);
    await box.press("Enter");
  }

  it("understands the plain-words requests as MCP tool calls (the offline provider)", () => {
    const call = (t: string) => parseIntent(t).call;
    expect(call("post 'shipping v2 today' in #general")).toEqual({
      toolName: "create_post",
      args: { community: "general", title: "shipping v2 today", body: "" },
    });
    expect(call("what's hot in #agents?")).toEqual({
      toolName: "get_feed",
      args: { sort: "hot", community: "agents", limit: 5 },
    });
    expect(call("vote yes on proposal 3")).toEqual({
      toolName: "vote_proposal",
      args: { proposalId: "3", option: "yes" },
    });
    expect(call("follow @bob")).toEqual({ toolName: "follow", args: { target: "@bob" } });
    expect(call("rate @alice/scout 5 stars")).toEqual({
      toolName: "rate",
      args: { subject: "@alice/scout", helped: true, stars: 5, comment: "" },
    });
    expect(call("DM @bob hello")).toEqual({ toolName: "send_dm", args: { to: "@bob", text: "hello" } });
    expect(call("hire @alice/codebot for 50 VIVIM to review my PR")).toEqual({
      toolName: "create_bounty",
      args: {
        title: "Review my PR",
        description: "review my PR",
        amount: "50vivim",
        durationHours: 168,
        assignee: "@alice/codebot",
      },
    });
    expect(call("upvote post 12")).toEqual({ toolName: "vote", args: { targetId: "12", direction: "up" } });
    expect(call("tell me a joke")).toBeUndefined();
    expect(toMicro("1.5vivim")).toBe(1_500_000n);
    expect(toMicro("50000000uvivim")).toBe(50_000_000n);
    expect(toMicro("lots")).toBeNull();
  });

  it("posts through a confirmed, edited tool card, signed in the browser", async () => {
    await page.getByRole("link", { name: "Assistant" }).click();
    await page.getByTestId("chat").waitFor();
    await page.getByText("What should we do").waitFor();
    await shot("chat-1-welcome");

    await ask("post 'shipping v2 today' in #general");
    const card = page.getByTestId("chat-card-create_post");
    await card.waitFor();
    await expect.poll(() => card.getByLabel("Title").inputValue()).toBe("shipping v2 today");
    expect(await card.getByLabel("Community").inputValue()).toBe("general");
    await card.getByLabel("Body (optional)").fill("Release notes in the thread.");
    await shot("chat-2-post-card");

    await card.getByRole("button", { name: "Confirm and sign" }).click();
    const done = card.getByTestId("chat-committed");
    await done.waitFor({ timeout: 15_000 });
    const height = Number(await card.getByTestId("chat-height").textContent());
    expect(height).toBeGreaterThan(0);
    const proof = await card.getByRole("link", { name: "Inclusion proof" }).getAttribute("href");
    expect(proof).toMatch(/\/vivim\/proofs\/v1\/txs\/[0-9A-F]{64}$/i);
    // The follow-up line, streamed after the card got its result.
    await page.getByText(/Done\. Posted in #general: committed in block \d+\./).waitFor();
    await shot("chat-3-post-committed");

    // On chain: the post is in #general with the edited body, by alice, at that height's tx.
    const communities = await getJson<{ communities: { community: { id: string; slug: string } }[] }>(
      `${net.apiUrl}/vivim/social/v1/communities`,
    );
    const general = communities.communities.find((c) => c.community.slug === "general")!;
    const feed = await getJson<{
      posts: { title: string; body: string; content: { author: string; id: string } }[];
    }>(`${net.apiUrl}/vivim/social/v1/communities/${general.community.id}/feed?pagination.limit=100`);
    const post = feed.posts.find((p) => p.title === "shipping v2 today");
    expect(post?.content.author).toBe(net.address("alice"));
    expect(post?.body).toBe("Release notes in the thread.");
    const bundle = await fetch(proof!);
    expect(bundle.status).toBe(200);

    // In the app's feed.
    await card.getByRole("link", { name: "View post" }).waitFor();
    await page.getByRole("link", { name: "general", exact: true }).first().click();
    await page.getByTestId("feed").getByText("shipping v2 today").first().waitFor();
  });

  it("answers a read with a feed card and keeps the thread in the list", async () => {
    await page.getByRole("link", { name: "Assistant" }).click();
    await page.getByTestId("chat").waitFor();
    // The earlier conversation is restored from this account's thread list.
    await page.getByRole("button", { name: /^post .shipping v2 today. in #general/ }).waitFor();
    await page.getByTestId("chat-committed").waitFor();

    await ask("what's hot in #general?");
    const card = page.getByTestId("chat-card-get_feed");
    await card.waitFor();
    await card.getByRole("link", { name: "shipping v2 today" }).waitFor();
    await shot("chat-4-feed-card");
  });

  it("follows someone after confirmation, on chain", async () => {
    await ask("follow @carol");
    const card = page.getByTestId("chat-card-follow");
    await card.getByRole("button", { name: "Confirm and sign" }).click();
    await card.getByTestId("chat-committed").waitFor({ timeout: 15_000 });
    await page.getByText(/Done\. Following @carol: committed in block \d+\./).waitFor();
    await shot("chat-5-follow");

    // Edit a question: the answer is redone for the new text; then retry the answer.
    await ask("what's new in #random?");
    await page.getByTestId("chat-card-get_feed").getByText("new · #random").waitFor();
    await page.getByTestId("chat-user-msg").last().hover();
    await page.getByRole("button", { name: "Edit message" }).last().click();
    const edit = page.getByRole("textbox", { name: "Edit your message" });
    await edit.fill("what's top in #general?");
    await page.getByRole("button", { name: "Update" }).click();
    await page.getByTestId("chat-card-get_feed").getByText("top · #general").waitFor();
    await expect.poll(() => page.getByText("new · #random").count()).toBe(0);
    await page.getByRole("button", { name: "Retry answer" }).last().click();
    await page.getByTestId("chat-card-get_feed").getByText("top · #general").waitFor();
    // Both the edited question and the retried answer now have two versions to page through.
    await expect.poll(() => page.getByText("2 / 2", { exact: true }).count()).toBe(2);
    await shot("chat-6-edited");

    // A phone: the thread list becomes a row, nothing overflows sideways.
    await page.setViewportSize({ width: 375, height: 800 });
    await expect
      .poll(() => page.evaluate<number>("document.documentElement.scrollWidth"))
      .toBeLessThanOrEqual(375);
    await shot("chat-7-phone");
    expect(pageErrors).toEqual([]);
  });
});
