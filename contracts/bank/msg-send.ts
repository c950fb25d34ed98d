import { MsgSend, MsgSendResponse } from "cosmjs-types/cosmos/bank/v1beta1/tx";
import { decodeAddress } from "../../chain/crypto/address.js";
import { CodedError, SdkErrors } from "../../chain/errors/codes.js";
import { CoinSchema } from "../../chain/tx/schemas.js";
import { validateCoins } from "../lib/coins.js";
import type { MsgDefinition } from "../types.js";
import { sendCoins } from "./keeper.js";
import { assertSendEnabled } from "./params.js";

const MAX_COINS_PER_SEND = 16;

export const msgSend: MsgDefinition<MsgSend> = {
  typeUrl: "/cosmos.bank.v1beta1.MsgSend",
  type: MsgSend,
  schema: {
    name: "cosmos.bank.v1beta1.MsgSend",
    fields: {
      1: { name: "from_address", kind: "string" },
      2: { name: "to_address", kind: "string" },
      3: { name: "amount", kind: { message: () => CoinSchema }, repeated: true },
    },
  },
  signers: (msg) => [msg.fromAddress],
  validateBasic(msg) {
    decodeAddress(msg.fromAddress);
    decodeAddress(msg.toAddress);
    if (msg.amount.length === 0)
      throw new CodedError(SdkErrors.InvalidCoins, "send amount must not be empty");
    if (msg.amount.length > MAX_COINS_PER_SEND) {
      throw new CodedError(SdkErrors.InvalidCoins, `at most ${MAX_COINS_PER_SEND} denoms per send`);
    }
    validateCoins(msg.amount);
  },
  handle(ctx, msg) {
    assertSendEnabled(ctx.store, msg.amount);
    sendCoins(ctx, msg.fromAddress, msg.toAddress, msg.amount);
    return {
      typeUrl: "/cosmos.bank.v1beta1.MsgSendResponse",
      value: MsgSendResponse.encode({}).finish(),
    };
  },
};
