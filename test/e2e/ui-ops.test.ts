/**
 * The app's OPS views in a real browser against a real devnet node: governance (a proposal
 * submitted from Node with vivim/client, a Yes vote signed in the browser moving the tally),
 * the network view (the validator and a rising height from the node's RPC), a community page
 * (rules and members, join and leave signed in the browser) and the workers view's "not running"
 * state on a node without the workers' Redis. Screenshots go to test/artifacts/ui/ops-*.png.
 */
import { DirectSecp256k1HdWallet } from "@cosmjs/proto-signing";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Keyring } from "../../chain/keys/keyring.js";
import { connectVivim } from "../../client/index.js";
import {
  getJson,
  screenshot,
  signInAs,
  signInWithPhrase,
  startUiTestNet,
  type UiTestNet,
} from "../support/ui.js";

const operator0 = (net: UiTestNet) => net.devnet.nodes[0]!.operator.address;

describe("the app's communities, governance, network and workers views", () => {
  let net: UiTestNet;
  let page: Page;
  let pageErrors: string[];
  const shot = (name: string) => screenshot(page, `ops-${name}`);

  beforeAll(async () => {
    net = await startUiTestNet();
    ({ page, errors: pageErrors } = await net.newPage());
    await signInAs(page, net.ui.url, "alice");
  });

  afterAll(async () => {
    await net?.stop();
  });

  it("votes Yes on a proposal in the browser and sees the tally move", async () => {
    // A text proposal (decided by the council: the validators' operators), submitted from Node by bob.
    const bob = { address: net.address("bob"), mnemonic: net.mnemonic("bob") };
    const wallet = await DirectSecp256k1HdWallet.fromMnemonic(bob.mnemonic, { prefix: "vivim" });
    const client = await connectVivim(net.rpcUrl, wallet);
    await client.broadcastVivim(bob.address, [
      {
        typeUrl: "/cosmos.gov.v1.MsgSubmitProposal",
        value: {
          messages: [],
          initialDeposit: [{ denom: "uvivim", amount: "10000000" }],
          proposer: bob.address,
          metadata: "",
          title: "Ship the VIVIM app",
          summary: "Signal that the app is ready for everyone.",
          expedited: false,
        },
      },
    ]);
    client.disconnect();

    // Alice has no council weight: her page shows the proposal and says so.
    await page.getByRole("link", { name: "Governance" }).click();
    await page.getByTestId("governance").waitFor();
    await page.getByRole("link", { name: /Ship the VIVIM app/ }).waitFor();
    await shot("1-governance");
    await page.getByRole("link", { name: /Ship the VIVIM app/ }).click();
    const tally = page.getByTestId("tally");
    await tally.waitFor();
    expect(await tally.getByTestId("tally-yes").textContent()).toBe("0");
    await page.getByText("no voting weight").waitFor();

    // The validator's operator signs in with its recovery phrase (a second browser) and votes Yes.
    const keyring = new Keyring({ home: net.devnet.nodes[0]!.home, backend: "test" });
    const phrase = await keyring.exportMnemonic("operator0");
    const op = await net.newPage();
    await signInWithPhrase(op.page, net.ui.url, phrase);
    await op.page.getByRole("link", { name: "Governance" }).click();
    await op.page.getByRole("link", { name: /Ship the VIVIM app/ }).click();
    const yes = op.page.getByRole("button", { name: "Yes", exact: true });
    await expect.poll(() => yes.isEnabled(), { timeout: 10_000 }).toBe(true);
    await yes.click();
    await expect.poll(() => yes.getAttribute("aria-pressed"), { timeout: 15_000 }).toBe("true");
    await expect
      .poll(() => op.page.getByTestId("tally-yes").textContent(), { timeout: 15_000 })
      .not.toBe("0");
    await screenshot(op.page, "ops-2-proposal-voted");
    expect(op.errors).toEqual([]);
    await op.context.close();
    const vote = await getJson<{ vote: { options: Array<{ option: string }> } }>(
      `${net.apiUrl}/cosmos/gov/v1/proposals/1/votes/${operator0(net)}`,
    );
    expect(vote.vote.options[0]?.option).toBe("VOTE_OPTION_YES");
    // …and alice's open page sees the tally move.
    await expect.poll(() => tally.getByTestId("tally-yes").textContent(), { timeout: 10_000 }).not.toBe("0");
  });

  it("shows the validator and a rising height on the network view", async () => {
    await page.getByRole("link", { name: "Network" }).click();
    const view = page.getByTestId("network");
    await view.waitFor();
    await expect
      .poll(() => view.getByTestId("validators").getByRole("row").count())
      .toBeGreaterThanOrEqual(2);
    const heightOf = async () =>
      Number(((await view.getByTestId("height").textContent()) ?? "0").replace(/\D/g, ""));
    const first = await heightOf();
    expect(first).toBeGreaterThan(0);
    await expect.poll(heightOf, { timeout: 10_000 }).toBeGreaterThan(first);
    await page.locator(".net-chart").waitFor();
    await shot("3-network");
  });

  it("shows a community's rules and members, and joins and leaves it", async () => {
    await page.getByRole("link", { name: "Communities", exact: true }).click();
    await page.getByTestId("communities").waitFor();
    await shot("4-communities");
    await page
      .getByRole("link", { name: /#general/ })
      .first()
      .click();
    const view = page.getByTestId("community");
    await view.waitFor();
    await expect
      .poll(() => view.getByTestId("community-members").getByRole("listitem").count())
      .toBeGreaterThan(0);
    await view.getByTestId("community-rules").waitFor();
    await shot("5-community");
    await expect.poll(() => view.getByTestId("community-members").textContent()).toContain("Owner");
    // alice owns #general (an owner cannot leave): join and leave another community instead.
    let toggled = "";
    for (const slug of ["random", "agents", "ops"]) {
      await page.getByRole("link", { name: "Communities", exact: true }).click();
      await page
        .getByRole("link", { name: new RegExp(`#${slug}\\b`) })
        .first()
        .click();
      const other = page.getByTestId("community");
      await other.getByRole("heading", { name: `#${slug}`, exact: true }).waitFor();
      const button = other.getByRole("button", { name: /^(Join|Leave)$/ });
      await expect
        .poll(() => other.getByTestId("community-members").getByRole("listitem").count())
        .toBeGreaterThan(0);
      const first = (await button.textContent())?.trim();
      if ((first !== "Join" && first !== "Leave") || !(await button.isEnabled())) continue;
      await button.click();
      await expect
        .poll(() => button.textContent(), { timeout: 15_000 })
        .toBe(first === "Join" ? "Leave" : "Join");
      // …and back, so both a join and a leave are signed; a member gets the new-post form.
      await button.click();
      await expect.poll(() => button.textContent(), { timeout: 15_000 }).toBe(first);
      if (first === "Leave") await other.getByRole("textbox", { name: "Title" }).waitFor();
      await shot("6-community-member");
      toggled = slug;
      break;
    }
    expect(toggled).not.toBe("");
  });

  it("says the workers are not running on a node without their Redis", async () => {
    await page.getByRole("link", { name: "Workers" }).click();
    await page.getByTestId("workers-not-running").waitFor();
    await shot("7-workers");
  });

  it("fits a phone's width (375 px) without sideways scrolling", async () => {
    await page.setViewportSize({ width: 375, height: 800 });
    for (const [link, id] of [
      ["Governance", "governance"],
      ["Network", "network"],
      ["Communities", "communities"],
    ] as const) {
      await page.getByRole("link", { name: link, exact: true }).click();
      await page.getByTestId(id).waitFor();
      const overflow = await page.evaluate<number>(
        "document.documentElement.scrollWidth - window.innerWidth",
      );
      expect(overflow, link).toBeLessThanOrEqual(1);
    }
    await shot("8-phone-communities");
    expect(pageErrors).toEqual([]);
  });
});
