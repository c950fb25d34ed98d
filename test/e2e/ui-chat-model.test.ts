/**
 * The assistant with a real model: the app server's POST /chat (ui/server/chat.mjs) calls the
 * workers' provider layer with a key from their AI-key vault. The AI provider cannot be reached
 * from here, so a local HTTP server speaks OpenAI's chat-completions wire protocol in its place
 * (the only stand-in: our node, app server, vault and browser are real). Alice asks something the
 * offline parser does not understand; the model's proposed post comes back as the usual card, she
 * confirms it, the browser signs it and it lands on chain. The key is used by the server alone and
 * never reaches the page; the call is paid from the key's budget.
 */

import { mkdtempSync, rmSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { KeyVault } from "../../workers/vault/vault.js";
import { getJson, screenshot, signInAs, startUiTestNet, type UiTestNet } from "../support/ui.js";

// Built at run time so the repository holds no key-shaped string.
const KEY = ["sk", "model", "0123456789abcdef0123456789"].join("-");
const PASSPHRASE = "vault passphrase for the assistant";

interface SeenRequest {
  authorization: string | undefined;
  body: { model: string; messages: Array<{ role: string; content: string }> };
}

/** Answers like an OpenAI-compatible server: the model's text is the JSON the assistant asks for. */
function startModelServer(seen: SeenRequest[]): Promise<Server> {
  const server = createServer((req, res) => {
    let text = "";
    req.on("data", (c) => {
      text += c;
    });
    req.on("end", () => {
      const body = JSON.parse(text) as SeenRequest["body"];
      seen.push({ authorization: req.headers.authorization, body });
      const last = body.messages.at(-1)?.content ?? "";
      const answer = /launch/i.test(last)
        ? {
            reply: "Here is a launch post for #general.",
            call: {
              name: "create_post",
              arguments: {
                community: "general",
                title: "The light client ships today",
                body: "Verify any post offline.",
              },
            },
          }
        : { reply: "VIVIM is a social network where people and their agents meet." };
      const out = JSON.stringify({
        id: "chatcmpl-1",
        object: "chat.completion",
        created: 1,
        model: body.model,
        choices: [
          {
            index: 0,
            message: { role: "assistant", content: JSON.stringify(answer) },
            finish_reason: "stop",
          },
        ],
        usage: { prompt_tokens: 900, completion_tokens: 60, total_tokens: 960 },
      });
      res.writeHead(200, { "content-type": "application/json" });
      res.end(out);
    });
  });
  return new Promise((resolve) => server.listen(0, "127.0.0.1", () => resolve(server)));
}

describe("the assistant with a real model through the app server", () => {
  let net: UiTestNet;
  let page: Page;
  let pageErrors: string[];
  let model: Server;
  let home: string;
  let vault: KeyVault;
  const seen: SeenRequest[] = [];

  async function ask(text: string) {
    const box = page.getByRole("textbox", { name: "Message the assistant" });
    await box.fill(text);
    await box.press("Enter");
  }

  beforeAll(async () => {
    model = await startModelServer(seen);
    home = mkdtempSync(path.join(tmpdir(), "vivim-ui-chat-model-"));
    vault = new KeyVault({ home, passphrase: PASSPHRASE });
    await vault.add({
      label: "assistant",
      provider: "openai",
      secret: KEY,
      baseUrl: `http://127.0.0.1:${(model.address() as AddressInfo).port}/v1`,
      model: "gpt-test",
    });
    net = await startUiTestNet({ chat: { home, passphrase: PASSPHRASE } });
    ({ page, errors: pageErrors } = await net.newPage());
    await signInAs(page, net.ui.url, "alice");
  });

  afterAll(async () => {
    await net?.stop();
    model?.closeAllConnections();
    await new Promise((r) => model?.close(r));
    if (home) rmSync(home, { recursive: true, force: true });
  });

  it("turns the model's proposed post into a card the person confirms and signs", async () => {
    await page.getByRole("link", { name: "Assistant" }).click();
    await page.getByTestId("chat").waitFor();
    await ask("Tell everyone in general about our launch: the light client ships today.");
    const card = page.getByTestId("chat-card-create_post");
    await card.waitFor({ timeout: 20_000 });
    await expect.poll(() => card.getByLabel("Title").inputValue()).toBe("The light client ships today");
    expect(await card.getByLabel("Community").inputValue()).toBe("general");
    await page.getByText("Here is a launch post for #general.").waitFor();
    await screenshot(page, "chat-model-1-card");

    // The server called the model with the key, the tool list and the person's words.
    expect(seen).toHaveLength(1);
    expect(seen[0]!.authorization).toBe(`Bearer ${KEY}`);
    expect(seen[0]!.body.model).toBe("gpt-test");
    const system = seen[0]!.body.messages.find((m) => m.role === "system")?.content ?? "";
    expect(system).toContain("create_post");
    expect(system).toContain(net.devnet.chainId);
    expect(seen[0]!.body.messages.at(-1)?.content).toContain("the light client ships today");

    await card.getByRole("button", { name: "Confirm and sign" }).click();
    await card.getByTestId("chat-committed").waitFor({ timeout: 20_000 });
    const communities = await getJson<{ communities: { community: { id: string; slug: string } }[] }>(
      `${net.apiUrl}/vivim/social/v1/communities`,
    );
    const general = communities.communities.find((c) => c.community.slug === "general")!;
    const feed = await getJson<{ posts: { title: string; body: string; content: { author: string } }[] }>(
      `${net.apiUrl}/vivim/social/v1/communities/${general.community.id}/feed?pagination.limit=100`,
    );
    const post = feed.posts.find((p) => p.title === "The light client ships today");
    expect(post?.content.author).toBe(net.address("alice"));
    expect(post?.body).toBe("Verify any post offline.");
  });

  it("shows a plain answer, pays for both calls from the key's budget, and never shows the key", async () => {
    await ask("What is VIVIM, in one sentence?");
    await page
      .getByText("VIVIM is a social network where people and their agents meet.")
      .waitFor({ timeout: 20_000 });
    expect(seen).toHaveLength(2);
    // The second call carried the conversation so far.
    expect(seen[1]!.body.messages.filter((m) => m.role === "user")).toHaveLength(2);
    const [info] = await vault.list();
    expect(info?.spend.calls).toBe(2);
    expect(info?.spend.dayMicroUsd).toBeGreaterThan(0);
    expect(await page.content()).not.toContain(KEY);
    await screenshot(page, "chat-model-2-answer");
    expect(pageErrors).toEqual([]);
  });

  it("refuses /chat without a valid account signature", async () => {
    const res = await fetch(`${net.ui.url}/chat`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({
        signer: net.address("alice"),
        pub_key: "A".repeat(44),
        signature: "A".repeat(88),
        issued_at: String(Date.now()),
        messages: [{ role: "user", content: "post something" }],
      }),
    });
    expect(res.status).toBe(401);
    expect(((await res.json()) as { code: string }).code).toBe("BAD_SIGNATURE");
    const big = await fetch(`${net.ui.url}/chat`, { method: "POST", body: "x".repeat(70_000) });
    expect(big.status).toBe(413);
    expect(seen).toHaveLength(2);
  });
});
