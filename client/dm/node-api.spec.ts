/**
 * The exact texts DmNodeApi signs are the node's own (the routes' builders). Its requests against
 * a real node are tested in test/e2e/dm-node-api.test.ts.
 */
import { describe, expect, it } from "vitest";
import { dmInboxText, dmReadText, dmReceiptText } from "../../chain/api/routes/dm.js";
import { dmControlText } from "../../chain/dm/control.js";
import { CHAIN_ID, T0 } from "../../test/support/dm-fixtures.js";
import { dmSignedText } from "./node-api.js";

const CONV = "ab".repeat(32);
const MSG = "cd".repeat(32);
const ME = "vivim1me";

describe("DmNodeApi", () => {
  it("signs exactly the texts the node checks", () => {
    expect(dmSignedText.read(CHAIN_ID, CONV, T0)).toBe(dmReadText(CHAIN_ID, CONV, T0));
    expect(dmSignedText.control(CHAIN_ID, "accept", ME, "vivim1x", T0)).toBe(
      dmControlText(CHAIN_ID, { kind: "accept", from: ME, to: "vivim1x", at: T0 }),
    );
    expect(dmSignedText.inbox(CHAIN_ID, T0)).toBe(dmInboxText(CHAIN_ID, T0));
    expect(dmSignedText.receipt(CHAIN_ID, CONV, MSG, T0)).toBe(dmReceiptText(CHAIN_ID, CONV, MSG, T0));
  });
});
