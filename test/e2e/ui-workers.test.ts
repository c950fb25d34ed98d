/**
 * The workers view in a real browser against the real workers stack: a node with its app API on
 * the workers' redis-server, the supervisor forking the four agent processes, and the app. The
 * workers operator (operator0, signed in with its recovery phrase) sees the queues and the AI
 * spend against the budget, pauses and resumes one agent and engages and lifts the emergency stop
 * — each an ADR-036 signature made in the browser; a person who is not the operator sees the
 * state read-only. Screenshots go to test/artifacts/ui/workers-*.png.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Keyring } from "../../chain/keys/keyring.js";
import type { Supervisor } from "../../workers/supervisor/supervisor.js";
import { KeyVault } from "../../workers/vault/vault.js";
import { screenshot, signInAs, signInWithPhrase, startUiFront, type UiFront } from "../support/ui.js";
import { startSupervisor, startWorkersTestNet, until, type WorkersTestNet } from "../support/workers.js";

// Built at run time so the repository holds no key-shaped string.
const AI_SECRET = ["sk", "ui", "0123456789abcdef0123456789"].join("-");

interface AgentsBody {
  supervisor: { emergency_stop?: boolean };
  agents: Array<{ agent: string; status: string; paused_by: string | null }>;
}

describe("the workers view: the operator's controls, queues and AI spend", () => {
  let wn: WorkersTestNet;
  let supervisor: Supervisor;
  let front: UiFront;
  let home: string;
  let page: Page;
  let pageErrors: string[];

  const agents = async () =>
    (await (await fetch(`${wn.apiUrl}/vivim/workers/v1/agents`)).json()) as AgentsBody;
  const statusOf = async (agent: string) => (await agents()).agents.find((a) => a.agent === agent)!;
  const row = (agent: string) => page.getByRole("row").filter({ hasText: new RegExp(`^${agent}`, "i") });

  beforeAll(async () => {
    wn = await startWorkersTestNet();
    home = mkdtempSync(path.join(tmpdir(), "vivim-ui-workers-"));
    const vault = new KeyVault({ home, passphrase: "vault passphrase" });
    const key = await vault.add({
      label: "ops",
      provider: "openai",
      secret: AI_SECRET,
      dailyBudgetMicroUsd: 10_000,
    });
    await vault.reserve(key.id, 9_500);
    await vault.recordSpend(key.id, 9_200);
    supervisor = await startSupervisor(wn, home);
    front = await startUiFront(wn.net.devnet, wn.net.rpcUrl, wn.apiUrl);
    ({ page, errors: pageErrors } = await front.newPage());
    const keyring = new Keyring({ home: wn.net.nodeHome, backend: "test" });
    await signInWithPhrase(page, front.ui.url, await keyring.exportMnemonic("operator0"));
  }, 240_000);

  afterAll(async () => {
    await front?.stop();
    await supervisor?.stop();
    await wn?.stop();
    if (home) rmSync(home, { recursive: true, force: true });
  });

  it("shows the operator the agents, the queues and the AI spend near its budget", async () => {
    await page.getByRole("link", { name: "Workers" }).click();
    await page.getByRole("button", { name: "Pause the feed agent" }).waitFor();
    for (const agent of ["feed", "moderation", "reputation", "health"])
      expect(await row(agent).getByText("running", { exact: true }).count()).toBe(1);
    const queues = page.getByTestId("workers-queues");
    await queues.getByRole("cell", { name: "health", exact: true }).waitFor();
    const spend = page.getByTestId("workers-spend");
    await spend.getByText("ops", { exact: true }).waitFor({ timeout: 20_000 });
    // 9,200 of 10,000 µUSD today: the meter is past its "high" mark.
    const meter = spend.getByRole("meter", { name: /Today: 92% of the budget/ });
    await meter.waitFor();
    expect(await spend.textContent()).toContain("$0.0092 of $0.0100");
    expect(await page.content()).not.toContain(AI_SECRET);
    await screenshot(page, "workers-1-operator");
  });

  it("pauses and resumes one agent with a signature made in the browser", async () => {
    await page.getByRole("button", { name: "Pause the feed agent" }).click();
    await until("feed paused by the operator", async () => (await statusOf("feed")).status === "paused");
    expect((await statusOf("feed")).paused_by).toBe("operator");
    expect((await statusOf("moderation")).status).toBe("running");
    await row("feed").getByText("paused by operator").waitFor();
    await screenshot(page, "workers-2-feed-paused");

    await page.getByRole("button", { name: "Resume the feed agent" }).click();
    await until("feed running again", async () => (await statusOf("feed")).status === "running");
    await page.getByRole("button", { name: "Pause the feed agent" }).waitFor();
  });

  it("engages the emergency stop behind a confirmation, then lifts it", async () => {
    await page.getByRole("button", { name: "Emergency stop…" }).click();
    await page.getByRole("alert").filter({ hasText: "Stop every AI agent now?" }).waitFor();
    await page.getByRole("button", { name: "Stop every agent" }).click();
    await until(
      "the emergency stop engaged",
      async () => (await agents()).supervisor.emergency_stop === true,
    );
    await page.getByRole("button", { name: "Lift the emergency stop" }).waitFor();
    await until("every agent stopped", async () =>
      (await agents()).agents.every((a) => a.status !== "running"),
    );
    await screenshot(page, "workers-3-emergency-stop");

    await page.getByRole("button", { name: "Lift the emergency stop" }).click();
    await until(
      "every agent running again",
      async () => (await agents()).agents.every((a) => a.status === "running"),
      60_000,
    );
    await page.getByRole("button", { name: "Emergency stop…" }).waitFor();
    expect(pageErrors).toEqual([]);
  });

  it("shows a person who is not the operator the state without controls", async () => {
    const other = await front.newPage();
    await signInAs(other.page, front.ui.url, "alice");
    await other.page.getByRole("link", { name: "Workers" }).click();
    await other.page.getByText("belong to this node's workers operator").waitFor();
    expect(await other.page.getByRole("button", { name: /Pause the/ }).count()).toBe(0);
    expect(await other.page.getByRole("button", { name: "Emergency stop…" }).count()).toBe(0);
    await screenshot(other.page, "workers-4-read-only");
    await other.context.close();
  });
});
