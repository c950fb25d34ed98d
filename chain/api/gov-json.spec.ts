import { ProposalStatus } from "cosmjs-types/cosmos/gov/v1/gov";
import { describe, expect, it } from "vitest";
import { durationJson, parseProposalId, parseProposalStatus, timestampJson } from "./gov-json.js";

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
