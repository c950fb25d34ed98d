/**
 * What happened to a tx, whichever way the chain refused it: a CheckTx refusal (cosmjs throws
 * BroadcastTxError) and a failed DeliverTx (cosmjs returns a result without the codespace, which
 * the node's `tx` endpoint has) both come back as {code, codespace, log}.
 */
import { fromHex } from "@cosmjs/encoding";
import type { EncodeObject } from "@cosmjs/proto-signing";
import {
  BroadcastTxError,
  type DeliverTxResponse,
  type SigningStargateClient,
  type StdFee,
} from "@cosmjs/stargate";
import type { CometClient } from "@cosmjs/tendermint-rpc";
import { expect } from "vitest";

export interface Outcome {
  readonly code: number;
  readonly codespace: string;
  readonly log: string;
  /** Set when the tx reached a block (it paid its fee, refused or not). */
  readonly result?: DeliverTxResponse;
}

export async function txOutcome(
  client: SigningStargateClient,
  comet: CometClient,
  from: string,
  msgs: readonly EncodeObject[],
  fee: StdFee,
): Promise<Outcome> {
  try {
    const result = await client.signAndBroadcast(from, [...msgs], fee);
    if (result.code === 0) return { code: 0, codespace: "", log: "", result };
    const tx = await comet.tx({ hash: fromHex(result.transactionHash) });
    return { code: tx.result.code, codespace: tx.result.codespace ?? "", log: tx.result.log ?? "", result };
  } catch (err) {
    if (err instanceof BroadcastTxError)
      return { code: err.code, codespace: err.codespace, log: err.log ?? "" };
    throw err;
  }
}

/** The committed result of a tx that must have succeeded (the log says why when it did not). */
export function committed(o: Outcome): DeliverTxResponse {
  expect(o.log).toBe("");
  expect(o.code).toBe(0);
  return o.result!;
}

export const codeOf = (o: Outcome): { codespace: string; code: number } => ({
  codespace: o.codespace,
  code: o.code,
});
