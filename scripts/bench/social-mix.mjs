// The social workload the load benchmarks offer (bench:social, bench:workers): how a tx spec is
// built from messages, the untimed warm-up (one post per account, then a comment on the neighbour's
// post, which records the interaction later ratings need) and the mix itself.
import path from "node:path";
import { ROOT } from "../lib/setup.mjs";
import { COMMUNITIES } from "./social-genesis.mjs";

const load = (...p) => import(path.join(ROOT, "dist", ...p));

/** The mix, per 20 txs: 3 posts, 6 comments, 6 votes, 2 reactions, 2 follows, 1 rating. */
export const PATTERN = "PCVCVRPCVFCVCVRPCVFT";

/**
 * The tx builder of a bench network: `spec(a, messages)` is account a's next tx (sign-worker spec)
 * carrying `messages` ({ type, value } with `type` a generated message codec).
 */
export function specBuilder(net) {
  return (a, messages) => ({
    from: a,
    accountNumber: net.next[a].accountNumber,
    sequence: net.next[a].sequence++,
    messages: messages.map((m) => ({
      typeUrl: m.type.typeUrl,
      value: Buffer.from(m.type.encode(m.type.fromPartial(m.value)).finish()).toString("base64"),
    })),
  });
}

/**
 * Warm-up (untimed): one post per account, then each account comments on its neighbour's post.
 * Returns each account's first post id (what the mix comments on, votes on and reacts to).
 */
export async function warmUpSocial(net, runner, accounts) {
  const social = await load("contracts", "social", "tx.js");
  const spec = specBuilder(net);
  const N = accounts.length;
  const addresses = accounts.map((a) => a.address);
  const warm = async (build) => {
    const specs = accounts.map((_, a) => build(a));
    const { step } = await runner.runStep(200, Math.ceil(N / 200), specs, { p99BoundMs: 60_000 });
    if (step.committed < N)
      throw new Error(`warm-up committed ${step.committed} of ${N}: ${step.rejectedExample}`);
  };
  await warm((a) =>
    spec(a, [
      {
        type: social.MsgCreatePost,
        value: {
          author: addresses[a],
          communityId: BigInt(1 + (a % COMMUNITIES.length)),
          title: `hello from bench${a}`,
          body: "first post",
        },
      },
    ]),
  );
  const postOf = [];
  for (const address of addresses) {
    const feed = await (await fetch(`${net.apiUrl}/vivim/social/v1/authors/${address}/feed`)).json();
    const id = feed.posts?.[0]?.content?.id;
    if (!id) throw new Error(`no post found for ${address}: ${JSON.stringify(feed).slice(0, 200)}`);
    postOf.push(BigInt(id));
  }
  await warm((a) =>
    spec(a, [
      {
        type: social.MsgCreateComment,
        value: { author: addresses[a], parentId: postOf[(a + 1) % N], body: "nice one" },
      },
    ]),
  );
  return postOf;
}

/**
 * The mix as a builder: `build(i)` is the i-th tx spec (PATTERN over the accounts, each account's
 * txs in sequence order). `postOf` from warmUpSocial. Keeps its own vote/follow counters, so one
 * builder serves a whole ladder without repeating a vote or a follow.
 */
export async function socialMix(net, accounts, postOf) {
  const social = await load("contracts", "social", "tx.js");
  const reputationTx = await load("contracts", "reputation", "tx.js");
  const spec = specBuilder(net);
  const N = accounts.length;
  const addresses = accounts.map((a) => a.address);
  const votes = new Array(N).fill(0);
  const follows = new Array(N).fill(0);
  return (i) => {
    const a = i % N;
    const me = addresses[a];
    const other = (k) => (a + 1 + (k % (N - 1))) % N;
    switch (PATTERN[(i + Math.floor(i / N)) % PATTERN.length]) {
      case "P":
        return spec(a, [
          {
            type: social.MsgCreatePost,
            value: {
              author: me,
              communityId: BigInt(1 + (i % COMMUNITIES.length)),
              title: `post ${i}`,
              body: "x".repeat(200),
            },
          },
        ]);
      case "C":
        return spec(a, [
          {
            type: social.MsgCreateComment,
            value: { author: me, parentId: postOf[other(i)], body: "y".repeat(120) },
          },
        ]);
      case "V":
        return spec(a, [
          { type: social.MsgVote, value: { voter: me, targetId: postOf[other(votes[a]++)], direction: 1 } },
        ]);
      case "R":
        return spec(a, [
          { type: social.MsgReact, value: { reactor: me, targetId: postOf[other(i)], emoji: "🔥" } },
        ]);
      case "F":
        return spec(a, [
          { type: social.MsgFollow, value: { follower: me, target: addresses[other(follows[a]++)] } },
        ]);
      default:
        return spec(a, [
          {
            type: reputationTx.MsgRate,
            value: {
              rater: me,
              subject: addresses[(a + 1) % N],
              helped: true,
              stars: 1 + (i % 5),
              comment: "",
            },
          },
        ]);
    }
  };
}

/**
 * One validator process with `n` bench accounts holding profiles and membership of the bench
 * communities (rate limits raised): the network bench:social and bench:workers load.
 */
export async function startSocialBenchNetwork(n) {
  const { benchAccount } = await import("./keys.mjs");
  const { startBenchNetwork } = await import("./network.mjs");
  const { benchSocialGenesis } = await import("./social-genesis.mjs");
  const { devnetAppState } = await load("chain", "node", "devnet-genesis.js");
  const accounts = Array.from({ length: n }, (_, i) => benchAccount(i));
  const addresses = accounts.map((a) => a.address);
  const net = await startBenchNetwork({
    validators: 1,
    accounts,
    appState: (funded) => ({ ...devnetAppState(funded), ...benchSocialGenesis(addresses) }),
  });
  return { net, accounts, addresses };
}
