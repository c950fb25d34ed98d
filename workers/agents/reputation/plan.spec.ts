import { describe, expect, it } from "vitest";
import { encodeAddress } from "../../../chain/crypto/address.js";
import { IdentityEventTypes } from "../../../contracts/identity/events.js";
import { EVENT_ATTESTATION_REVOKED, EVENT_ATTESTED } from "../../../contracts/reputation/msg-attest.js";
import { EVENT_RATED } from "../../../contracts/reputation/msg-rate.js";
import type { BlockJobData, JobEvent } from "../../bridge/interests.js";
import { EVENT_SLOTS } from "../feed/plan.js";
import { MAX_TOUCHED, planReputationJob } from "./plan.js";

const addr = (n: number) => encodeAddress(new Uint8Array(20).fill(n));
const [A, B, C] = [addr(1), addr(2), addr(3)];

function job(events: JobEvent[], height = 9): BlockJobData {
  return {
    v: 1,
    chainId: "vivim-test",
    height,
    time: "2026-01-02T03:04:05Z",
    queue: "reputation",
    txCount: events.length,
    failedTxs: 0,
    eventCount: events.length,
    events,
    truncated: false,
  };
}
const ev = (type: string, attributes: Record<string, string>): JobEvent => ({ type, tx: "AB", attributes });
const rated = (rater: string, subject: string, stars = "5", seq = "3", helped = "true") =>
  ev(EVENT_RATED, { rater, subject, seq, helped, stars, replaced: "false" });

describe("reputation plan", () => {
  it("reads ratings, vouches and agent ownership changes in block order", () => {
    const p = planReputationJob(
      job([
        rated(A, B),
        ev(EVENT_ATTESTED, { attester: C, subject: A, seq: "1" }),
        ev(EVENT_ATTESTATION_REVOKED, { attester: C, subject: A }),
        ev(IdentityEventTypes.AgentRegistered, {
          address: C,
          owner: A,
          handle: "alice/bot",
          pub_key_type: "secp256k1",
        }),
        ev(IdentityEventTypes.AgentTransferred, {
          address: C,
          previous_owner: A,
          owner: B,
          handle: "bob/bot",
        }),
        ev(IdentityEventTypes.AgentRetired, { address: C, owner: B }),
        ev("vivim.reputation.v1.EventEpoch", { epoch: "3" }),
      ]),
    );
    expect(p.ratings).toEqual([{ rater: A, subject: B, stars: 5, helped: true, seq: 3 }]);
    expect(p.vouches).toEqual([
      { attester: C, subject: A, active: true, version: 9 * EVENT_SLOTS + 1 },
      { attester: C, subject: A, active: false, version: 9 * EVENT_SLOTS + 2 },
    ]);
    expect(p.owners.map((o) => [o.owner, o.retired, o.handle, o.version])).toEqual([
      [A, false, "alice/bot", 9 * EVENT_SLOTS + 3],
      [B, false, "bob/bot", 9 * EVENT_SLOTS + 4],
      [B, true, "", 9 * EVENT_SLOTS + 5],
    ]);
    expect(p.touched).toEqual([A, B, C]);
    expect(p.rejected).toBe(0);
  });

  it("counts and skips malformed events", () => {
    const p = planReputationJob(
      job([
        rated(A, A),
        rated(A, B, "6"),
        rated(A, B, "0"),
        rated(A, B, "5", "-1"),
        rated(A, B, "5", "1", "yes"),
        rated("not-an-address", B),
        ev(EVENT_ATTESTED, { attester: A }),
        ev(IdentityEventTypes.AgentTransferred, { address: C, owner: "x" }),
        ev(IdentityEventTypes.AgentRegistered, { address: C, owner: A, handle: "Bad Handle!" }),
        { type: EVENT_RATED, tx: null, attributes: null } as unknown as JobEvent,
      ]),
    );
    expect(p.ratings).toEqual([]);
    expect(p.rejected).toBe(9);
    // A handle that is not one is left out, the ownership is still taken.
    expect(p.owners).toEqual([
      { agent: C, owner: A, retired: false, handle: "", version: 9 * EVENT_SLOTS + 8 },
    ]);
  });

  it("caps the accounts one job looks around", () => {
    const events = Array.from({ length: MAX_TOUCHED }, (_, i) => rated(addr(10 + i), addr(100 + i)));
    const p = planReputationJob(job(events));
    expect(p.ratings).toHaveLength(MAX_TOUCHED);
    expect(p.touched).toHaveLength(MAX_TOUCHED);
    expect(p.overflow).toBe(MAX_TOUCHED);
  });
});
