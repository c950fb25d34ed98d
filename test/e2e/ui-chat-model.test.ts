/**
 * The assistant with a real model: the app server's POST /chat (ui/server/chat.mjs) calls the
 * workers' provider layer with a key from their AI-key vault. The AI provider cannot be reached
 * from here, so a local HTTP server speaks OpenAI's chat-completions wire protocol in its place
 * (the only stand-in: our node, app server, vault and browser are real), streaming its answers as
 * server-sent `data:` chunks. Alice asks something the offline parser does not understand; the
 * stand-in sends the first part of the model's answer and holds the rest until the test has seen
 * that part of the reply in the page (a content state, not a timing), then the model's proposed
 * post comes back as the usual card, she confirms it, the browser signs it and it lands on chain.
 * The key is used by the server alone and never reaches the page; the calls are paid from the
 * key's budget.
 */

import { mkdtempSync, rmSync } from "node:fs";
import { createServer, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { chatAuthText } from "../../ui/server/chat.mjs";
import { KeyVault } from "../../workers/vault/vault.js";
import { KeplrStandin } from "../support/keplr-standin.js";
import { getJson, screenshot, signInAs, startUiTestNet, type UiTestNet } from "../support/ui.js";

// Built at run time so the repository holds no key-shaped string.
const KEY = ["sk", "model", "0123456789abcdef0123456789"].join("-");
const PASSPHRASE = "vault passphrase for the assistant";

interface SeenRequest {
  authorization: string | undefined;
  body: {
    model: string;
    stream?: boolean;
    stream_options?: { include_usage?: boolean };
    messages: Array<{ role: string; content: string }>;
  };
}

/** Where the stand-in holds a streamed answer: the text it sent first waits for `release()`. */
interface Gate {
  /** The answer is cut before this text; null streams without holding. */
  cutBefore: string | null;
  release: () => void;
  held: Promise<void>;
  /** Set when the app server closed the model's stream before its end. */
  cutShort: boolean;
}

function newGate(cutBefore: string | null): Gate {
  let release = () => {};
  const held = new Promise<void>((r) => {
    release = r;
  });
  return { cutBefore, release, held, cutShort: false };
}

/**
 * Answers like an OpenAI-compatible server: the model's text is the JSON the assistant asks for;
 * asked to stream, it sends that text as chat.completion.chunk deltas of a few characters, held
 * at the gate's cut, then a usage chunk and `[DONE]`.
 */
function startModelServer(seen: SeenRequest[], gate: () => Gate): Promise<Server> {
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
      if (body.stream) return void streamAnswer(res, body.model, JSON.stringify(answer), gate());
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

async function streamAnswer(res: ServerResponse, model: string, text: string, gate: Gate): Promise<void> {
  res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache" });
  res.on("close", () => {
    if (!res.writableFinished) gate.cutShort = true;
  });
  const chunk = (delta: object) =>
    res.write(
      `data: ${JSON.stringify({ id: "chatcmpl-1", object: "chat.completion.chunk", created: 1, model, choices: [{ index: 0, delta, finish_reason: null }] })}\n\n`,
    );
  const pieces = async (part: string) => {
    for (let i = 0; i < part.length && !res.destroyed; i += 7) {
      chunk({ content: part.slice(i, i + 7) });
      await new Promise((r) => setTimeout(r, 10));
    }
  };
  const cut = gate.cutBefore === null ? text.length : text.indexOf(gate.cutBefore);
  chunk({ role: "assistant", content: "" });
  await pieces(text.slice(0, cut));
  if (gate.cutBefore !== null) await gate.held;
  await pieces(text.slice(cut));
  if (res.destroyed) return;
  res.write(
    `data: ${JSON.stringify({ id: "chatcmpl-1", object: "chat.completion.chunk", created: 1, model, choices: [], usage: { prompt_tokens: 900, completion_tokens: 60, total_tokens: 960 } })}\n\n`,
  );
  res.end("data: [DONE]\n\n");
}

describe("the assistant with a real model through the app server", () => {
  let net: UiTestNet;
  let page: Page;
  let pageErrors: string[];
  let model: Server;
  let home: string;
  let vault: KeyVault;
  const seen: SeenRequest[] = [];
  let gate = newGate(null);

  async function ask(text: string) {
    const box = page.getByRole("textbox", { name: "Message the assistant" });
    await box.fill(text);
    await box.press("Enter");
  }

  beforeAll(async () => {
    model = await startModelServer(seen, () => gate);
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

  it("streams the model's reply into the bubble, then turns its proposed post into a card the person confirms and signs", async () => {
    await page.getByRole("link", { name: "Assistant" }).click();
    await page.getByTestId("chat").waitFor();
    gate = newGate("#general");
    await ask("Tell everyone in general about our launch: the light client ships today.");
    // The model has written only part of its answer: the bubble shows the reply so far, no card yet.
    const bubble = page.getByTestId("chat-assistant-msg").last();
    await expect.poll(() => bubble.textContent(), { timeout: 20_000 }).toContain("Here is a launch post for");
    expect(await bubble.textContent()).not.toContain("#general");
    const card = page.getByTestId("chat-card-create_post");
    expect(await card.count()).toBe(0);
    await screenshot(page, "chat-model-0-streaming");
    gate.release();
    await card.waitFor({ timeout: 20_000 });
    await expect.poll(() => card.getByLabel("Title").inputValue()).toBe("The light client ships today");
    expect(await card.getByLabel("Community").inputValue()).toBe("general");
    await page.getByText("Here is a launch post for #general.").waitFor();
    await screenshot(page, "chat-model-1-card");

    // The server called the model with the key, the tool list and the person's words.
    expect(seen).toHaveLength(1);
    expect(seen[0]!.authorization).toBe(`Bearer ${KEY}`);
    expect(seen[0]!.body.model).toBe("gpt-test");
    expect(seen[0]!.body.stream).toBe(true);
    expect(seen[0]!.body.stream_options?.include_usage).toBe(true);
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

  it("streams server-sent events to a raw client and stops the model's call when it hangs up", async () => {
    // Any ADR-036 signer will do for the chat's sign-in; bob's, made as Keplr makes it.
    const bob = await KeplrStandin.fromMnemonic(net.mnemonic("bob"), "vivim");
    const issuedAt = String(Date.now());
    const sig = await bob.signArbitrary(new TextEncoder().encode(chatAuthText(net.devnet.chainId, issuedAt)));
    const [before] = await vault.list();
    gate = newGate("social network");
    const hangUp = new AbortController();
    const res = await fetch(`${net.ui.url}/chat`, {
      method: "POST",
      signal: hangUp.signal,
      headers: { "content-type": "application/json", accept: "text/event-stream" },
      body: JSON.stringify({
        signer: bob.address,
        pub_key: sig.pub_key.value,
        signature: sig.signature,
        issued_at: issuedAt,
        messages: [{ role: "user", content: "What is VIVIM?" }],
      }),
    });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^text\/event-stream/);
    const reader = res.body!.getReader();
    const utf8 = new TextDecoder();
    let received = "";
    const shown = () =>
      [...received.matchAll(/^event: delta\ndata: (.*)$/gm)]
        .map((m) => (JSON.parse(m[1]!) as { text: string }).text)
        .join("");
    while (!shown().includes("VIVIM is a ")) received += utf8.decode((await reader.read()).value);
    expect(shown()).toBe("VIVIM is a ");
    expect(received).not.toContain("event: done");
    expect(received).not.toContain(KEY);
    hangUp.abort();
    await expect.poll(() => gate.cutShort, { timeout: 10_000 }).toBe(true);
    gate.release();
    // The call was paid from the key's budget at its reserved worst case (the vendor may bill it).
    await expect.poll(async () => (await vault.list())[0]?.spend.calls, { timeout: 10_000 }).toBe(3);
    await expect
      .poll(async () => (await vault.list())[0]?.spend.dayMicroUsd ?? 0, { timeout: 10_000 })
      .toBeGreaterThan(before?.spend.dayMicroUsd ?? 0);
  });
});
