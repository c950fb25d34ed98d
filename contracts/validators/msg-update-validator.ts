/**
 * `/vivim.validators.v1.MsgUpdateValidator`: adds, re-weights (power > 0) or removes (power 0) a
 * validator. Only the module's authority may send it — the gov module account, whose passed
 * proposals execute it (issue 5); until then genesis may name another address.
 *
 * `operator` (optional) names the account that runs the validator and holds its council power in
 * governance; it takes effect when the update is applied, as the power does. Empty keeps the
 * current operator, so a validator added without one has no operator (and no council vote) until
 * an update names one; an operator is replaced, never cleared, and a removal takes none.
 */
import { decodeAddress } from "../../chain/crypto/address.js";
import type { MsgDefinition } from "../types.js";
import { MsgUpdateValidator, MsgUpdateValidatorResponse } from "./codec.js";
import { assertAuthority, checkUpdateBasics, scheduleValidatorUpdate } from "./keeper.js";

export const msgUpdateValidator: MsgDefinition<MsgUpdateValidator> = {
  typeUrl: MsgUpdateValidator.typeUrl,
  type: MsgUpdateValidator,
  schema: {
    name: "vivim.validators.v1.MsgUpdateValidator",
    fields: {
      1: { name: "authority", kind: "string" },
      2: { name: "pub_key", kind: "bytes" },
      3: { name: "power", kind: "int64" },
      4: { name: "moniker", kind: "string" },
      5: { name: "operator", kind: "string" },
    },
  },
  signers: (msg) => [msg.authority],
  validateBasic(msg) {
    decodeAddress(msg.authority);
    checkUpdateBasics(msg.pubKey, msg.power, msg.moniker, msg.operator);
  },
  handle(ctx, msg) {
    assertAuthority(ctx.store, msg.authority);
    const updateId = scheduleValidatorUpdate(ctx, {
      pubKey: msg.pubKey,
      power: msg.power,
      moniker: msg.moniker,
      operator: msg.operator,
    });
    return {
      typeUrl: MsgUpdateValidatorResponse.typeUrl,
      value: MsgUpdateValidatorResponse.encode({ updateId }).finish(),
    };
  },
};
