/**
 * `vivim/client` exactly as a script imports it (the package's own export, the compiled build),
 * against a real node: the registry knows every VIVIM Msg, an action is one call, its response is
 * typed, and a refusal is a VivimTxError with the chain's codespace, code and retry time.
 */
import { defaultRegistryTypes } from "@cosmjs/stargate";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestNode, type TestNode } from "../support/node.js";

type Client = typeof import("../../client/index.js");
// Resolved at run time through package.json "exports" (dist/ is built by the test setup).
const PACKAGE = "vivim/client";

describe("vivim/client", () => {
  let net: TestNode;
  let vivim: Client;

  beforeAll(async () => {
    vivim = (await import(PACKAGE)) as Client;
    net = await startTestNode();
  });
  afterAll(async () => {
    await net?.stop();
  });

  it("registers every VIVIM Msg next to cosmjs's defaults", () => {
    const registry = vivim.vivimRegistry();
    for (const type of [
      vivim.MsgRegisterProfile,
      vivim.MsgCreatePost,
      vivim.MsgRate,
      vivim.MsgCreateBounty,
    ]) {
      expect(registry.lookupType(type.typeUrl)).toBe(type);
    }
    expect(registry.lookupType("/cosmos.bank.v1beta1.MsgSend")).toBeDefined();
    const urls = vivim.vivimTypes().map(([url]) => url);
    // VIVIM's own Msgs plus the Cosmos ones cosmjs's defaults lack (the treasury's community-pool spend).
    const defaults = new Set(defaultRegistryTypes.map(([url]) => url));
    expect(urls.filter((u) => defaults.has(u))).toEqual([]);
    expect(urls).toContain("/cosmos.distribution.v1beta1.MsgCommunityPoolSpend");
    expect(new Set(urls).size).toBe(urls.length);
  });

  it("signs and broadcasts actions, returns typed responses and coded refusals", async () => {
    const [alice] = net.accounts;
    const me = alice!.address;
    const client = await vivim.connectVivim(net.rpcUrl, alice!.wallet, {
      broadcastPollIntervalMs: 200,
      broadcastTimeoutMs: 20_000,
    });
    try {
      await client.broadcastVivim(me, [
        vivim.vivimMsg(vivim.MsgRegisterProfile, { creator: me, handle: "scripted" }),
      ]);
      const created = await client.broadcastVivim(me, [
        vivim.vivimMsg(vivim.MsgCreateCommunity, {
          creator: me,
          slug: "scripts",
          name: "Scripts",
          visibility: 1,
        }),
      ]);
      const { communityId } = vivim.msgResponse(created, vivim.MsgCreateCommunityResponse);
      expect(communityId).toBeGreaterThan(0n);
      const posted = await client.broadcastVivim(me, [
        vivim.vivimMsg(vivim.MsgCreatePost, {
          author: me,
          communityId,
          title: "shipping v2 today",
          body: "from a script",
        }),
      ]);
      expect(vivim.msgResponse(posted, vivim.MsgCreatePostResponse).id).toBeGreaterThan(0n);
      expect(() => vivim.msgResponse(posted, vivim.MsgCreateCommunityResponse)).toThrow(
        /is \/vivim.social.v1.MsgCreatePostResponse/,
      );

      // A new account creates one community a day: the refusal says who refused and when to retry,
      // whether simulation ("auto" fee) caught it or the block did (explicit fee, no simulation).
      const again = (slug: string) =>
        vivim.vivimMsg(vivim.MsgCreateCommunity, { creator: me, slug, name: "More", visibility: 1 });
      const refusal = (p: Promise<unknown>) =>
        p.then(
          () => undefined,
          (err: unknown) => err as InstanceType<Client["VivimTxError"]>,
        );
      const simulated = await refusal(client.broadcastVivim(me, [again("more")]));
      expect(simulated).toBeInstanceOf(vivim.VivimTxError);
      expect([simulated!.codespace, simulated!.code, simulated!.txHash]).toEqual(["ratelimit", 2, ""]);
      expect(simulated!.retryAfter).toBeGreaterThan(Date.now() / 1000 - 60);
      const fee = { amount: [{ denom: "uvivim", amount: "10000" }], gas: "400000" };
      const inBlock = await refusal(client.broadcastVivim(me, [again("more")], { fee }));
      expect([inBlock!.codespace, inBlock!.code]).toEqual(["ratelimit", 2]);
      expect(inBlock!.txHash).toMatch(/^[0-9A-F]{64}$/);
      expect(inBlock!.height).toBeGreaterThan(0);
      expect(inBlock!.retryAfter).toBe(simulated!.retryAfter);
    } finally {
      client.disconnect();
    }
  });
});
