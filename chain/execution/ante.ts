/**
 * The ante handler: what every tx pays and proves before its messages run. Its writes (fee,
 * sequence, public key) persist even when a message later fails, as in the Cosmos SDK.
 */
import type { Any } from "cosmjs-types/google/protobuf/any";
import { getAccount, moduleAddress, setAccount } from "../../contracts/auth/keeper.js";
import { getAuthParams } from "../../contracts/auth/params.js";
import { getBalance, sendCoins } from "../../contracts/bank/keeper.js";
import { BASE_DENOM, formatCoins } from "../../contracts/lib/coins.js";
import type { ExecContext } from "../../contracts/types.js";
import { bytesEqual, toBase64 } from "../crypto/hash.js";
import { CodedError, SdkErrors } from "../errors/codes.js";
import type { DecodedSigner, DecodedTx } from "../tx/decode.js";

export const FEE_COLLECTOR = moduleAddress("fee_collector");
/** A 64-byte signature plus its protobuf tag and length. */
const SIGNATURE_WIRE_BYTES = 66;

export type TxMode = "check" | "deliver" | "simulate";

export interface AnteOptions {
  readonly mode: TxMode;
  readonly chainId: string;
  /** Minimum gas prices for CheckTx (node-local, as Cosmos `minimum-gas-prices`). */
  readonly minGasPrices: ReadonlyArray<{ denom: string; amount: number }>;
  /** Whether `signer`'s signature over `tx` is valid for the given account number. */
  readonly verifySignature: (tx: DecodedTx, signer: DecodedSigner, accountNumber: bigint) => boolean;
}

const PUBKEY_TYPE_URL = {
  secp256k1: "/cosmos.crypto.secp256k1.PubKey",
  ed25519: "/cosmos.crypto.ed25519.PubKey",
} as const;

/** Encodes PubKey{key=1 bytes} without pulling per-type codecs in. */
function pubKeyAny(signer: DecodedSigner): Any {
  const value = new Uint8Array(2 + signer.pubkey.length);
  value[0] = 0x0a;
  value[1] = signer.pubkey.length;
  value.set(signer.pubkey, 2);
  return { typeUrl: PUBKEY_TYPE_URL[signer.pubkeyType], value };
}

export function runAnte(ctx: ExecContext, tx: DecodedTx, opts: AnteOptions): void {
  const params = getAuthParams(ctx.store);
  if (tx.timeoutHeight !== 0n && ctx.block.height > tx.timeoutHeight) {
    throw new CodedError(
      SdkErrors.TxTimeoutHeight,
      `block height: ${ctx.block.height}, timeout height: ${tx.timeoutHeight}`,
    );
  }
  if (BigInt([...tx.memo].length) > params.maxMemoCharacters) {
    throw new CodedError(
      SdkErrors.MemoTooLarge,
      `maximum number of characters is ${params.maxMemoCharacters}`,
    );
  }
  if (BigInt(tx.signers.length) > params.txSigLimit) {
    throw new CodedError(
      SdkErrors.TooManySignatures,
      `signatures: ${tx.signers.length}, limit: ${params.txSigLimit}`,
    );
  }
  ctx.gas.consume(Number(params.txSizeCostPerByte) * tx.bytes.length, "txSize");
  if (opts.mode === "simulate") {
    // A simulated tx carries empty signatures; charge for the bytes the real ones will add.
    ctx.gas.consume(
      Number(params.txSizeCostPerByte) * SIGNATURE_WIRE_BYTES * tx.signers.length,
      "txSize (signatures)",
    );
  }

  if (opts.mode === "check") checkMinimumFee(tx, opts.minGasPrices);

  for (const signer of tx.signers) {
    const account = getAccount(ctx.store, signer.address);
    if (!account) throw new CodedError(SdkErrors.UnknownAddress, `account ${signer.address} not found`);
    if (account.pubKey && !bytesEqual(account.pubKey.value, pubKeyAny(signer).value)) {
      throw new CodedError(
        SdkErrors.InvalidPubKey,
        `pubkey does not match the one on record for ${signer.address}`,
      );
    }
    ctx.gas.consume(
      Number(signer.pubkeyType === "secp256k1" ? params.sigVerifyCostSecp256k1 : params.sigVerifyCostEd25519),
      "signature verification",
    );
    if (opts.mode !== "simulate" && !opts.verifySignature(tx, signer, account.accountNumber)) {
      throw new CodedError(
        SdkErrors.Unauthorized,
        `signature verification failed; please verify account number (${account.accountNumber}) and chain-id (${opts.chainId})`,
      );
    }
    if (signer.sequence !== account.sequence) {
      throw new CodedError(
        SdkErrors.WrongSequence,
        `account sequence mismatch, expected ${account.sequence}, got ${signer.sequence}`,
      );
    }
    setAccount(ctx.store, {
      ...account,
      pubKey: account.pubKey ?? pubKeyAny(signer),
      sequence: account.sequence + 1n,
    });
  }

  if (tx.fee.granter) throw new CodedError(SdkErrors.NotSupported, "fee grants");
  const feePayer = tx.fee.payer || tx.signers[0]!.address;
  if (!tx.signers.some((s) => s.address === feePayer)) {
    throw new CodedError(SdkErrors.InvalidRequest, `fee payer ${feePayer} must sign the tx`);
  }
  if (tx.fee.amount.length > 0) sendCoins(ctx, feePayer, FEE_COLLECTOR, tx.fee.amount);
  else if (opts.mode === "simulate") chargeSimulatedFee(ctx, feePayer);
  // One `tx` event carries what Cosmos spreads over three (fee, acc_seq, signature): the same
  // composite keys (tx.fee_payer, tx.acc_seq, ...) for queries, a third of the leaves and index rows.
  ctx.emit({
    type: "tx",
    attributes: [
      { key: "fee", value: formatCoins(tx.fee.amount), index: false },
      { key: "fee_payer", value: feePayer, index: true },
      ...tx.signers.map((s) => ({ key: "acc_seq", value: `${s.address}/${s.sequence}`, index: true })),
      ...tx.signers.map((s) => ({ key: "signature", value: toBase64(s.signature), index: false })),
    ],
  });
}

/**
 * cosmjs simulates with an empty fee, but the real tx will pay one: run the same deduction with one
 * base unit (when the payer has it) so the estimate includes the fee transfer's gas.
 */
function chargeSimulatedFee(ctx: ExecContext, payer: string): void {
  if (getBalance(ctx.store, payer, BASE_DENOM) >= 1n)
    sendCoins(ctx, payer, FEE_COLLECTOR, [{ denom: BASE_DENOM, amount: "1" }]);
}

function checkMinimumFee(tx: DecodedTx, minGasPrices: AnteOptions["minGasPrices"]): void {
  for (const price of minGasPrices) {
    if (price.amount <= 0) continue;
    const required = BigInt(Math.ceil(price.amount * Number(tx.fee.gasLimit)));
    const offered = BigInt(tx.fee.amount.find((c) => c.denom === price.denom)?.amount ?? "0");
    if (offered < required) {
      throw new CodedError(
        SdkErrors.InsufficientFee,
        `got: ${formatCoins(tx.fee.amount) || "0"} required: ${required}${price.denom}`,
      );
    }
  }
}
