/**
 * A minimal MsgDefinition for /cosmos.bank.v1beta1.MsgSend, for tx decoding tests only. The real
 * bank module (contracts/bank) owns the production definition; this one cannot be executed.
 */
import { MsgSend } from "cosmjs-types/cosmos/bank/v1beta1/tx";
import type { MessageSchema } from "../../chain/codec/schema.js";
import { decodeAddress } from "../../chain/crypto/address.js";
import { CodedError, SdkErrors } from "../../chain/errors/codes.js";
import { CoinSchema } from "../../chain/tx/schemas.js";
import type { MsgDefinition } from "../../contracts/types.js";

export const MSG_SEND_TYPE_URL = "/cosmos.bank.v1beta1.MsgSend";

export const MsgSendSchema: MessageSchema = {
  name: "cosmos.bank.v1beta1.MsgSend",
  fields: {
    1: { name: "from_address", kind: "string" },
    2: { name: "to_address", kind: "string" },
    3: { name: "amount", kind: { message: () => CoinSchema }, repeated: true },
  },
};

export const testMsgSend: MsgDefinition<MsgSend> = {
  typeUrl: MSG_SEND_TYPE_URL,
  type: MsgSend,
  schema: MsgSendSchema,
  signers: (msg) => [msg.fromAddress],
  validateBasic(msg) {
    decodeAddress(msg.fromAddress);
    decodeAddress(msg.toAddress);
    if (msg.amount.length === 0) throw new CodedError(SdkErrors.InvalidCoins, "empty amount");
    for (const c of msg.amount) {
      if (!/^[1-9][0-9]*$/.test(c.amount))
        throw new CodedError(SdkErrors.InvalidCoins, `invalid amount ${c.amount}`);
    }
  },
  handle() {
    throw new CodedError(SdkErrors.NotSupported, "test MsgSend cannot be executed");
  },
};
