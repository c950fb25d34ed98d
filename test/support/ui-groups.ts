/**
 * Steps the app's group-chat browser tests share: the inbox, a group's row and messages, accepting
 * a person's message request, and making a group by handles (test/e2e/ui-group*.test.ts).
 */
import type { Page } from "playwright-core";
import { expect } from "vitest";
import { signInAs, signInWithPhrase, type UiTestNet } from "./ui.js";

/**
 * One browser context per person, each signed in: a devnet demo name, or a name with the recovery
 * phrase to sign in with. Page errors go to `errors` as "name: message".
 */
export async function signedInPages(
  net: UiTestNet,
  people: ReadonlyArray<string | { readonly name: string; readonly phrase: string }>,
  errors: string[],
): Promise<Page[]> {
  return Promise.all(
    people.map(async (who) => {
      const { page } = await net.newPage();
      const name = typeof who === "string" ? who : who.name;
      page.on("pageerror", (e) => errors.push(`${name}: ${e.message}`));
      if (typeof who === "string") await signInAs(page, net.ui.url, who);
      else await signInWithPhrase(page, net.ui.url, who.phrase);
      return page;
    }),
  );
}

export const openMessages = (page: Page) => page.getByRole("link", { name: /^Messages/ }).click();

/** The message bubbles on the page holding `text`. */
export const bubble = (page: Page, text: string) => page.getByTestId("dm-message").filter({ hasText: text });

export async function openGroup(page: Page, name: string): Promise<void> {
  await openMessages(page);
  await page.getByTestId("group-row").filter({ hasText: name }).click({ timeout: 15_000 });
  await page.getByTestId("group-conversation").waitFor();
}

export async function acceptRequestFrom(page: Page, who: string): Promise<void> {
  await openMessages(page);
  const request = page.getByTestId("dm-request").filter({ hasText: who });
  await request.getByRole("button", { name: "Accept" }).click({ timeout: 15_000 });
  await request.waitFor({ state: "detached" });
}

/** Waits until the node holds a DM prekey for each address (each person's app has started its DM client). */
export async function prekeysPublished(apiUrl: string, addresses: readonly string[]): Promise<void> {
  for (const address of addresses) {
    await expect
      .poll(async () => (await fetch(`${apiUrl}/vivim/dm/v1/prekeys/${address}`)).status, { timeout: 10_000 })
      .toBe(200);
  }
}

/** Makes the group `name` with `handles` from the "+ New group" dialog; `before` runs with the dialog filled. */
export async function createGroup(
  page: Page,
  name: string,
  handles: readonly string[],
  before: () => Promise<unknown> = async () => undefined,
): Promise<void> {
  await openMessages(page);
  await page.getByRole("button", { name: "+ New group" }).click();
  const dialog = page.getByTestId("group-new");
  await dialog.getByLabel("Group name").fill(name);
  const add = dialog.getByLabel(/^Add members/);
  for (const handle of handles) {
    await add.fill(handle);
    await add.press("Enter");
    await dialog.getByRole("listitem").filter({ hasText: handle }).waitFor();
  }
  await before();
  await dialog.getByRole("button", { name: `Create group · ${handles.length + 1} members` }).click();
  await page.getByTestId("group-conversation").waitFor({ timeout: 15_000 });
}

/** Types `text` into the group's composer and sends it. */
export async function sendInGroup(page: Page, group: string, text: string): Promise<void> {
  await page.getByLabel(`Message ${group}`).fill(text);
  await page.getByRole("button", { name: "Send" }).click();
}
