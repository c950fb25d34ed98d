/**
 * The app's social views in Chromium against a real devnet node: alice and bob in two browser
 * contexts. Alice opens bob's profile and sends an end-to-end encrypted DM (a request); bob sees
 * the request, accepts and reads it; alice sees it seen; bob replies and it reaches alice live;
 * neither browser stores the text in plaintext. The agents directory lists @alice/scout and its
 * card renders. Screenshots under test/artifacts/ui/social-*.
 */
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { screenshot, signInAs, startUiTestNet, type UiTestNet } from "../support/ui.js";

/** In-app navigation (a reload would lock the app). */
async function go(page: Page, path: string): Promise<void> {
  await page.evaluate(
    `history.pushState(null, "", ${JSON.stringify(path)}); dispatchEvent(new PopStateEvent("popstate"))`,
  );
}

/** Everything the page keeps: localStorage and every IndexedDB database's records. */
const STORED_TEXT = `(async () => {
  const parts = [JSON.stringify(localStorage)];
  const dbs = (await indexedDB.databases?.()) ?? [];
  for (const info of dbs) {
    if (!info.name) continue;
    const db = await new Promise((res, rej) => {
      const r = indexedDB.open(info.name);
      r.onsuccess = () => res(r.result);
      r.onerror = () => rej(r.error);
    });
    for (const store of Array.from(db.objectStoreNames)) {
      const all = await new Promise((res) => {
        const r = db.transaction(store).objectStore(store).getAll();
        r.onsuccess = () => res(r.result);
        r.onerror = () => res([]);
      });
      parts.push(JSON.stringify(all));
    }
    db.close();
  }
  return parts.join("\\n");
})()`;

const storedText = (page: Page): Promise<string> => page.evaluate<string>(STORED_TEXT);

describe("the app's DMs, profiles and agents directory", () => {
  let net: UiTestNet;
  let alice: Page;
  let bob: Page;
  const errors: string[] = [];
  const hello = "hi bob, secret plans for v2";
  const reply = "sounds great alice";

  beforeAll(async () => {
    net = await startUiTestNet();
    const a = await net.newPage();
    const b = await net.newPage();
    alice = a.page;
    bob = b.page;
    a.page.on("pageerror", (e) => errors.push(`alice: ${e.message}`));
    b.page.on("pageerror", (e) => errors.push(`bob: ${e.message}`));
  });

  afterAll(async () => {
    await net?.stop();
  });

  it("publishes each member's DM prekey on sign-in", async () => {
    await Promise.all([signInAs(alice, net.ui.url, "alice"), signInAs(bob, net.ui.url, "bob")]);
    for (const name of ["alice", "bob"]) {
      await expect
        .poll(async () => (await fetch(`${net.apiUrl}/vivim/dm/v1/prekeys/${net.address(name)}`)).status, {
          timeout: 10_000,
        })
        .toBe(200);
    }
  });

  it("alice opens bob's profile and sends an encrypted DM request", async () => {
    await go(alice, "/u/bob");
    const profile = alice.getByTestId("profile");
    await profile.getByRole("heading", { level: 1 }).waitFor();
    expect(await profile.textContent()).toContain("@bob");
    await screenshot(alice, "social-1-profile");
    await profile.getByRole("link", { name: "Message" }).click();
    await alice.getByTestId("conversation").waitFor();
    await alice.getByLabel(/^Message @bob/).fill(hello);
    await alice.getByRole("button", { name: "Send" }).click();
    const mine = alice.getByTestId("dm-message").filter({ hasText: hello });
    await mine.waitFor();
    await expect.poll(() => alice.getByTestId("dm-status").textContent()).toContain("Delivered");
  });

  it("bob sees the request, accepts it and reads the message; alice sees it seen", async () => {
    // The Messages badge counts the request before bob opens it.
    await bob.getByTestId("dm-unread-total").waitFor({ timeout: 10_000 });
    await bob.getByRole("link", { name: /^Messages/ }).click();
    const request = bob.getByTestId("dm-request").filter({ hasText: "@alice" });
    await request.waitFor({ timeout: 10_000 });
    await screenshot(bob, "social-2-request");
    await request.getByRole("button", { name: "Accept" }).click();
    await bob.getByTestId("dm-message").filter({ hasText: hello }).waitFor({ timeout: 10_000 });
    await expect
      .poll(() => alice.getByTestId("dm-status").textContent(), { timeout: 10_000 })
      .toContain("Seen");
    await screenshot(bob, "social-3-conversation");
  });

  it("bob replies and the reply reaches alice live, with a typing indicator first", async () => {
    await alice.getByLabel(/^Message @bob/).fill("and one more");
    await bob.getByTestId("dm-typing").waitFor({ timeout: 10_000 });
    await alice.getByLabel(/^Message @bob/).fill("");
    await bob.getByLabel(/^Message @alice/).fill(reply);
    await bob.getByRole("button", { name: "Send" }).click();
    await bob.getByTestId("dm-message").filter({ hasText: reply }).waitFor();
    await alice.getByTestId("dm-message").filter({ hasText: reply }).waitFor({ timeout: 10_000 });
    await screenshot(alice, "social-4-reply");
  });

  it("fits a phone: the conversation alone at 375 px, with no horizontal overflow", async () => {
    await bob.setViewportSize({ width: 375, height: 740 });
    await bob.getByTestId("dm-message").filter({ hasText: reply }).waitFor();
    const overflow = await bob.evaluate<number>("document.documentElement.scrollWidth - window.innerWidth");
    expect(overflow).toBeLessThanOrEqual(0);
    await screenshot(bob, "social-7-phone");
    await bob.setViewportSize({ width: 1280, height: 860 });
  });

  it("keeps no DM text in plaintext in either browser's storage", async () => {
    for (const page of [alice, bob]) {
      const stored = await storedText(page);
      expect(stored).toContain("vivim.dm.v1.");
      expect(stored).not.toContain("secret plans");
      expect(stored).not.toContain(reply);
    }
  });

  it("lists @alice/scout in the agents directory and renders its card", async () => {
    await alice.getByRole("link", { name: "Agents", exact: true }).click();
    const card = alice.getByTestId("agent-card").filter({ hasText: "@alice/scout" });
    await card.waitFor({ timeout: 10_000 });
    await alice.getByLabel("Search agents").fill("scout");
    expect(await alice.getByTestId("agent-card").count()).toBeGreaterThanOrEqual(1);
    // COST: the devnet seeds one answer of scout's that cost $0.0012 and took 3.4 s.
    await expect
      .poll(() => card.getByTestId("last-answer").textContent())
      .toBe("$0.0012 · took 3.4 s · vivim-demo-1");
    expect(await card.textContent()).toContain("Cost of the last answer");
    await screenshot(alice, "social-5-agents");
    await card.getByRole("link", { name: "View card" }).click();
    const profile = alice.getByTestId("profile");
    await profile.getByText("Agent", { exact: true }).waitFor();
    expect(await profile.textContent()).toContain("@alice/scout");
    expect(await profile.getByTestId("last-answer").textContent()).toContain("$0.0012 · took 3.4 s");
    await screenshot(alice, "social-6-agent-card");
  });

  it("shows the cost line under an agent's answer in the thread (COST)", async () => {
    await go(alice, "/p/1");
    const cost = alice.getByTestId("answer-cost");
    await cost.first().waitFor({ timeout: 10_000 });
    expect(await cost.count()).toBe(1);
    expect(await cost.first().textContent()).toBe("⚡ $0.0012 · 3.4 s");
    await screenshot(alice, "social-6b-answer-cost");
  });

  it("follows or unfollows bob from his profile: signed in the browser, the follower count moves", async () => {
    await go(alice, "/u/bob");
    const profile = alice.getByTestId("profile");
    const followers = profile.getByTestId("followers");
    await expect.poll(() => followers.textContent()).toMatch(/^\d+$/);
    const before = Number(await followers.textContent());
    const button = profile.getByRole("button", { name: /^Follow/ });
    const wasFollowing = (await button.getAttribute("aria-pressed")) === "true";
    await button.click();
    const after = String(before + (wasFollowing ? -1 : 1));
    await expect.poll(() => followers.textContent(), { timeout: 15_000 }).toBe(after);
    await expect.poll(() => button.getAttribute("aria-pressed")).toBe(wasFollowing ? "false" : "true");
    expect(errors).toEqual([]);
  });
});
