import { MsgSend } from "cosmjs-types/cosmos/bank/v1beta1/tx";
import { VoteOption } from "cosmjs-types/cosmos/gov/v1/gov";
import { MsgSubmitProposal, MsgUpdateParams, MsgVoteWeighted } from "cosmjs-types/cosmos/gov/v1/tx";
import { TxBody } from "cosmjs-types/cosmos/tx/v1beta1/tx";
import { describe, expect, it } from "vitest";
import { DEFAULT_GOV_PARAMS } from "../../contracts/gov/params.js";
import { V1Schemas } from "../../contracts/gov/schemas.js";
import { defaultModuleRegistry } from "../../contracts/index.js";
import { protoToJson } from "../api/proto-json.js";
import { MsgRegistry } from "../tx/msg-registry.js";
import { TxBodySchema } from "../tx/schemas.js";
import { anyFromJson, JsonToProtoError, jsonToProto, MAX_DEPTH } from "./json-to-proto.js";
import type { MessageSchema } from "./schema.js";
import { assertKnownFields } from "./strict.js";

const registry = MsgRegistry.fromModules(defaultModuleRegistry());
const resolve = registry.resolveBodyAny;
const hex = (b: Uint8Array) => Buffer.from(b).toString("hex");
const schemaOf = (typeUrl: string) => resolve(typeUrl)!;
const strict = (bytes: Uint8Array, schema: MessageSchema) =>
  assertKnownFields(bytes, schema, resolve, { maxDepth: 16 });

const A = "vivim1qypqxpq9qcrsszg2pvxq6rs0zqg3yyc5z5tpwp";
const B = "vivim1zg69v7ys40x77y352eufp27daufrg4ncpjm5zv";

function refusal(fn: () => unknown): JsonToProtoError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(JsonToProtoError);
    return err as JsonToProtoError;
  }
  throw new Error("expected a JsonToProtoError");
}

describe("jsonToProto", () => {
  it("encodes SDK JSON byte for byte as cosmjs-types encodes the same message", () => {
    const json = { from_address: A, to_address: B, amount: [{ denom: "uvivim", amount: "5" }] };
    const ours = jsonToProto(json, schemaOf("/cosmos.bank.v1beta1.MsgSend"), resolve);
    const theirs = MsgSend.encode(
      MsgSend.fromPartial({ fromAddress: A, toAddress: B, amount: json.amount }),
    ).finish();
    expect(hex(ours)).toBe(hex(theirs));
    // lowerCamelCase JSON names are accepted too, as protojson does.
    expect(
      hex(
        jsonToProto(
          { fromAddress: A, toAddress: B, amount: json.amount },
          schemaOf("/cosmos.bank.v1beta1.MsgSend"),
          resolve,
        ),
      ),
    ).toBe(hex(theirs));
  });

  it("encodes Anys from @type, enums by name or number, and is protoToJson's inverse", () => {
    const send = {
      "@type": "/cosmos.bank.v1beta1.MsgSend",
      from_address: A,
      to_address: B,
      amount: [{ denom: "uvivim", amount: "7" }],
    };
    const json = {
      messages: [send],
      initial_deposit: [{ denom: "uvivim", amount: "1000" }],
      proposer: A,
      metadata: "ipfs://x",
      title: "Pay B",
      summary: "because",
      expedited: true,
    };
    const bytes = jsonToProto(json, V1Schemas.MsgSubmitProposal, resolve);
    strict(bytes, V1Schemas.MsgSubmitProposal);
    const decoded = MsgSubmitProposal.decode(bytes);
    expect(decoded.messages[0]?.typeUrl).toBe("/cosmos.bank.v1beta1.MsgSend");
    expect(MsgSend.decode(decoded.messages[0]!.value)).toEqual({
      fromAddress: A,
      toAddress: B,
      amount: send.amount,
    });
    expect(protoToJson(bytes, V1Schemas.MsgSubmitProposal, resolve)).toEqual(json);

    const weighted = {
      proposal_id: "12",
      voter: A,
      options: [
        { option: "VOTE_OPTION_YES", weight: "0.6" },
        { option: 3, weight: "0.4" },
      ],
      metadata: "",
    };
    const vote = MsgVoteWeighted.decode(jsonToProto(weighted, V1Schemas.MsgVoteWeighted, resolve));
    expect(vote).toEqual({
      proposalId: 12n,
      voter: A,
      options: [
        { option: VoteOption.VOTE_OPTION_YES, weight: "0.6" },
        { option: VoteOption.VOTE_OPTION_NO, weight: "0.4" },
      ],
      metadata: "",
    });
  });

  it("takes Durations as '172800s' or {seconds, nanos} and Timestamps as RFC3339", () => {
    const p = DEFAULT_GOV_PARAMS;
    const params = {
      min_deposit: p.minDeposit,
      max_deposit_period: "172800s",
      voting_period: { seconds: "172800", nanos: 0 },
      quorum: p.quorum,
      threshold: p.threshold,
      veto_threshold: p.vetoThreshold,
      min_initial_deposit_ratio: p.minInitialDepositRatio,
      proposal_cancel_ratio: p.proposalCancelRatio,
      expedited_voting_period: "86400.5s",
      expedited_threshold: p.expeditedThreshold,
      expedited_min_deposit: p.expeditedMinDeposit,
      burn_vote_veto: true,
      min_deposit_ratio: p.minDepositRatio,
    };
    const ours = jsonToProto({ authority: A, params }, V1Schemas.MsgUpdateParams, resolve);
    const theirs = MsgUpdateParams.encode(
      MsgUpdateParams.fromPartial({
        authority: A,
        params: { ...p, expeditedVotingPeriod: { seconds: 86400n, nanos: 500_000_000 } },
      }),
    ).finish();
    expect(hex(ours)).toBe(hex(theirs));

    const body = jsonToProto(
      { memo: "m", timeout_timestamp: "2025-01-02T03:04:05.25Z" },
      TxBodySchema,
      resolve,
    );
    expect(TxBody.decode(body).timeoutTimestamp).toEqual({ seconds: 1735787045n, nanos: 250_000_000 });
  });

  it("omits proto3 defaults and packs repeated numbers", () => {
    const schema: MessageSchema = {
      name: "test.json.Packed",
      fields: {
        1: { name: "ids", kind: "uint64", repeated: true },
        2: { name: "n", kind: "uint32" },
        3: { name: "s", kind: "string" },
        4: { name: "e", kind: "enum", enumValues: ["E_UNSPECIFIED", "E_ONE"] },
        5: { name: "b", kind: "bytes" },
        6: { name: "neg", kind: "int64" },
      },
    };
    expect(
      hex(jsonToProto({ ids: [], n: 0, s: "", e: "E_UNSPECIFIED", b: "", neg: "0" }, schema, resolve)),
    ).toBe("");
    expect(hex(jsonToProto({ ids: ["1", 300], e: "E_ONE", b: "AQI=", neg: "-1" }, schema, resolve))).toBe(
      "0a0301ac022001" + "2a020102" + "30ffffffffffffffffff01",
    );
    // null is absent, as in protojson.
    expect(hex(jsonToProto({ ids: null, s: null }, schema, resolve))).toBe("");
  });

  it("refuses what it cannot encode exactly, naming the path", () => {
    const send = schemaOf("/cosmos.bank.v1beta1.MsgSend");
    const cases: Array<[unknown, MessageSchema, RegExp]> = [
      [{ from_address: A, nope: 1 }, send, /^nope: cosmos.bank.v1beta1.MsgSend has no field "nope"/],
      [{ from_address: 5 }, send, /^from_address: must be a string/],
      [{ from_address: A, fromAddress: A }, send, /^fromAddress: given twice/],
      [{ amount: {} }, send, /^amount: must be an array/],
      [{ amount: [{ denom: 1 }] }, send, /^amount\[0\]\.denom: must be a string/],
      [{ amount: [null] }, send, /^amount\[0\]: must not be null/],
      [[], send, /must be a cosmos.bank.v1beta1.MsgSend object/],
      [
        { proposal_id: "18446744073709551616" },
        V1Schemas.MsgVote,
        /^proposal_id: 18446744073709551616 is out of range/,
      ],
      [{ proposal_id: "-1" }, V1Schemas.MsgVote, /^proposal_id: -1 is out of range for uint64/],
      [{ proposal_id: 1.5 }, V1Schemas.MsgVote, /^proposal_id: must be an integer/],
      [{ proposal_id: 2 ** 60 }, V1Schemas.MsgVote, /^proposal_id: must be an integer/],
      [
        { option: "VOTE_OPTION_MAYBE" },
        V1Schemas.MsgVote,
        /^option: unknown enum value "VOTE_OPTION_MAYBE"; one of VOTE_OPTION_UNSPECIFIED/,
      ],
      [{ expedited: "true" }, V1Schemas.MsgSubmitProposal, /^expedited: must be true or false/],
      [
        { messages: [{ from_address: A }] },
        V1Schemas.MsgSubmitProposal,
        /^messages\[0\]: must name its type in "@type"/,
      ],
      [
        { messages: [{ "@type": "/vivim.nope.v1.MsgNope" }] },
        V1Schemas.MsgSubmitProposal,
        /^messages\[0\]\.@type: "\/vivim.nope.v1.MsgNope" is not a type/,
      ],
      [
        { messages: [{ "@type": "/cosmos.bank.v1beta1.MsgSend", memo: "x" }] },
        V1Schemas.MsgSubmitProposal,
        /^messages\[0\]\.memo: cosmos.bank.v1beta1.MsgSend has no field/,
      ],
      [
        { params: { voting_period: "2 days" } },
        V1Schemas.MsgUpdateParams,
        /^params\.voting_period: must be a duration/,
      ],
      [{ timeout_timestamp: "yesterday" }, TxBodySchema, /^timeout_timestamp: must be an RFC3339 time/],
      [
        { signatures: ["%%"] },
        { name: "t.B", fields: { 1: { name: "signatures", kind: "bytes", repeated: true } } },
        /^signatures\[0\]: must be base64/,
      ],
    ];
    for (const [json, schema, why] of cases)
      expect(refusal(() => jsonToProto(json, schema, resolve)).message).toMatch(why);
  });

  it("caps nesting", () => {
    const Node: MessageSchema = {
      name: "t.Node",
      fields: { 1: { name: "next", kind: { message: () => Node } } },
    };
    let deep: Record<string, unknown> = {};
    for (let i = 0; i < MAX_DEPTH + 2; i++) deep = { next: deep };
    expect(refusal(() => jsonToProto(deep, Node, resolve)).message).toMatch(/nested too deeply/);
    let ok: Record<string, unknown> = {};
    for (let i = 0; i < MAX_DEPTH - 1; i++) ok = { next: ok };
    expect(jsonToProto(ok, Node, resolve).length).toBeGreaterThan(0);
  });
});

describe("anyFromJson", () => {
  it("gives the Any cosmjs puts in a message", () => {
    const any = anyFromJson(
      { "@type": "/cosmos.bank.v1beta1.MsgSend", from_address: A },
      resolve,
      "messages[0]",
    );
    expect(any.typeUrl).toBe("/cosmos.bank.v1beta1.MsgSend");
    expect(MsgSend.decode(any.value).fromAddress).toBe(A);
    expect(refusal(() => anyFromJson("x", resolve, "messages[1]")).message).toMatch(
      /^messages\[1\]: must be an object with "@type"/,
    );
    expect(refusal(() => anyFromJson({ "@type": "/x.Y" }, resolve)).path).toBe("@type");
  });
});
