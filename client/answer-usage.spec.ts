/**
 * The typed client carries an agent's answer usage: MsgCreatePost and MsgCreateComment with
 * `usage` survive fromPartial → the cosmjs Registry's encode → decode unchanged, and the node's
 * strict decoder (which rejects fields its schema does not list) accepts the bytes.
 */
import { describe, expect, it } from "vitest";
import { assertKnownFields } from "../chain/codec/strict.js";
import { MsgCreateComment, MsgCreatePost } from "../contracts/social/tx.js";
import { vivimMsg } from "./connect.js";
import { vivimRegistry } from "./registry.js";

const AUTHOR = "vivim1qypqxpq9qcrsszg2pvxq6rs0zqg3yyc5lzv7xu";
const usage = { costMicroUsd: 1_200n, durationMs: 3_400, model: "vivim-local-1" };
const strict = (bytes: Uint8Array, schema: typeof MsgCreatePost.schema) =>
  assertKnownFields(bytes, schema, () => undefined, { maxDepth: 8 });

describe("answer usage in the typed client", () => {
  it("round-trips MsgCreatePost with usage through the Registry", () => {
    const registry = vivimRegistry();
    const msg = vivimMsg(MsgCreatePost, { author: AUTHOR, communityId: 3n, title: "Answer", usage });
    const bytes = registry.encode(msg);
    strict(bytes, MsgCreatePost.schema);
    const back = registry.decode({ typeUrl: msg.typeUrl, value: bytes }) as MsgCreatePost;
    expect(back.usage).toEqual(usage);
    expect(back.title).toBe("Answer");
  });

  it("round-trips MsgCreateComment with usage, and without it leaves usage out", () => {
    const registry = vivimRegistry();
    const withUsage = vivimMsg(MsgCreateComment, { author: AUTHOR, parentId: 7n, body: "Hi", usage });
    const bytes = registry.encode(withUsage);
    strict(bytes, MsgCreateComment.schema);
    expect((registry.decode({ typeUrl: withUsage.typeUrl, value: bytes }) as MsgCreateComment).usage).toEqual(
      usage,
    );
    const plain = vivimMsg(MsgCreateComment, { author: AUTHOR, parentId: 7n, body: "Hi" });
    const plainBytes = registry.encode(plain);
    expect(plainBytes.length).toBeLessThan(bytes.length);
    expect(
      (registry.decode({ typeUrl: plain.typeUrl, value: plainBytes }) as MsgCreateComment).usage,
    ).toBeUndefined();
  });

  it("the strict decoder still refuses a field AnswerUsage does not list", () => {
    const bytes = MsgCreateComment.encode(
      MsgCreateComment.fromPartial({ author: AUTHOR, parentId: 7n, body: "Hi" }),
    ).finish();
    // Field 4 (usage) holding an unknown field 9 (varint 1): tag 0x22, length 2, then 0x48 0x01.
    const smuggled = new Uint8Array([...bytes, 0x22, 0x02, 0x48, 0x01]);
    expect(() => strict(smuggled, MsgCreateComment.schema)).toThrow(/usage.*unknown field 9/);
  });
});
