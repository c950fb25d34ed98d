import { ProposalStatus } from "cosmjs-types/cosmos/gov/v1/gov";
import { QueryProposalResponse } from "cosmjs-types/cosmos/gov/v1/query";
import { MsgUpdateParams } from "cosmjs-types/cosmos/gov/v1/tx";
import { TxBody } from "cosmjs-types/cosmos/tx/v1beta1/tx";
import { Duration } from "cosmjs-types/google/protobuf/duration";
import { describe, expect, it } from "vitest";
import { DEFAULT_GOV_PARAMS, GOV_ADDRESS } from "../../contracts/gov/params.js";
import { defaultModuleRegistry } from "../../contracts/index.js";
import type { MessageSchema } from "../codec/schema.js";
import { MsgRegistry } from "../tx/msg-registry.js";
import { TxBodySchema } from "../tx/schemas.js";
import { durationJson, GovQueries, parseProposalId, parseProposalStatus, timestampJson } from "./gov-json.js";
import { anyToJson, ProtoJsonError, protoToJson } from "./proto-json.js";

const resolve = MsgRegistry.fromModules(defaultModuleRegistry()).resolveBodyAny;

describe("gov JSON", () => {
  it("writes Timestamps and Durations as the SDK's gateway (Go jsonpb) does", () => {
    expect(timestampJson({ seconds: 1735689600n, nanos: 0 })).toBe("2025-01-01T00:00:00Z");
    expect(timestampJson({ seconds: 1735689600n, nanos: 250_000_000 })).toBe("2025-01-01T00:00:00.250Z");
    expect(timestampJson({ seconds: 1735689600n, nanos: 1_000 })).toBe("2025-01-01T00:00:00.000001Z");
    expect(timestampJson({ seconds: 1735689600n, nanos: 7 })).toBe("2025-01-01T00:00:00.000000007Z");
    expect(timestampJson(undefined)).toBeNull();
    expect(durationJson({ seconds: 172800n, nanos: 0 })).toBe("172800s");
    expect(durationJson({ seconds: 1n, nanos: 500_000_000 })).toBe("1.500s");
    expect(durationJson({ seconds: -3n, nanos: 0 })).toBe("-3s");
    expect(durationJson(undefined)).toBeNull();
    expect(durationJson({ seconds: 0n, nanos: -500_000_000 })).toBe("-0.500s");
    expect(timestampJson({ seconds: -62_135_596_800n, nanos: 0 })).toBe("0001-01-01T00:00:00Z");
    expect(timestampJson({ seconds: 253_402_300_799n, nanos: 999_999_999 })).toBe(
      "9999-12-31T23:59:59.999999999Z",
    );
    // What protobuf does not allow, jsonpb does not write.
    expect(() => timestampJson({ seconds: 253_402_300_800n, nanos: 0 })).toThrow(ProtoJsonError);
    expect(() => timestampJson({ seconds: 0n, nanos: -1 })).toThrow(ProtoJsonError);
    expect(() => durationJson({ seconds: 1n, nanos: -1 })).toThrow(ProtoJsonError);
    expect(() => durationJson({ seconds: 315_576_000_001n, nanos: 0 })).toThrow(ProtoJsonError);
  });

  it("renders Durations and Timestamps nested anywhere in a message as the gateway does", () => {
    // A proposal carrying x/gov's MsgUpdateParams: its periods inside the message's params.
    const update = MsgUpdateParams.fromPartial({
      authority: GOV_ADDRESS,
      params: { ...DEFAULT_GOV_PARAMS, votingPeriod: { seconds: 172_800n, nanos: 0 } },
    });
    const response = QueryProposalResponse.encode({
      proposal: {
        id: 7n,
        messages: [
          { typeUrl: "/cosmos.gov.v1.MsgUpdateParams", value: MsgUpdateParams.encode(update).finish() },
        ],
        status: ProposalStatus.PROPOSAL_STATUS_VOTING_PERIOD,
        submitTime: { seconds: 1_735_689_600n, nanos: 0 },
        totalDeposit: [],
        metadata: "",
        title: "t",
        summary: "s",
        proposer: GOV_ADDRESS,
        expedited: false,
        failedReason: "",
      },
    }).finish();
    const json = GovQueries.v1.proposal.json(response, resolve) as {
      proposal: { messages: Array<{ "@type": string; params: Record<string, unknown> }> };
    };
    const message = json.proposal.messages[0]!;
    expect(message["@type"]).toBe("/cosmos.gov.v1.MsgUpdateParams");
    expect(message.params).toMatchObject({
      max_deposit_period: "172800s",
      voting_period: "172800s",
      expedited_voting_period: "86400s",
      quorum: DEFAULT_GOV_PARAMS.quorum,
    });

    // A Timestamp field (a tx body's timeout_timestamp) and an unset one.
    const body = (timeoutTimestamp?: { seconds: bigint; nanos: number }) =>
      protoToJson(
        TxBody.encode(
          TxBody.fromPartial({ memo: "m", ...(timeoutTimestamp ? { timeoutTimestamp } : {}) }),
        ).finish(),
        TxBodySchema,
        resolve,
      );
    expect(body({ seconds: 1_735_787_045n, nanos: 250_000_000 }).timeout_timestamp).toBe(
      "2025-01-02T03:04:05.250Z",
    );
    expect(body().timeout_timestamp).toBeNull();

    // Repeated Durations, and a Duration inside an Any (jsonpb puts it under "value").
    const DurationSchema: MessageSchema = {
      name: "google.protobuf.Duration",
      fields: { 1: { name: "seconds", kind: "int64" }, 2: { name: "nanos", kind: "int32" } },
    };
    const Windows: MessageSchema = {
      name: "test.Windows",
      fields: { 1: { name: "windows", kind: { message: () => DurationSchema }, repeated: true } },
    };
    const windows = Buffer.concat(
      [
        { seconds: 60n, nanos: 0 },
        { seconds: 1n, nanos: 500_000_000 },
      ].map((d) => {
        const inner = Duration.encode(d).finish();
        return Buffer.from([0x0a, inner.length, ...inner]);
      }),
    );
    expect(protoToJson(windows, Windows, resolve)).toEqual({ windows: ["60s", "1.500s"] });
    const durationAny = new Uint8Array([
      0x0a,
      25,
      ...Buffer.from("/google.protobuf.Duration"),
      0x12,
      2,
      0x08,
      0x3c,
    ]);
    expect(
      anyToJson(durationAny, (url) => (url === "/google.protobuf.Duration" ? DurationSchema : undefined)),
    ).toEqual({
      "@type": "/google.protobuf.Duration",
      value: "60s",
    });
  });

  it("reads proposal statuses by name, short name or number, and proposal ids", () => {
    const voting = ProposalStatus.PROPOSAL_STATUS_VOTING_PERIOD;
    for (const s of ["PROPOSAL_STATUS_VOTING_PERIOD", "voting_period", "VOTING", "voting", "2"])
      expect(parseProposalStatus(s)).toBe(voting);
    expect(parseProposalStatus("deposit")).toBe(ProposalStatus.PROPOSAL_STATUS_DEPOSIT_PERIOD);
    expect(parseProposalStatus("passed")).toBe(ProposalStatus.PROPOSAL_STATUS_PASSED);
    expect(parseProposalStatus("")).toBe(ProposalStatus.PROPOSAL_STATUS_UNSPECIFIED);
    for (const bad of ["6", "open", "PROPOSAL_STATUS_", "-1"])
      expect(parseProposalStatus(bad)).toBeUndefined();
    expect(parseProposalId("18446744073709551615")).toBe(2n ** 64n - 1n);
    for (const bad of ["0", "01", "18446744073709551616", "1e3", ""])
      expect(parseProposalId(bad)).toBeUndefined();
  });
});
