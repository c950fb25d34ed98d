import { describe, expect, it } from "vitest";
import { McpToolError } from "../errors.js";
import { parseVivimAmount } from "./amount.js";

const uvivim = (amount: string) => ({ denom: "uvivim", amount });

describe("parseVivimAmount", () => {
  it("reads whole and fractional VIVIM as uvivim", () => {
    expect(parseVivimAmount("50vivim")).toEqual(uvivim("50000000"));
    expect(parseVivimAmount("1.5 VIVIM")).toEqual(uvivim("1500000"));
    expect(parseVivimAmount("0.000001vivim")).toEqual(uvivim("1"));
    expect(parseVivimAmount(" 2.10vivim ")).toEqual(uvivim("2100000"));
  });

  it("reads uvivim as is", () => {
    expect(parseVivimAmount("50000000uvivim")).toEqual(uvivim("50000000"));
    expect(parseVivimAmount("1UVIVIM")).toEqual(uvivim("1"));
    expect(parseVivimAmount("123456789012345678901234567890uvivim")).toEqual(
      uvivim("123456789012345678901234567890"),
    );
  });

  it.each([
    ["50", /not an amount/],
    ["50 dollars", /not an amount/],
    ["-5vivim", /not an amount/],
    ["1e6uvivim", /not an amount/],
    ["0vivim", /more than zero/],
    ["0.0000001vivim", /more than 6 decimals/],
    ["1.5uvivim", /smallest unit/],
    ["", /not an amount/],
    [`${"9".repeat(45)}uvivim`, /not an amount/],
  ])("refuses %j", (text, why) => {
    let error: unknown;
    try {
      parseVivimAmount(text);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(McpToolError);
    expect((error as McpToolError).code).toBe("INVALID_ARGUMENT");
    expect((error as McpToolError).message).toMatch(why);
  });
});
