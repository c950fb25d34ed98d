/**
 * Answer usage over an in-memory store: an agent's post or comment carries it and becomes the
 * agent's last answer (the card shows it), a human's is refused, the caps hold at their edges, the
 * latest answer wins, and genesis applies the same rules.
 */
import { Secp256k1 } from "@cosmjs/crypto";
import { beforeAll, describe, expect, it } from "vitest";
import type { ProtoMessage } from "../../chain/codec/proto-message.js";
import { encodeAddress } from "../../chain/crypto/address.js";
import { sha256 } from "../../chain/crypto/hash.js";
import { CodedError } from "../../chain/errors/codes.js";
import { INFINITE_GAS, makeExecContext } from "../../chain/execution/context.js";
import { MemoryStore } from "../../test/support/memory-store.js";
import { cardQuery, QueryCardRequest, QueryCardResponse } from "../cards/card.js";
import { identityModule } from "../identity/module.js";
import { createModuleRegistry } from "../index.js";
import type { MsgDefinition, QueryHandler } from "../types.js";
import { type AnswerUsage, getLastAnswer, USAGE_LIMITS } from "./answer-usage.js";
import { SocialErrors } from "./errors.js";
import { socialModule } from "./module.js";
import { msgCreateComment, msgCreatePost } from "./msg-content.js";
import { SOCIAL_QUERY_PATHS } from "./query.js";
import { QueryContentRequest, QueryContentResponse } from "./query-types.js";
import {
  type MsgCreateComment,
  MsgCreateCommentResponse,
  type MsgCreatePost,
  MsgCreatePostResponse,
} from "./tx.js";

const CHAIN = "vivim-usage-1";
const registry = createModuleRegistry([identityModule, socialModule]);
const account = (i: number) => encodeAddress(sha256(new Uint8Array([0x75, i])).subarray(0, 20));
const alice = account(1);
const bob = account(2);
const coded = (e: { codespace: string; code: number }) => ({ codespace: e.codespace, code: e.code });
const USAGE: AnswerUsage = { costMicroUsd: 1_200n, durationMs: 3_400, model: "vivim-local-1" };

function ctxAt(store: MemoryStore, height: bigint) {
  return makeExecContext(
    { chainId: CHAIN, height, time: { seconds: 1_700_000_000n + height, nanos: 0 } },
    store,
    INFINITE_GAS,
    registry,
    [],
  );
}

/** validateBasic then the handler, as the node runs a Msg. */
function run<T, R>(
  store: MemoryStore,
  def: MsgDefinition<T>,
  msg: T,
  res: ProtoMessage<R>,
  height: bigint,
): R {
  def.validateBasic(msg);
  return res.decode(def.handle(ctxAt(store, height), msg).value);
}

function refusal(fn: () => unknown): { codespace: string; code: number } {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(CodedError);
    return coded(err as CodedError);
  }
  throw new Error("expected a CodedError");
}

async function query<Req, Res>(
  store: MemoryStore,
  handler: QueryHandler,
  req: ProtoMessage<Req>,
  value: Parameters<ProtoMessage<Req>["fromPartial"]>[0],
  res: ProtoMessage<Res>,
): Promise<Res> {
  return res.decode(await handler(store.query(50n, CHAIN), req.encode(req.fromPartial(value)).finish()));
}

const content = (store: MemoryStore, id: bigint) =>
  query(
    store,
    socialModule.queries[SOCIAL_QUERY_PATHS.Content]!,
    QueryContentRequest,
    { id },
    QueryContentResponse,
  );
const cardOf = (store: MemoryStore, account: string) =>
  query(store, cardQuery, QueryCardRequest, { account }, QueryCardResponse);

let scoutPubkey = "";
let scout = "";

/** A store after identity and social genesis: alice, bob, alice's agent scout, #general, one post. */
function genesis(social: Record<string, unknown> = {}): MemoryStore {
  const store = new MemoryStore();
  const ctx = ctxAt(store, 1n);
  identityModule.initGenesis(ctx, {
    profiles: [
      { address: alice, handle: "alice", display_name: "Alice" },
      { address: bob, handle: "bob", display_name: "Bob" },
    ],
    agents: [
      {
        owner: alice,
        name: "scout",
        pub_key_type: "secp256k1",
        pub_key: scoutPubkey,
        capabilities: ["post", "comment"],
      },
    ],
  });
  socialModule.initGenesis(ctx, {
    communities: [
      {
        slug: "general",
        name: "General",
        visibility: "PUBLIC",
        creator: alice,
        members: [bob, scout],
      },
    ],
    posts: [{ ref: "welcome", community: "general", author: alice, title: "Welcome" }],
    ...social,
  });
  return store;
}

const post = (author: string, usage?: AnswerUsage): MsgCreatePost => ({
  author,
  communityId: 1n,
  title: "An answer",
  body: "Here is what I found.",
  link: "",
  collaborators: [],
  usage,
});

const reply = (author: string, parentId: bigint, usage?: AnswerUsage): MsgCreateComment => ({
  author,
  parentId,
  body: "A reply.",
  usage,
});

beforeAll(async () => {
  const keypair = await Secp256k1.makeKeypair(sha256(new TextEncoder().encode("usage spec scout")));
  const pubkey = Secp256k1.compressPubkey(keypair.pubkey);
  scoutPubkey = Buffer.from(pubkey).toString("base64");
  const { rawSecp256k1PubkeyToRawAddress } = await import("@cosmjs/amino");
  scout = encodeAddress(rawSecp256k1PubkeyToRawAddress(pubkey));
});

describe("answer usage", () => {
  it("an agent's post carries usage: stored, in the content query, and the agent's last answer on its card", async () => {
    const store = genesis();
    const { id } = run(store, msgCreatePost, post(scout, USAGE), MsgCreatePostResponse, 10n);
    const view = await content(store, id);
    expect(view.item?.usage).toEqual(USAGE);
    expect(getLastAnswer(store, scout)).toEqual({ id, ...USAGE, height: 10n });

    const card = await cardOf(store, "@alice/scout");
    expect(card.lastAnswer).toEqual({ id, ...USAGE, height: 10n });
    const human = await cardOf(store, "alice");
    expect(human.lastAnswer).toBeUndefined();
  });

  it("content without usage has none, and an agent with no answer has no last answer", async () => {
    const store = genesis();
    const { id } = run(store, msgCreatePost, post(scout), MsgCreatePostResponse, 10n);
    const view = await content(store, id);
    expect(view.item?.usage).toBeUndefined();
    const card = await cardOf(store, scout);
    expect(card.lastAnswer).toBeUndefined();
  });

  it("refuses usage on a human's post or comment with social/31", () => {
    const store = genesis();
    expect(refusal(() => run(store, msgCreatePost, post(bob, USAGE), MsgCreatePostResponse, 10n))).toEqual(
      coded(SocialErrors.UsageNotAgent),
    );
    expect(
      refusal(() => run(store, msgCreateComment, reply(alice, 1n, USAGE), MsgCreateCommentResponse, 10n)),
    ).toEqual(coded(SocialErrors.UsageNotAgent));
    expect(getLastAnswer(store, bob)).toBeUndefined();
  });

  it("holds the caps at their edges: cost 10^12, 24 h, 64 printable ASCII characters (social/32 past them)", () => {
    const edge: AnswerUsage = {
      costMicroUsd: USAGE_LIMITS.maxCostMicroUsd,
      durationMs: USAGE_LIMITS.maxDurationMs,
      model: "m".repeat(USAGE_LIMITS.maxModelChars),
    };
    const store = genesis();
    run(store, msgCreateComment, reply(scout, 1n, edge), MsgCreateCommentResponse, 10n);
    expect(getLastAnswer(store, scout)).toMatchObject(edge);
    const over: AnswerUsage[] = [
      { ...edge, costMicroUsd: USAGE_LIMITS.maxCostMicroUsd + 1n },
      { ...edge, durationMs: USAGE_LIMITS.maxDurationMs + 1 },
      { ...edge, model: "m".repeat(USAGE_LIMITS.maxModelChars + 1) },
      { ...edge, model: "gpt\nmini" },
      { ...edge, model: "modèle" },
    ];
    for (const usage of over) {
      expect(refusal(() => msgCreateComment.validateBasic(reply(scout, 1n, usage)))).toEqual(
        coded(SocialErrors.InvalidUsage),
      );
      expect(refusal(() => msgCreatePost.validateBasic(post(scout, usage)))).toEqual(
        coded(SocialErrors.InvalidUsage),
      );
    }
  });

  it("the last answer is the latest with usage, in block order; answers without usage leave it", () => {
    const store = genesis();
    const first = run(store, msgCreateComment, reply(scout, 1n, USAGE), MsgCreateCommentResponse, 10n);
    const later: AnswerUsage = { costMicroUsd: 120_000n, durationMs: 34_000, model: "big-model" };
    const second = run(store, msgCreatePost, post(scout, later), MsgCreatePostResponse, 11n);
    expect(second.id).toBeGreaterThan(first.id);
    expect(getLastAnswer(store, scout)).toEqual({ id: second.id, ...later, height: 11n });
    run(store, msgCreateComment, reply(scout, first.id), MsgCreateCommentResponse, 12n);
    expect(getLastAnswer(store, scout)).toEqual({ id: second.id, ...later, height: 11n });
    // Two in one block: the second in block order wins.
    const a = run(store, msgCreateComment, reply(scout, 1n, USAGE), MsgCreateCommentResponse, 13n);
    const b = run(store, msgCreateComment, reply(scout, a.id, later), MsgCreateCommentResponse, 13n);
    expect(getLastAnswer(store, scout)).toEqual({ id: b.id, ...later, height: 13n });
  });

  it("genesis seeds an agent's answer with usage and refuses a human's", () => {
    const usage = { cost_micro_usd: "1200", duration_ms: 3400, model: "vivim-local-1" };
    const store = genesis({
      comments: [{ ref: "answer", parent: "welcome", author: scout, body: "Hi!", usage }],
    });
    expect(getLastAnswer(store, scout)).toEqual({ id: 2n, ...USAGE, height: 1n });
    expect(() => genesis({ comments: [{ parent: "welcome", author: bob, body: "Hi!", usage }] })).toThrow(
      /comments\[0\]\.usage.*not an agent/,
    );
    expect(() =>
      genesis({
        comments: [{ parent: "welcome", author: scout, body: "Hi!", usage: { ...usage, cost: 1 } }],
      }),
    ).toThrow(/unknown|cost/);
  });
});
