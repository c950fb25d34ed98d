import { describe, expect, it } from "vitest";
import { AUTONOMY_LEVELS, DEFAULT_AUTONOMY, isAutonomy, route } from "./autonomy.js";

describe("autonomy gate", () => {
  it("routes by level and confidence", () => {
    expect(route("manual", "high")).toBe("record");
    expect(route("manual", "low")).toBe("record");
    expect(route("advisory", "high")).toBe("queue");
    expect(route("advisory", "low")).toBe("queue");
    expect(route("assisted", "high")).toBe("execute");
    expect(route("assisted", "low")).toBe("queue");
    expect(route("autonomous", "high")).toBe("execute");
    expect(route("autonomous", "low")).toBe("execute");
  });

  it("knows its levels and gives every agent a default", () => {
    expect(AUTONOMY_LEVELS.every(isAutonomy)).toBe(true);
    expect(isAutonomy("reckless")).toBe(false);
    expect(isAutonomy(undefined)).toBe(false);
    for (const agent of ["feed", "moderation", "reputation", "health"])
      expect(isAutonomy(DEFAULT_AUTONOMY[agent])).toBe(true);
  });
});
