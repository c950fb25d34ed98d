import { describe, expect, it } from "vitest";
import { encodeAddress } from "../../../chain/crypto/address.js";
import { type AccountInfo, buildGraph, detect, type GraphRating } from "./detect.js";
import { clearDecision, explain, fitList, jobDecisions, MAX_EXPLANATION, nameOf } from "./explain.js";

const NOW = 1_800_000_000;
const addr = (n: number) => encodeAddress(new Uint8Array(20).fill(n));
const [ALICE, BOB, CAROL, SCOUT, S1, S2, S3] = [1, 2, 3, 4, 5, 6, 7].map(addr) as [
  string,
  string,
  string,
  string,
  string,
  string,
  string,
];
let seq = 0;
const r = (rater: string, subject: string, stars = 5, helped = true): GraphRating => ({
  rater,
  subject,
  stars,
  helped,
  seq: ++seq,
});
const acct = (address: string, name: string, o: Partial<AccountInfo> = {}): AccountInfo => ({
  address,
  name,
  kind: "human",
  owner: "",
  createdAt: NOW - 400 * 86_400,
  score: 2_000_000,
  ...o,
});
const accounts = [
  acct(ALICE, "@alice"),
  acct(BOB, "@bob"),
  acct(CAROL, "@carol"),
  acct(SCOUT, "@alice/scout", { kind: "agent", owner: ALICE }),
  ...[S1, S2, S3].map((a, i) => acct(a, `@bob/s${i + 1}`, { kind: "agent", owner: BOB })),
];

describe("reputation explanations and decisions", () => {
  it("labels both sides of a ring (low confidence) and explains with handles", () => {
    const g = buildGraph(accounts, [r(ALICE, BOB), r(BOB, ALICE)]);
    const findings = detect(g, [ALICE, BOB], NOW);
    const ds = jobDecisions(g, findings, [ALICE, BOB], 12);
    // A cycle starts at its smallest address (BOB's here).
    expect(ds.map((d) => [d.subject, d.action?.args.value, d.action?.confidence])).toEqual([
      [`account:${BOB}`, "rating-ring", "low"],
      [`account:${ALICE}`, "rating-ring", "low"],
    ]);
    expect(ds[0]!.action!.args.reason).toBe(
      "rating-ring: 2-cycle of high ratings (4+ stars, helped): @bob > @alice > @bob",
    );
    expect(ds[0]!.action!.args.account).toBe(BOB);
    expect(ds[1]!.action!.summary).toBe('label @alice "rating-ring" (2-cycle with @bob)');
    expect(ds[0]!.ai).toBeNull();
    expect(ds[0]!.height).toBe(12);
  });

  it("self-dealing along an ownership link is high confidence", () => {
    const g = buildGraph(accounts, [r(SCOUT, ALICE)]);
    const ds = jobDecisions(g, detect(g, [SCOUT], NOW), [SCOUT], 5);
    expect(ds.map((d) => [d.subject, d.action?.args.value, d.action?.confidence])).toEqual([
      [`account:${SCOUT}`, "self-dealing", "high"],
      [`account:${ALICE}`, "self-dealing", "high"],
    ]);
    expect(ds[0]!.action!.args.reason).toBe(
      "self-dealing (agent-rates-owner): @alice/scout rates (5 stars) its owner @alice; both answer to @alice",
    );
  });

  it("labels each sybil cluster member sybil-suspect and leaves the target to a clear decision", () => {
    const g = buildGraph(accounts, [r(S1, CAROL), r(S2, CAROL), r(S3, CAROL)]);
    const ds = jobDecisions(g, detect(g, [S3, CAROL], NOW), [S3, CAROL], 7);
    expect(ds.map((d) => [d.subject, d.action?.args.value ?? null])).toEqual([
      [`account:${S1}`, "sybil-suspect"],
      [`account:${S2}`, "sybil-suspect"],
      [`account:${S3}`, "sybil-suspect"],
      [`account:${CAROL}`, null],
    ]);
    expect(ds[0]!.action!.args.reason).toBe(
      "sybil-cluster: 3 suspect raters (young and low-score, or sharing an owner) rate only @carol and each other: @bob/s1, @bob/s2, @bob/s3",
    );
    expect(ds[3]!.reason).toMatch(/^no finding/);
  });

  it("gives the same arguments for the same finding (the runtime's action id dedupes them)", () => {
    const g1 = buildGraph(accounts, [r(ALICE, BOB), r(BOB, ALICE)]);
    const g2 = buildGraph(accounts, [r(ALICE, BOB), r(BOB, ALICE), r(CAROL, ALICE, 1, false)]);
    const a = jobDecisions(g1, detect(g1, [ALICE], NOW), [ALICE], 1)[0]!;
    const b = jobDecisions(g2, detect(g2, [CAROL, ALICE], NOW), [CAROL, ALICE], 9)[0]!;
    expect(b.action!.args).toEqual(a.action!.args);
  });

  it("keeps explanations within 280 characters and names unknown accounts by a short address", () => {
    const many = Array.from({ length: 40 }, (_, i) => addr(50 + i));
    const young = many.map((a) => acct(a, "", { createdAt: NOW - 10, score: 0 }));
    const g = buildGraph(
      [...young, acct(CAROL, "@carol")],
      many.map((a) => r(a, CAROL)),
    );
    const [f] = detect(g, [CAROL], NOW);
    const text = explain(g, f!);
    expect(text.length).toBeLessThanOrEqual(MAX_EXPLANATION);
    expect(text).toMatch(/\+\d+ more$/);
    expect(nameOf(g, many[0]!)).toMatch(/^vivim1.{6}….{4}$/);
    expect(fitList("x: ", ["aa", "bb", "cc"], ", ", "", 13)).toBe("x: aa +2 more");
    expect(fitList("x: ", ["aa", "bb", "cc"], ", ", "", 12)).toBe("x: +3 more");
    expect(fitList("x: ", ["aa", "bb"], ", ", "", 80)).toBe("x: aa, bb");
  });

  it("a clear decision has no action and hashes what was read", () => {
    const g = buildGraph(accounts, [r(CAROL, BOB, 3)]);
    const d = clearDecision(g, CAROL, 4);
    expect(d.action).toBeNull();
    expect(d.inputsHash).toMatch(/^[0-9a-f]{64}$/);
    expect(clearDecision(buildGraph(accounts, [r(CAROL, BOB, 4)]), CAROL, 4).inputsHash).not.toBe(
      d.inputsHash,
    );
  });
});
