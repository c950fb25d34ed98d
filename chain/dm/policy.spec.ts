import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { DECLINE_COOLDOWN_SECONDS, type DmControl, type DmPolicy } from "./policy.js";
import { DmStore } from "./store.js";

const A = "vivim1alice";
const B = "vivim1bob";
const C = "vivim1carol";

let dir: string;
let store: DmStore;
let policy: DmPolicy;
beforeEach(async () => {
  dir = mkdtempSync(path.join(tmpdir(), "vivim-dm-policy-"));
  store = new DmStore(dir);
  await store.open();
  policy = store.policy;
});
afterEach(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

const control = (kind: DmControl["kind"], from: string, to: string, at: number) =>
  policy.apply({ kind, from, to, at });
const refusal = (p: Promise<unknown>) =>
  p.then(
    () => "ok",
    (e: { code?: string }) => e.code,
  );

describe("DM delivery policy", () => {
  it("lets messages flow only once the request is accepted, both ways", async () => {
    expect(await refusal(policy.checkDelivery(A, B, "message", 10))).toBe("NOT_ACCEPTED");
    expect(await refusal(policy.checkDelivery(A, B, "request", 10))).toBe("ok");
    await control("request", A, B, 10);
    expect(await refusal(policy.checkDelivery(A, B, "message", 11))).toBe("NOT_ACCEPTED");
    expect(await refusal(policy.checkDelivery(A, B, "request", 11))).toBe("REQUEST_PENDING");
    // Only the one asked may answer.
    expect(await refusal(control("accept", A, B, 12))).toBe("NOT_ACCEPTED");
    await control("accept", B, A, 12);
    expect(await refusal(policy.checkDelivery(A, B, "message", 13))).toBe("ok");
    expect(await refusal(policy.checkDelivery(B, A, "message", 13))).toBe("ok");
    expect(await refusal(policy.checkDelivery(C, B, "message", 13))).toBe("NOT_ACCEPTED");
  });

  it("holds a declined requester off for the cooldown", async () => {
    await control("request", A, B, 10);
    await control("decline", B, A, 20);
    expect(await refusal(policy.checkDelivery(A, B, "request", 30))).toBe("REQUEST_DECLINED");
    expect(await refusal(policy.checkDelivery(A, B, "request", 20 + DECLINE_COOLDOWN_SECONDS))).toBe("ok");
    // The other side may still ask.
    expect(await refusal(policy.checkDelivery(B, A, "request", 30))).toBe("ok");
  });

  it("stops everything from and to a blocked account until unblocked", async () => {
    await control("request", A, B, 10);
    await control("accept", B, A, 11);
    await control("block", B, A, 12);
    expect(await refusal(policy.checkDelivery(A, B, "message", 13))).toBe("BLOCKED");
    expect(await refusal(policy.checkDelivery(B, A, "message", 13))).toBe("BLOCKED");
    expect(await refusal(control("request", A, B, 14))).toBe("BLOCKED");
    await control("unblock", B, A, 15);
    expect(await refusal(policy.checkDelivery(A, B, "message", 16))).toBe("ok");
  });

  it("refuses stale and malformed controls", async () => {
    await control("request", A, B, 100);
    expect(await refusal(control("accept", B, A, 50))).toBe("STALE_CONTROL");
    expect(await refusal(control("request", A, A, 10))).toBe("BAD_CONTROL");
    expect(await refusal(control("request", "", B, 10))).toBe("BAD_CONTROL");
    expect(await refusal(control("request", A, B, -1))).toBe("BAD_CONTROL");
  });
});
