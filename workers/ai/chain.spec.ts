import { describe, expect, it } from "vitest";
import { ProviderChain } from "./chain.js";
import { OfflineProvider } from "./offline.js";
import type { AiProvider, AiRequest, AiResult } from "./types.js";

const req: AiRequest = { system: "moderate", messages: [{ role: "user", content: "hello there" }] };

function fake(name: string, behaviour: "ok" | "fail"): AiProvider & { calls: number } {
  return {
    name,
    model: `${name}-m`,
    calls: 0,
    estimateMaxCostMicroUsd: () => 0,
    async complete(): Promise<AiResult> {
      this.calls++;
      if (behaviour === "fail") throw Object.assign(new Error("upstream exploded"), { status: 503 });
      return {
        text: "hi",
        provider: name,
        model: `${name}-m`,
        inputTokens: 1,
        outputTokens: 1,
        costMicroUsd: 2,
      };
    },
  };
}

describe("ProviderChain", () => {
  it("uses the first provider that answers", async () => {
    const a = fake("a", "ok");
    const b = fake("b", "ok");
    const r = await new ProviderChain({ entries: [{ provider: a }, { provider: b }] }).complete(req);
    expect(r.decidedBy).toBe("a");
    expect(b.calls).toBe(0);
    expect(r.attempts).toEqual([{ provider: "a", model: "a-m", outcome: "ok" }]);
  });

  it("falls back on failure and records why", async () => {
    const r = await new ProviderChain({
      entries: [{ provider: fake("a", "fail") }, { provider: new OfflineProvider() }],
    }).complete(req);
    expect(r.decidedBy).toBe("offline");
    expect(r.attempts[0]).toEqual({
      provider: "a",
      model: "a-m",
      outcome: "failed",
      code: "PROVIDER_FAILED",
      reason: "HTTP 503: upstream exploded",
    });
    expect(r.attempts[1]?.outcome).toBe("ok");
  });

  it("throws ALL_PROVIDERS_FAILED listing every attempt", async () => {
    const chain = new ProviderChain({
      entries: [{ provider: fake("a", "fail") }, { provider: fake("b", "fail") }],
    });
    await expect(chain.complete(req)).rejects.toMatchObject({ code: "ALL_PROVIDERS_FAILED" });
  });

  it("needs a vault for keyed entries", () => {
    expect(
      () => new ProviderChain({ entries: [{ provider: fake("a", "ok"), keyId: "aik_0000000000000000" }] }),
    ).toThrow(/vault/);
  });

  it("streams a provider's pieces, and streams a provider without stream() as one piece", async () => {
    const streaming: AiProvider = {
      ...fake("s", "ok"),
      async stream(_r, onText) {
        for (const p of ["he", "llo"]) onText(p);
        return {
          text: "hello",
          provider: "s",
          model: "s-m",
          inputTokens: 1,
          outputTokens: 1,
          costMicroUsd: 0,
        };
      },
    };
    const seen: string[] = [];
    const r = await new ProviderChain({ entries: [{ provider: streaming }] }).complete(
      req,
      undefined,
      (d, p) => seen.push(`${p}:${d}`),
    );
    expect(r.text).toBe("hello");
    expect(seen).toEqual(["s:he", "s:llo"]);
    const one: string[] = [];
    await new ProviderChain({ entries: [{ provider: fake("a", "ok") }] }).complete(req, undefined, (d) =>
      one.push(d),
    );
    expect(one).toEqual(["hi"]);
  });

  it("falls back when a stream fails before any text, but not once the person has seen some", async () => {
    const failing = (after: string[]): AiProvider => ({
      ...fake("s", "ok"),
      async stream(_r, onText) {
        for (const p of after) onText(p);
        throw new Error("connection reset");
      },
    });
    const early = await new ProviderChain({
      entries: [{ provider: failing([]) }, { provider: fake("b", "ok") }],
    }).complete(req, undefined, () => undefined);
    expect(early.decidedBy).toBe("b");
    await expect(
      new ProviderChain({
        entries: [{ provider: failing(["par"]) }, { provider: fake("b", "ok") }],
      }).complete(req, undefined, () => undefined),
    ).rejects.toMatchObject({ code: "PROVIDER_FAILED", message: /s stopped mid-answer: connection reset/ });
  });
});
