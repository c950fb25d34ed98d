import { describe, expect, it } from "vitest";
import {
  type AccountInfo,
  buildGraph,
  DEFAULT_DETECTOR_PARAMS,
  detect,
  findRings,
  findSelfDealing,
  findSybilClusters,
  type GraphRating,
} from "./detect.js";

const NOW = 1_800_000_000;
const DAY = 86_400;
let seq = 0;
const r = (rater: string, subject: string, stars = 5, helped = true): GraphRating => ({
  rater,
  subject,
  stars,
  helped,
  seq: ++seq,
});
const human = (address: string, o: Partial<AccountInfo> = {}): AccountInfo => ({
  address,
  name: `@${address}`,
  kind: "human",
  owner: "",
  createdAt: NOW - 400 * DAY,
  score: 2_000_000,
  ...o,
});
const agent = (address: string, owner: string, o: Partial<AccountInfo> = {}): AccountInfo =>
  human(address, { kind: "agent", owner, name: `@${owner}/${address}`, ...o });

describe("rating rings", () => {
  it("finds a mutual high-rating pair once, whichever side it starts from", () => {
    const g = buildGraph([human("a"), human("b")], [r("a", "b"), r("b", "a")]);
    const rings = findRings(g, ["b", "a"]);
    expect(rings).toHaveLength(1);
    expect(rings[0]!.members).toEqual(["a", "b"]);
    expect(rings[0]!.edges.map((e) => `${e.rater}>${e.subject}`)).toEqual(["a>b", "b>a"]);
  });

  it("finds triangles and squares in rating direction, not against it", () => {
    const g = buildGraph(
      [],
      [r("a", "b"), r("b", "c"), r("c", "a"), r("x", "y"), r("y", "z"), r("z", "w"), r("w", "x")],
    );
    expect(findRings(g, ["c"]).map((f) => f.members)).toEqual([["a", "b", "c"]]);
    expect(findRings(g, ["w"]).map((f) => f.members)).toEqual([["w", "x", "y", "z"]]);
    // The same cycle the other way round is not in the graph.
    const reversed = buildGraph([], [r("a", "c"), r("c", "b"), r("a", "b")]);
    expect(findRings(reversed, ["a", "b", "c"])).toEqual([]);
  });

  it("needs every edge high: 4+ stars and helped", () => {
    expect(findRings(buildGraph([], [r("a", "b"), r("b", "a", 3)]), ["a"])).toEqual([]);
    expect(findRings(buildGraph([], [r("a", "b"), r("b", "a", 5, false)]), ["a"])).toEqual([]);
    expect(findRings(buildGraph([], [r("a", "b", 4), r("b", "a", 4)]), ["a"])).toHaveLength(1);
  });

  it("takes only the newest rating of a pair (rating again replaces it)", () => {
    const g = buildGraph([], [r("a", "b"), r("b", "a"), r("b", "a", 1, false)]);
    expect(findRings(g, ["a"])).toEqual([]);
  });

  it("stops at four accounts and at the configured length", () => {
    const five = buildGraph([], [r("a", "b"), r("b", "c"), r("c", "d"), r("d", "e"), r("e", "a")]);
    expect(findRings(five, ["a"])).toEqual([]);
    const three = buildGraph([], [r("a", "b"), r("b", "c"), r("c", "a")]);
    expect(findRings(three, ["a"], { ...DEFAULT_DETECTOR_PARAMS, maxCycle: 2 })).toEqual([]);
  });

  it("only reports rings through the accounts it was asked about", () => {
    const g = buildGraph([], [r("a", "b"), r("b", "a"), r("c", "d")]);
    expect(findRings(g, ["c", "d"])).toEqual([]);
  });
});

describe("self-dealing", () => {
  const accounts = [
    human("alice"),
    agent("bot1", "alice"),
    agent("bot2", "alice"),
    human("bob"),
    agent("bobbot", "bob"),
  ];

  it("flags an owner rating its agent and an agent rating its owner as direct", () => {
    const g = buildGraph(accounts, [r("alice", "bot1"), r("bot2", "alice", 4, false)]);
    const f = findSelfDealing(g, ["alice"]);
    expect(f.map((x) => [x.kind, x.rater, x.subject, x.owner, x.direct])).toEqual([
      ["owner-rates-agent", "alice", "bot1", "alice", true],
      ["agent-rates-owner", "bot2", "alice", "alice", true],
    ]);
  });

  it("flags sibling agents as not direct", () => {
    const g = buildGraph(accounts, [r("bot1", "bot2", 5)]);
    expect(findSelfDealing(g, ["bot2"]).map((x) => [x.kind, x.direct])).toEqual([
      ["agent-rates-sibling", false],
    ]);
  });

  it("ignores ratings across owners, unfavourable ratings and unknown accounts", () => {
    const g = buildGraph(accounts, [
      r("bot1", "bob"),
      r("bobbot", "alice"),
      r("alice", "bot1", 2, false),
      r("ghost", "alice"),
    ]);
    expect(findSelfDealing(g, ["alice", "bot1", "bob", "bobbot", "ghost"])).toEqual([]);
  });

  it("flags vouches within one owner", () => {
    const g = buildGraph(accounts, [], [{ attester: "bot1", subject: "alice" }]);
    expect(findSelfDealing(g, ["bot1"])).toEqual([
      expect.objectContaining({ via: "vouch", kind: "agent-rates-owner", stars: 0, direct: true }),
    ]);
  });
});

describe("sybil clusters", () => {
  const young = (a: string) => human(a, { createdAt: NOW - DAY, score: 0 });

  it("finds three agents of one owner rating only the same subject", () => {
    const accounts = [
      human("carol"),
      human("bob"),
      agent("s1", "bob"),
      agent("s2", "bob"),
      agent("s3", "bob"),
    ];
    const g = buildGraph(accounts, [r("s1", "carol"), r("s2", "carol"), r("s3", "carol"), r("bob", "carol")]);
    const f = findSybilClusters(g, ["carol"], NOW);
    expect(f).toHaveLength(1);
    expect(f[0]!.members).toEqual(["s1", "s2", "s3"]);
    expect(f[0]!.targets).toEqual(["carol"]);
    expect(f[0]!.why).toEqual({ s1: "shared-owner", s2: "shared-owner", s3: "shared-owner" });
    // Two are not a cluster.
    const two = buildGraph(accounts, [r("s1", "carol"), r("s2", "carol")]);
    expect(findSybilClusters(two, ["carol"], NOW)).toEqual([]);
  });

  it("finds young, low-score accounts rating the same subjects and each other", () => {
    const accounts = [human("t"), human("u"), young("y1"), young("y2"), young("y3"), young("y4")];
    const g = buildGraph(accounts, [
      ...["y1", "y2", "y3"].flatMap((y) => [r(y, "t"), r(y, "u")]),
      r("y1", "y2"),
      r("y2", "y3"),
      // y4 rates t too but also rates someone else: not focused, not in the cluster.
      r("y4", "t"),
      r("y4", "elsewhere"),
    ]);
    const f = findSybilClusters(g, ["t"], NOW);
    expect(f.map((x) => [x.members, x.targets])).toEqual([
      [
        ["y1", "y2", "y3"],
        ["t", "u"],
      ],
    ]);
  });

  it("leaves established accounts, high scores and low ratings alone", () => {
    const old = (a: string) => human(a, { score: 0 });
    const known = (a: string) => human(a, { createdAt: NOW - DAY, score: 3_000_000 });
    const rs = (xs: string[]) => xs.map((x) => r(x, "t"));
    expect(
      findSybilClusters(buildGraph([old("a"), old("b"), old("c")], rs(["a", "b", "c"])), ["t"], NOW),
    ).toEqual([]);
    expect(
      findSybilClusters(buildGraph([known("a"), known("b"), known("c")], rs(["a", "b", "c"])), ["t"], NOW),
    ).toEqual([]);
    const low = buildGraph(
      [young("a"), young("b"), young("c")],
      ["a", "b", "c"].map((x) => r(x, "t", 2, false)),
    );
    expect(findSybilClusters(low, ["t"], NOW)).toEqual([]);
  });
});

describe("detect", () => {
  it("looks at the subjects the touched accounts rate", () => {
    const accounts = [
      human("carol"),
      human("bob"),
      agent("s1", "bob"),
      agent("s2", "bob"),
      agent("s3", "bob"),
    ];
    const g = buildGraph(accounts, [
      r("s1", "carol"),
      r("s2", "carol"),
      r("s3", "carol"),
      r("carol", "s3"),
      r("s3", "carol"),
    ]);
    const rules = detect(g, ["s3"], NOW).map((f) => f.rule);
    expect(rules).toEqual(["rating-ring", "sybil-cluster"]);
  });
});
