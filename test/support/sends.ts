/**
 * MsgSend txs signed offline with the unmodified cosmjs client, as TxRaw bytes: tests that need
 * several txs of one account in flight at once (a burst, a held write, a kill mid-stream) sign
 * them ahead with consecutive sequences.
 */
import { SigningStargateClient } from "@cosmjs/stargate";
import { TxRaw } from "cosmjs-types/cosmos/tx/v1beta1/tx";
import type { TestAccount } from "./node.js";

const fee = { amount: [{ denom: "uvivim", amount: "100" }], gas: "200000" };

export interface SignedSendsOptions {
  readonly count: number;
  /** The first tx's sequence; by default the account's sequence as the node's RPC reports it. */
  readonly firstSequence?: number;
  readonly amount?: string;
  readonly memo?: (index: number) => string;
}

export async function signedSends(
  rpcUrl: string,
  from: TestAccount,
  toAddress: string,
  opts: SignedSendsOptions,
): Promise<Uint8Array[]> {
  const client = await SigningStargateClient.connectWithSigner(rpcUrl, from.wallet);
  try {
    const { accountNumber, sequence } = await client.getSequence(from.address);
    const chainId = await client.getChainId();
    const first = opts.firstSequence ?? sequence;
    const msg = {
      typeUrl: "/cosmos.bank.v1beta1.MsgSend",
      value: {
        fromAddress: from.address,
        toAddress,
        amount: [{ denom: "uvivim", amount: opts.amount ?? "1" }],
      },
    };
    const out: Uint8Array[] = [];
    for (let i = 0; i < opts.count; i++) {
      const signed = await client.sign(from.address, [msg], fee, opts.memo?.(i) ?? "", {
        accountNumber,
        sequence: first + i,
        chainId,
      });
      out.push(TxRaw.encode(signed).finish());
    }
    return out;
  } finally {
    client.disconnect();
  }
}
