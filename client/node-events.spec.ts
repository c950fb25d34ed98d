import { describe, expect, it } from "vitest";
import { newBlockHeight } from "./node-events.js";

describe("newBlockHeight", () => {
  it("reads the height of a NewBlockHeader event and of a NewBlock event", () => {
    expect(
      newBlockHeight({
        data: { type: "tendermint/event/NewBlockHeader", value: { header: { height: "42" } } },
      }),
    ).toBe(42);
    expect(
      newBlockHeight({
        data: { type: "tendermint/event/NewBlock", value: { block: { header: { height: "7" } } } },
      }),
    ).toBe(7);
  });

  it("ignores other events and malformed heights", () => {
    expect(
      newBlockHeight({ data: { type: "tendermint/event/Tx", value: { header: { height: "1" } } } }),
    ).toBe(undefined);
    expect(newBlockHeight({ data: { type: "tendermint/event/NewBlockHeader", value: {} } })).toBe(undefined);
    expect(
      newBlockHeight({
        data: { type: "tendermint/event/NewBlockHeader", value: { header: { height: "x" } } },
      }),
    ).toBe(undefined);
    expect(
      newBlockHeight({
        data: { type: "tendermint/event/NewBlockHeader", value: { header: { height: "9007199254740993" } } },
      }),
    ).toBe(undefined);
    expect(newBlockHeight({})).toBe(undefined);
  });
});
