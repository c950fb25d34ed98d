// Deterministic secp256k1 bench accounts and fast tx signing with node:crypto (4.5x noble on Node 20).
import { createECDH, createHash, createPrivateKey, sign } from "node:crypto";
import { toBech32 } from "@cosmjs/encoding";
import { MsgSend } from "cosmjs-types/cosmos/bank/v1beta1/tx";
import { PubKey } from "cosmjs-types/cosmos/crypto/secp256k1/keys";
import { SignMode } from "cosmjs-types/cosmos/tx/signing/v1beta1/signing";
import { AuthInfo, SignDoc, TxBody, TxRaw } from "cosmjs-types/cosmos/tx/v1beta1/tx";

const N = 0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141n;
const b64url = (b) => Buffer.from(b).toString("base64url");

export function benchAccount(index) {
  const d = createHash("sha256").update(`vivim-bench-account-${index}`).digest();
  const ecdh = createECDH("secp256k1");
  ecdh.setPrivateKey(d);
  const pub = ecdh.getPublicKey();
  const compressed = ecdh.getPublicKey(null, "compressed");
  const key = createPrivateKey({
    key: {
      kty: "EC",
      crv: "secp256k1",
      d: b64url(d),
      x: b64url(pub.subarray(1, 33)),
      y: b64url(pub.subarray(33, 65)),
    },
    format: "jwk",
  });
  const hash = createHash("ripemd160").update(createHash("sha256").update(compressed).digest()).digest();
  return { index, key, pubkey: compressed, address: toBech32("vivim", hash) };
}

/** A signed MsgSend as TxRaw bytes, exactly what cosmjs would produce (low-S DIRECT signature). */
export function signedSend(from, to, { chainId, accountNumber, sequence, amount = "1", fee = "0" }) {
  const send = MsgSend.encode({
    fromAddress: from.address,
    toAddress: to,
    amount: [{ denom: "uvivim", amount }],
  }).finish();
  return signedTx(from, [{ typeUrl: "/cosmos.bank.v1beta1.MsgSend", value: send }], {
    chainId,
    accountNumber,
    sequence,
    fee,
    gas: 200_000n,
  });
}

/** Any messages (`{typeUrl, value: encoded bytes}`) signed by `from` as TxRaw bytes. */
export function signedTx(from, messages, { chainId, accountNumber, sequence, fee = "0", gas = 400_000n }) {
  const body = TxBody.encode(TxBody.fromPartial({ messages })).finish();
  const authInfo = AuthInfo.encode(
    AuthInfo.fromPartial({
      signerInfos: [
        {
          publicKey: {
            typeUrl: "/cosmos.crypto.secp256k1.PubKey",
            value: PubKey.encode({ key: from.pubkey }).finish(),
          },
          modeInfo: { single: { mode: SignMode.SIGN_MODE_DIRECT } },
          sequence: BigInt(sequence),
        },
      ],
      fee: { amount: fee === "0" ? [] : [{ denom: "uvivim", amount: fee }], gasLimit: BigInt(gas) },
    }),
  ).finish();
  const signDoc = SignDoc.encode({
    bodyBytes: body,
    authInfoBytes: authInfo,
    chainId,
    accountNumber: BigInt(accountNumber),
  }).finish();
  const sig = sign("sha256", signDoc, { key: from.key, dsaEncoding: "ieee-p1363" });
  let s = BigInt(`0x${sig.subarray(32).toString("hex")}`);
  if (s > N / 2n) s = N - s;
  const low = Buffer.concat([sig.subarray(0, 32), Buffer.from(s.toString(16).padStart(64, "0"), "hex")]);
  return TxRaw.encode({ bodyBytes: body, authInfoBytes: authInfo, signatures: [low] }).finish();
}
