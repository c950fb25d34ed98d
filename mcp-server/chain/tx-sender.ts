/**
 * Builds, signs and broadcasts an identity's transactions, as a wallet would, with no per-call
 * round trips beyond the two that matter: a simulation (for the gas) and broadcast_tx_sync.
 *
 * Account number and sequence are cached per address and advanced locally, and one lock per
 * address covers only sign + CheckTx, so many concurrent calls of one identity pipeline into the
 * same block instead of waiting for each other's commits. A sequence mismatch (someone else used the
 * key) refreshes the account from the chain and retries once. Commits are awaited through the
 * CommitWatcher; with `wait: false` the hash returns right after CheckTx.
 */
import { encodeSecp256k1Pubkey } from "@cosmjs/amino";
import { sha256 } from "@cosmjs/crypto";
import { fromBase64, toHex } from "@cosmjs/encoding";
import {
  type EncodeObject,
  encodePubkey,
  makeAuthInfoBytes,
  makeSignDoc,
  type OfflineDirectSigner,
  type Registry,
} from "@cosmjs/proto-signing";
import { accountFromAny, calculateFee, GasPrice, type StdFee } from "@cosmjs/stargate";
import type { CometClient } from "@cosmjs/tendermint-rpc";
import { QueryAccountRequest, QueryAccountResponse } from "cosmjs-types/cosmos/auth/v1beta1/query";
import { TxMsgData } from "cosmjs-types/cosmos/base/abci/v1beta1/abci";
import { SignMode } from "cosmjs-types/cosmos/tx/signing/v1beta1/signing";
import { SimulateRequest, SimulateResponse } from "cosmjs-types/cosmos/tx/v1beta1/service";
import { SignDoc, TxBody, TxRaw } from "cosmjs-types/cosmos/tx/v1beta1/tx";
import { McpToolError } from "../errors.js";
import { queryError } from "./chain-reader.js";
import type { CommittedTxResult, CommitWatcher } from "./commit-watcher.js";

const GAS_ADJUSTMENT = 1.4;
const COMMIT_TIMEOUT_MS = 30_000;

export interface TxOutcome {
  readonly txHash: string;
  /** 0 while not yet committed (`wait: false`). */
  readonly height: number;
  readonly committed: boolean;
  readonly msgResponses: ReadonlyArray<{ typeUrl: string; value: Uint8Array }>;
  readonly events: CommittedTxResult["events"];
}

/** What a client needs to sign a tx itself (SIGN_MODE_DIRECT) and send it with broadcast_signed_tx. */
export interface UnsignedTx {
  readonly chainId: string;
  readonly accountNumber: string;
  readonly sequence: string;
  readonly bodyBytes: string;
  readonly authInfoBytes: string;
  /** Base64 SignDoc: sign its bytes with the identity's key. */
  readonly signDoc: string;
  readonly gasLimit: string;
  readonly fee: string;
}

export interface SignerIdentity {
  readonly address: string;
  readonly signer: OfflineDirectSigner;
}

interface AccountState {
  accountNumber: number;
  sequence: number;
  pubkey?: Uint8Array;
}

export class TxSender {
  private readonly accounts = new Map<string, AccountState>();
  private readonly locks = new Map<string, Promise<unknown>>();
  private readonly gasPrice: GasPrice;

  constructor(
    private readonly comet: CometClient,
    private readonly registry: Registry,
    private readonly chainId: string,
    private readonly watcher: CommitWatcher,
    gasPrice = "0.025uvivim",
  ) {
    this.gasPrice = GasPrice.fromString(gasPrice);
  }

  /** Signs and broadcasts; waits for the block unless `wait` is false. Refusals throw CHAIN_REFUSED. */
  async send(
    id: SignerIdentity,
    msgs: readonly EncodeObject[],
    opts: { memo?: string; wait?: boolean } = {},
  ): Promise<TxOutcome> {
    const { hash, committed } = await this.withLock(id.address, () =>
      this.signAndCheck(id, msgs, opts.memo ?? "", opts.wait !== false, true),
    );
    if (!committed) return { txHash: hash, height: 0, committed: false, msgResponses: [], events: [] };
    return outcomeOf(hash, await this.awaitCommit(hash, committed));
  }

  /** Broadcasts a tx the client signed itself (TxRaw bytes) and waits for its block unless told not to. */
  async broadcastSigned(txBytes: Uint8Array, wait: boolean): Promise<TxOutcome> {
    const hash = toHex(sha256(txBytes)).toUpperCase();
    const committed = wait ? this.watcher.waitFor(hash, COMMIT_TIMEOUT_MS) : undefined;
    const check = await this.broadcastSync(txBytes);
    if (check.code !== 0) throw refused(check.codespace, check.code, check.log, "");
    if (!committed) return { txHash: hash, height: 0, committed: false, msgResponses: [], events: [] };
    return outcomeOf(hash, await this.awaitCommit(hash, committed));
  }

  /** The tx for `address` to sign itself: body, auth info and SignDoc at the account's next sequence. */
  async unsigned(
    address: string,
    pubkey: Uint8Array | undefined,
    msgs: readonly EncodeObject[],
    memo = "",
  ): Promise<UnsignedTx> {
    const account = await this.fetchAccount(address);
    // The signer info must name the public key, or no signature over the SignDoc can verify.
    const key = pubkey ?? account.pubkey;
    if (!key) {
      throw new McpToolError(
        "NOT_PERMITTED",
        `the public key of ${address} is not known yet: sign its first tx with a wallet, or create the MCP key on a node whose keyring holds it`,
      );
    }
    const { signDoc, gas, fee } = await this.signDocFor(key, account, msgs, memo);
    const b64 = (b: Uint8Array) => Buffer.from(b).toString("base64");
    return {
      chainId: this.chainId,
      accountNumber: String(account.accountNumber),
      sequence: String(account.sequence),
      bodyBytes: b64(signDoc.bodyBytes),
      authInfoBytes: b64(signDoc.authInfoBytes),
      signDoc: b64(SignDoc.encode(signDoc).finish()),
      gasLimit: String(gas),
      fee: fee.amount.map((c) => `${c.amount}${c.denom}`).join(","),
    };
  }

  private async signAndCheck(
    id: SignerIdentity,
    msgs: readonly EncodeObject[],
    memo: string,
    wait: boolean,
    retryOnSequence: boolean,
  ): Promise<{ hash: string; committed: Promise<CommittedTxResult | undefined> | undefined }> {
    const account = this.accounts.get(id.address) ?? (await this.fetchAccount(id.address));
    const [signerAccount] = (await id.signer.getAccounts()).filter((a) => a.address === id.address);
    if (!signerAccount)
      throw new McpToolError("NOT_PERMITTED", `the node's keyring holds no key for ${id.address}`);
    const { signDoc } = await this.signDocFor(signerAccount.pubkey, account, msgs, memo);
    const { signature, signed } = await id.signer.signDirect(id.address, signDoc);
    const txBytes = TxRaw.encode({
      bodyBytes: signed.bodyBytes,
      authInfoBytes: signed.authInfoBytes,
      signatures: [fromBase64(signature.signature)],
    }).finish();
    const hash = toHex(sha256(txBytes)).toUpperCase();
    const committed = wait ? this.watcher.waitFor(hash, COMMIT_TIMEOUT_MS) : undefined;
    const check = await this.broadcastSync(txBytes);
    if (check.code === 0) {
      this.accounts.set(id.address, { ...account, sequence: account.sequence + 1 });
      return { hash, committed };
    }
    if (check.codespace === "sdk" && (check.code === 32 || check.code === 3) && retryOnSequence) {
      this.accounts.set(id.address, await this.fetchAccount(id.address));
      return this.signAndCheck(id, msgs, memo, wait, false);
    }
    throw refused(check.codespace, check.code, check.log, "");
  }

  /**
   * The SignDoc for `msgs` at the account's sequence, its gas from a simulation of the very body and
   * auth info that will be signed (encoded once), and the fee for that gas.
   */
  private async signDocFor(
    pubkey: Uint8Array,
    account: AccountState,
    msgs: readonly EncodeObject[],
    memo: string,
  ): Promise<{ signDoc: SignDoc; gas: number; fee: StdFee }> {
    const bodyBytes = TxBody.encode(
      TxBody.fromPartial({ messages: msgs.map((m) => this.registry.encodeAsAny(m)), memo }),
    ).finish();
    const signerInfos = [{ pubkey: encodePubkey(encodeSecp256k1Pubkey(pubkey)), sequence: account.sequence }];
    // Simulation takes the tx unsigned, with an empty fee and one empty signature.
    const probe = TxRaw.encode({
      bodyBytes,
      authInfoBytes: makeAuthInfoBytes(
        signerInfos,
        [],
        0,
        undefined,
        undefined,
        SignMode.SIGN_MODE_UNSPECIFIED,
      ),
      signatures: [new Uint8Array()],
    }).finish();
    const r = await this.abci(
      "/cosmos.tx.v1beta1.Service/Simulate",
      SimulateRequest.encode({ tx: undefined, txBytes: probe }).finish(),
    );
    if (r.code) throw refused(r.codespace ?? "", r.code, r.log ?? "", "");
    const gas = Math.round(Number(SimulateResponse.decode(r.value).gasInfo?.gasUsed ?? 0n) * GAS_ADJUSTMENT);
    const fee = calculateFee(gas, this.gasPrice);
    const authInfoBytes = makeAuthInfoBytes(signerInfos, fee.amount, gas, undefined, undefined);
    return { signDoc: makeSignDoc(bodyBytes, authInfoBytes, this.chainId, account.accountNumber), gas, fee };
  }

  private async fetchAccount(address: string): Promise<AccountState> {
    const r = await this.abci(
      "/cosmos.auth.v1beta1.Query/Account",
      QueryAccountRequest.encode({ address }).finish(),
    );
    if (r.code) {
      if (r.codespace === "sdk" && r.code === 38) {
        throw new McpToolError(
          "NOT_PERMITTED",
          `${address} has no account on chain yet: it needs funds before it can act`,
        );
      }
      throw queryError(r.codespace ?? "", r.code, r.log ?? "");
    }
    const any = QueryAccountResponse.decode(r.value).account;
    if (!any) throw new McpToolError("NOT_FOUND", `account ${address} does not exist`);
    const account = accountFromAny(any);
    const pubkey = account.pubkey ? fromBase64(account.pubkey.value as string) : undefined;
    return {
      accountNumber: Number(account.accountNumber),
      sequence: Number(account.sequence),
      ...(pubkey ? { pubkey } : {}),
    };
  }

  private async abci(path: string, data: Uint8Array) {
    try {
      return await this.comet.abciQuery({ path, data });
    } catch (e) {
      throw new McpToolError("CHAIN_UNAVAILABLE", `the node did not answer (${(e as Error).message})`);
    }
  }

  private async broadcastSync(tx: Uint8Array): Promise<{ code: number; codespace: string; log: string }> {
    try {
      const r = await this.comet.broadcastTxSync({ tx });
      return { code: r.code, codespace: r.codespace ?? "", log: r.log ?? "" };
    } catch (e) {
      throw new McpToolError("CHAIN_UNAVAILABLE", `the node did not take the tx (${(e as Error).message})`);
    }
  }

  private async awaitCommit(
    hash: string,
    committed: Promise<CommittedTxResult | undefined>,
  ): Promise<CommittedTxResult> {
    const seen = await committed;
    if (seen) return seen;
    // The watcher missed it (reconnecting) or the block is late: ask the node once.
    try {
      const r = await this.comet.tx({ hash: Buffer.from(hash, "hex") });
      return {
        hash,
        height: Number(r.height),
        code: r.result.code,
        codespace: r.result.codespace ?? "",
        log: r.result.log ?? "",
        data: r.result.data ? Buffer.from(r.result.data).toString("base64") : "",
        events: r.result.events.map((e) => ({
          type: e.type,
          attributes: e.attributes.map((a) => ({ key: a.key, value: a.value })),
        })),
      };
    } catch {
      throw new McpToolError(
        "TIMEOUT",
        `tx ${hash} was accepted but not committed within ${COMMIT_TIMEOUT_MS / 1000} s; look it up later by its hash`,
        { txHash: hash },
      );
    }
  }

  private async withLock<T>(address: string, fn: () => Promise<T>): Promise<T> {
    const previous = this.locks.get(address) ?? Promise.resolve();
    const run = previous.then(fn, fn);
    const tail = run.catch(() => undefined);
    this.locks.set(address, tail);
    try {
      return await run;
    } finally {
      if (this.locks.get(address) === tail) this.locks.delete(address);
    }
  }
}

function refused(codespace: string, code: number, log: string, txHash: string): McpToolError {
  const retry = /retry_after=(\d+)/.exec(log);
  return new McpToolError("CHAIN_REFUSED", `the chain refused the action (${codespace}/${code}): ${log}`, {
    codespace,
    chainCode: code,
    ...(txHash ? { txHash } : {}),
    ...(retry ? { retryAfter: Number(retry[1]) } : {}),
  });
}

function outcomeOf(hash: string, r: CommittedTxResult): TxOutcome {
  if (r.code !== 0) {
    // A failed DeliverTx still used the sequence; nothing of it was applied.
    throw refused(r.codespace, r.code, r.log, hash);
  }
  const data = r.data ? TxMsgData.decode(Buffer.from(r.data, "base64")) : undefined;
  return {
    txHash: hash,
    height: r.height,
    committed: true,
    msgResponses: data?.msgResponses ?? [],
    events: r.events,
  };
}
