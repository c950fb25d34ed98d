/**
 * `/cosmos.distribution.v1beta1.MsgCommunityPoolSpend`: governance pays `amount` from the treasury
 * to `recipient`. Only the gov module account may send it, i.e. only a passed proposal executes it.
 */
import {
  MsgCommunityPoolSpend,
  MsgCommunityPoolSpendResponse,
} from "cosmjs-types/cosmos/distribution/v1beta1/tx";
import { decodeAddress } from "../../chain/crypto/address.js";
import { CodedError } from "../../chain/errors/codes.js";
import { CoinSchema } from "../../chain/tx/schemas.js";
import { sendCoins } from "../bank/keeper.js";
import type { MsgDefinition } from "../types.js";
import { TreasuryErrors } from "./errors.js";
import { poolSpent } from "./events.js";
import { BLOCKED_RECIPIENTS, TREASURY_ADDRESS } from "./keeper.js";
import { checkAmount, checkTreasuryAuthority } from "./validate.js";

export const msgCommunityPoolSpend: MsgDefinition<MsgCommunityPoolSpend> = {
  typeUrl: "/cosmos.distribution.v1beta1.MsgCommunityPoolSpend",
  type: MsgCommunityPoolSpend,
  schema: {
    name: "cosmos.distribution.v1beta1.MsgCommunityPoolSpend",
    fields: {
      1: { name: "authority", kind: "string" },
      2: { name: "recipient", kind: "string" },
      3: { name: "amount", kind: { message: () => CoinSchema }, repeated: true },
    },
  },
  signers: (msg) => [msg.authority],
  validateBasic(msg) {
    checkTreasuryAuthority(msg.authority);
    decodeAddress(msg.recipient);
    if (BLOCKED_RECIPIENTS.has(msg.recipient))
      throw new CodedError(TreasuryErrors.InvalidRecipient, msg.recipient);
    checkAmount(msg.amount);
  },
  handle(ctx, msg) {
    // Also checked here, so no path into the handler can skip it.
    checkTreasuryAuthority(msg.authority);
    sendCoins(ctx, TREASURY_ADDRESS, msg.recipient, msg.amount);
    ctx.emit(poolSpent(msg.authority, msg.recipient, msg.amount));
    return {
      typeUrl: "/cosmos.distribution.v1beta1.MsgCommunityPoolSpendResponse",
      value: MsgCommunityPoolSpendResponse.encode({}).finish(),
    };
  },
};
