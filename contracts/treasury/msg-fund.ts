/** `/cosmos.distribution.v1beta1.MsgFundCommunityPool`: anyone donates coins to the treasury. */
import {
  MsgFundCommunityPool,
  MsgFundCommunityPoolResponse,
} from "cosmjs-types/cosmos/distribution/v1beta1/tx";
import { decodeAddress } from "../../chain/crypto/address.js";
import { CoinSchema } from "../../chain/tx/schemas.js";
import { sendCoins } from "../bank/keeper.js";
import type { MsgDefinition } from "../types.js";
import { poolFunded } from "./events.js";
import { TREASURY_ADDRESS } from "./keeper.js";
import { checkAmount } from "./validate.js";

export const msgFundCommunityPool: MsgDefinition<MsgFundCommunityPool> = {
  typeUrl: "/cosmos.distribution.v1beta1.MsgFundCommunityPool",
  type: MsgFundCommunityPool,
  schema: {
    name: "cosmos.distribution.v1beta1.MsgFundCommunityPool",
    fields: {
      1: { name: "amount", kind: { message: () => CoinSchema }, repeated: true },
      2: { name: "depositor", kind: "string" },
    },
  },
  signers: (msg) => [msg.depositor],
  validateBasic(msg) {
    decodeAddress(msg.depositor);
    checkAmount(msg.amount);
  },
  handle(ctx, msg) {
    sendCoins(ctx, msg.depositor, TREASURY_ADDRESS, msg.amount);
    ctx.emit(poolFunded(msg.depositor, msg.amount));
    return {
      typeUrl: "/cosmos.distribution.v1beta1.MsgFundCommunityPoolResponse",
      value: MsgFundCommunityPoolResponse.encode({}).finish(),
    };
  },
};
