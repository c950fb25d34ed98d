import { describe, expect, it } from "vitest";
import type { WorkersError } from "../errors.js";
import { agentTarget, parseControl } from "./control.js";

const code = (f: () => unknown) => {
  try {
    f();
  } catch (e) {
    return (e as WorkersError).code;
  }
  return undefined;
};

describe("control commands", () => {
  it("accepts pause/resume of an agent or all, and stop", () => {
    expect(parseControl('{"cmd":"pause","agent":"feed"}')).toEqual({ cmd: "pause", agent: "feed" });
    expect(parseControl('{"cmd":"resume","agent":"all"}')).toEqual({ cmd: "resume", agent: "all" });
    expect(parseControl('{"cmd":"stop","agent":"x"}')).toEqual({ cmd: "stop" });
    expect(parseControl('{"cmd":"restart","agent":"moderation"}')).toEqual({
      cmd: "restart",
      agent: "moderation",
    });
  });

  it("rejects unknown agents, commands, non-JSON and oversized input", () => {
    expect(code(() => parseControl('{"cmd":"pause","agent":"nope"}'))).toBe("UNKNOWN_AGENT");
    expect(code(() => parseControl('{"cmd":"restart","agent":"all"}'))).toBe("UNKNOWN_AGENT");
    expect(code(() => parseControl('{"cmd":"explode"}'))).toBe("BAD_CONTROL");
    expect(code(() => parseControl("not json"))).toBe("BAD_CONTROL");
    expect(code(() => parseControl("null"))).toBe("BAD_CONTROL");
    expect(code(() => parseControl(`{"cmd":"stop","pad":"${"x".repeat(2000)}"}`))).toBe("BAD_CONTROL");
    expect(code(() => agentTarget("feeds"))).toBe("UNKNOWN_AGENT");
    expect(agentTarget("health")).toBe("health");
  });
});
