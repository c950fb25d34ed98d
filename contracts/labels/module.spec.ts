/**
 * The labels module inside the real application over LevelDB, with identity and social seeded
 * by genesis: who may label what, negation, expiry and replacement as `activeLabels` sees them,
 * the queries, params and genesis. Every Msg is signed by cosmjs.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { toBase64 } from "../../chain/crypto/hash.js";
import { vivimMsg } from "../../client/connect.js";
import { type SpecAccount, SpecChain, type SpecResult, specAccounts } from "../../test/support/spec-chain.js";
import { authModule } from "../auth/module.js";
import { bankModule } from "../bank/module.js";
import { identityModule } from "../identity/module.js";
import { socialModule } from "../social/module.js";
import { parseLabelsGenesis } from "./genesis.js";
import { activeLabels, activeLabelValues } from "./lookup.js";
import { labelsModule } from "./module.js";
import {
  QueryLabelsByIssuerRequest,
  QueryLabelsByIssuerResponse,
  QueryLabelsOfRequest,
  QueryLabelsOfResponse,
  QueryLabelsParamsRequest,
  QueryLabelsParamsResponse,
} from "./query.js";
import type { LabelsParams } from "./records.js";
import { MsgCreateLabel, MsgCreateLabelResponse, MsgUpdateLabelsParams } from "./tx.js";

const uv = (n: bigint | number) => [{ denom: "uvivim", amount: String(n) }];

describe("labels module in the application", () => {
  let h: SpecChain;
  let alice: SpecAccount; // owner of #general
  let bob: SpecAccount; // moderator of #general
  let carol: SpecAccount; // member; owner of #random
  let dave: SpecAccount; // labeler
  let gov: SpecAccount; // params authority, no profile
  let eve: SpecAccount; // unregistered
  let modbot: SpecAccount; // alice's agent with `moderate`, moderator of #general
  let lazybot: SpecAccount; // alice's agent without `moderate`, moderator of #general

  const expectCode = (r: SpecResult, codespace: string, code: number) => {
    expect([r.codespace, r.code, r.log]).toEqual([codespace, code, expect.any(String)]);
  };
  const ok = (r: SpecResult) => {
    expect([r.code, r.log]).toEqual([0, expect.any(String)]);
    return r;
  };
  const label = (
    issuer: SpecAccount,
    subject: string,
    value: string,
    extra: Partial<{ negate: boolean; expiresAt: bigint; reason: string }> = {},
    at?: bigint,
  ) => h.exec(issuer, vivimMsg(MsgCreateLabel, { issuer: issuer.address, subject, value, ...extra }), at);
  const idOf = (r: SpecResult) => MsgCreateLabelResponse.decode(r.response!);
  const active = (subject: string, at = h.time) =>
    activeLabels(h.store, subject, at).map(
      (l) => `${l.value}@${l.issuer === alice.address ? "alice" : l.issuer}`,
    );
  const labelsOf = (subject: string, includeExpired = false, limit = 0n) =>
    h.query(
      "/vivim.labels.v1.Query/LabelsOf",
      QueryLabelsOfRequest,
      QueryLabelsOfRequest.fromPartial({ subject, includeExpired, pagination: { limit } }),
      QueryLabelsOfResponse,
    );
  const setParams = (signer: SpecAccount, params: LabelsParams) =>
    h.exec(signer, vivimMsg(MsgUpdateLabelsParams, { authority: signer.address, params }));

  beforeAll(async () => {
    [alice, bob, carol, dave, gov, eve, modbot, lazybot] = (await specAccounts(8)) as SpecAccount[] as [
      SpecAccount,
      SpecAccount,
      SpecAccount,
      SpecAccount,
      SpecAccount,
      SpecAccount,
      SpecAccount,
      SpecAccount,
    ];
    const agent = (a: SpecAccount, name: string, capabilities: string[]) => ({
      owner: alice.address,
      name,
      pub_key_type: "secp256k1",
      pub_key: toBase64(a.pubKey),
      capabilities,
    });
    h = await SpecChain.start([authModule, bankModule, identityModule, socialModule, labelsModule], {
      bank: {
        balances: [alice, bob, carol, dave, gov, eve, modbot, lazybot].map((a) => ({
          address: a.address,
          coins: uv(1_000_000),
        })),
      },
      identity: {
        profiles: [
          { address: alice.address, handle: "alice", display_name: "Alice" },
          { address: bob.address, handle: "bob", display_name: "Bob" },
          { address: carol.address, handle: "carol", display_name: "Carol" },
          { address: dave.address, handle: "dave", display_name: "Dave" },
        ],
        agents: [agent(modbot, "modbot", ["moderate", "post"]), agent(lazybot, "lazybot", ["post"])],
      },
      social: {
        communities: [
          {
            slug: "general",
            name: "General",
            visibility: "PUBLIC",
            creator: alice.address,
            moderators: [bob.address, modbot.address, lazybot.address],
            members: [carol.address],
          },
          { slug: "random", name: "Random", visibility: "PUBLIC", creator: carol.address },
        ],
        posts: [
          { community: "general", author: carol.address, title: "Buy cheap", body: "spam spam" },
          { community: "random", author: carol.address, title: "Elsewhere", body: "hi" },
        ],
      },
      labels: { params: { authority: gov.address, labelers: [dave.address] } },
    });
  });

  afterAll(async () => {
    await h?.stop();
  });

  it("lets moderators label their community's content, and nobody else", async () => {
    const r = ok(await label(alice, "content:1", "spam", { reason: "link farm" }));
    const { labelId } = idOf(r);
    expect(r.event("vivim.labels.v1.EventLabelCreated")).toMatchObject({
      label_id: labelId.toString(),
      subject: "content:1",
      value: "spam",
      issuer: alice.address,
    });
    expect(active("content:1")).toEqual(["spam@alice"]);
    expect(activeLabelValues(h.store, "content:1", h.time)).toEqual(["spam"]);

    expectCode(await label(carol, "content:1", "misleading"), "labels", 5); // a member, not a moderator
    expectCode(await label(alice, "content:2", "spam"), "labels", 5); // moderator of another community
    expectCode(await label(eve, "content:1", "spam"), "identity", 2); // unregistered
    expectCode(await label(lazybot, "content:1", "spam"), "labels", 12); // agent lacks `moderate`
    ok(await label(modbot, "content:1", "misleading"));
    ok(await label(carol, "content:2", "nsfw")); // carol owns #random
    ok(await label(dave, "content:2", "spam")); // labelers label anything
    expect(activeLabelValues(h.store, "content:2", h.time).sort()).toEqual(["nsfw", "spam"]);

    const labels = await labelsOf("content:1");
    expect(labels.labels.map((l) => [l.value, l.issuer, l.reason])).toEqual([
      ["spam", alice.address, "link farm"],
      ["misleading", modbot.address, ""],
    ]);
    expect(labels.labels[0]!.createdHeight).toBeGreaterThan(0n);
  });

  it("lets only labelers label accounts; communities by their moderators", async () => {
    expectCode(await label(alice, `account:${carol.address}`, "spam"), "labels", 6);
    ok(await label(dave, `account:${carol.address}`, "spam"));
    expect(activeLabels(h.store, `account:${carol.address}`, h.time).map((l) => l.issuer)).toEqual([
      dave.address,
    ]);
    expectCode(await label(dave, `account:${eve.address}`, "spam"), "labels", 4); // not registered
    ok(await label(bob, "community:1", "nsfw"));
    expectCode(await label(bob, "community:2", "nsfw"), "labels", 5);
    expectCode(await label(bob, "community:99", "nsfw"), "labels", 4);
    expectCode(await label(bob, "content:999", "spam"), "labels", 4);
  });

  it("refuses malformed values, subjects, reasons and expiries", async () => {
    expectCode(await label(alice, "content:1", "Spam!"), "labels", 2);
    expectCode(await label(alice, "content:1", "x".repeat(33)), "labels", 2);
    expectCode(await label(alice, "content:1", "spam", { reason: "r".repeat(281) }), "labels", 2);
    ok(await label(alice, "content:1", "rude", { reason: "ü".repeat(280) }));
    expectCode(await label(alice, "post:1", "spam"), "labels", 3);
    expectCode(await label(alice, "content:01", "spam"), "labels", 3);
    expectCode(await label(alice, "account:cosmos1xyz", "spam"), "labels", 3);
    expectCode(await label(alice, "content:1", "spam", { expiresAt: h.time - 1n }), "labels", 7);
    expectCode(await label(alice, "content:1", "spam", { expiresAt: h.time }), "labels", 7);
    expectCode(
      await label(alice, "content:1", "spam", { negate: true, expiresAt: h.time + 100n }),
      "labels",
      7,
    );
  });

  it("drops expired labels from activeLabels and LabelsOf, keeps them in the history", async () => {
    const expiresAt = h.time + 30n;
    const r = ok(await label(bob, "content:1", "heated", { expiresAt }));
    const { labelId } = idOf(r);
    expect(active("content:1", expiresAt - 1n)).toContain(`heated@${bob.address}`);
    expect(active("content:1", expiresAt)).not.toContain(`heated@${bob.address}`);
    expect((await labelsOf("content:1")).labels.map((l) => l.value)).toContain("heated");
    ok(await label(alice, "content:1", "offtopic", {}, expiresAt + 1n)); // a block after the expiry
    expect((await labelsOf("content:1")).labels.map((l) => l.value)).not.toContain("heated");
    const history = await labelsOf("content:1", true);
    expect(history.labels.map((l) => l.id)).toContain(labelId);
    const ids = history.labels.map((l) => l.id);
    expect([...ids].sort((a, b) => (a > b ? -1 : 1))).toEqual(ids); // newest first
  });

  it("negates: issuers their own labels, moderators and labelers anyone's", async () => {
    ok(await label(bob, "content:1", "spam"));
    expect(active("content:1").filter((l) => l.startsWith("spam@"))).toHaveLength(2);
    expectCode(await label(carol, "content:1", "spam", { negate: true }), "labels", 5);
    expectCode(await label(alice, "content:1", "nosuch", { negate: true }), "labels", 8);

    const spamIds = activeLabels(h.store, "content:1", h.time)
      .filter((l) => l.value === "spam")
      .map((l) => l.labelId);
    const r = ok(await label(modbot, "content:1", "spam", { negate: true, reason: "false positive" }));
    const neg = idOf(r);
    expect(neg.removedIds).toEqual(spamIds);
    expect(r.event("vivim.labels.v1.EventLabelNegated")).toMatchObject({
      subject: "content:1",
      value: "spam",
      issuer: modbot.address,
      negated_ids: spamIds.join(","),
    });
    expect(active("content:1").filter((l) => l.startsWith("spam@"))).toEqual([]);
    const history = (await labelsOf("content:1", true)).labels;
    expect(history.find((l) => l.id === neg.labelId)).toMatchObject({ neg: true, value: "spam" });
    for (const id of spamIds) expect(history.find((l) => l.id === id)?.removedBy).toBe(neg.labelId);
    expectCode(await label(modbot, "content:1", "spam", { negate: true }), "labels", 8); // nothing left

    // A labeler removed by governance may still take back its own label, and only its own.
    ok(await label(carol, "content:2", "spam"));
    ok(await setParams(gov, { authority: gov.address, labelers: [], maxLabelsPerSubject: 20 }));
    expectCode(await label(dave, "content:1", "misleading", { negate: true }), "labels", 5);
    const own = ok(await label(dave, "content:2", "spam", { negate: true }));
    expect(idOf(own).removedIds).toHaveLength(1);
    expect(
      activeLabels(h.store, "content:2", h.time).map((l) => `${l.value}:${l.issuer === carol.address}`),
    ).toEqual(expect.arrayContaining(["spam:true", "nsfw:true"]));
    ok(await label(dave, `account:${carol.address}`, "spam", { negate: true }));
    expect(activeLabels(h.store, `account:${carol.address}`, h.time)).toEqual([]);
    expectCode(await label(dave, `account:${carol.address}`, "spam"), "labels", 6);
  });

  it("replaces an issuer's label with the same value and caps labels per subject", async () => {
    const first = idOf(ok(await label(alice, "community:1", "nsfw", { expiresAt: h.time + 1000n })));
    const second = idOf(ok(await label(alice, "community:1", "nsfw")));
    expect(second.removedIds).toEqual([first.labelId]);
    const mine = activeLabels(h.store, "community:1", h.time).filter((l) => l.issuer === alice.address);
    expect(mine.map((l) => [l.labelId, l.expiresAt])).toEqual([[second.labelId, 0n]]);

    ok(await setParams(gov, { authority: gov.address, labelers: [dave.address], maxLabelsPerSubject: 3 }));
    expect(activeLabels(h.store, "community:1", h.time)).toHaveLength(2); // bob's and alice's nsfw
    ok(await label(alice, "community:1", "offtopic"));
    expectCode(await label(alice, "community:1", "spam"), "labels", 9);
    ok(await label(alice, "community:1", "offtopic", { reason: "replacing is not adding" }));
    ok(await label(alice, "community:1", "offtopic", { negate: true }));
    ok(await label(alice, "community:1", "spam"));
  });

  it("lists an issuer's labels newest first with cursor pages", async () => {
    const list = (pagination: { key?: Uint8Array; limit?: bigint }) =>
      h.query(
        "/vivim.labels.v1.Query/LabelsByIssuer",
        QueryLabelsByIssuerRequest,
        QueryLabelsByIssuerRequest.fromPartial({ issuer: alice.address, pagination }),
        QueryLabelsByIssuerResponse,
      );
    const all = await list({ limit: 100n });
    expect(all.labels.length).toBeGreaterThan(5);
    expect(all.labels.every((l) => l.issuer === alice.address)).toBe(true);
    const ids = all.labels.map((l) => l.id);
    expect([...ids].sort((a, b) => (a > b ? -1 : 1))).toEqual(ids);
    const p1 = await list({ limit: 2n });
    const p2 = await list({ key: p1.pagination!.nextKey, limit: 2n });
    expect([...p1.labels, ...p2.labels].map((l) => l.id)).toEqual(ids.slice(0, 4));

    const bad = await h.queryRaw(
      "/vivim.labels.v1.Query/LabelsOf",
      QueryLabelsOfRequest.encode(QueryLabelsOfRequest.fromPartial({ subject: "post:1" })).finish(),
    );
    expect([bad.codespace, bad.code]).toEqual(["sdk", 18]);
    const big = await h.queryRaw(
      "/vivim.labels.v1.Query/LabelsByIssuer",
      QueryLabelsByIssuerRequest.encode(
        QueryLabelsByIssuerRequest.fromPartial({ issuer: alice.address, pagination: { limit: 101n } }),
      ).finish(),
    );
    expect([big.codespace, big.code]).toEqual(["sdk", 18]);
  });

  it("changes params only through the authority, with valid values", async () => {
    const params = { authority: gov.address, labelers: [dave.address, bob.address], maxLabelsPerSubject: 10 };
    expectCode(await setParams(alice, { ...params, authority: alice.address }), "labels", 10);
    expectCode(await setParams(gov, { ...params, maxLabelsPerSubject: 65 }), "labels", 11);
    expectCode(await setParams(gov, { ...params, labelers: [dave.address, dave.address] }), "labels", 11);
    ok(await setParams(gov, params));
    const got = await h.query(
      "/vivim.labels.v1.Query/Params",
      QueryLabelsParamsRequest,
      {},
      QueryLabelsParamsResponse,
    );
    expect(got.params).toEqual(params);
  });

  it("validates genesis, naming the bad field", () => {
    expect(parseLabelsGenesis(undefined).params.maxLabelsPerSubject).toBe(20);
    expect(() => parseLabelsGenesis({ params: { labelers: ["nope"] } })).toThrow(/app_state\.labels\.params/);
    expect(() => parseLabelsGenesis({ params: { max_labels_per_subject: 0 } })).toThrow(
      /max_labels_per_subject/,
    );
    expect(() => parseLabelsGenesis({ labels: [] })).toThrow(/app_state\.labels\.labels/);
  });
});
