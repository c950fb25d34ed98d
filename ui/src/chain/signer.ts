/**
 * The in-browser signing stack, loaded on demand (it is most of the app's weight): derives a key
 * from a recovery phrase as the node's keyring does (BIP-39, m/44'/118'/0'/0/0, secp256k1), signs
 * and broadcasts VIVIM Msgs with cosmjs's SigningStargateClient to the node's RPC, and answers the
 * live stream's ADR-036 challenge. The Msg types come from contracts/social/tx.ts, the definitions
 * the node itself executes, so the app and the chain cannot disagree on an encoding. A Keplr
 * account signs the same way through the extension (fromKeplr): the app never holds its key.
 */
import {
  makeCosmoshubPath,
  makeSignDoc,
  rawSecp256k1PubkeyToRawAddress,
  Secp256k1Wallet,
} from "@cosmjs/amino";
import { Bip39, EnglishMnemonic, Secp256k1, Slip10, Slip10Curve } from "@cosmjs/crypto";
import { toBase64, toBech32 } from "@cosmjs/encoding";
import {
  DirectSecp256k1Wallet,
  type EncodeObject,
  type GeneratedType,
  type OfflineDirectSigner,
  Registry,
} from "@cosmjs/proto-signing";
import type { SigningStargateClient } from "@cosmjs/stargate";
import { MsgDeposit as GovMsgDeposit, MsgVote as GovMsgVote } from "cosmjs-types/cosmos/gov/v1/tx";
// CHAT (assistant): the Msgs the chat signs besides the ones above.
import { MsgCreateBounty } from "../../../contracts/escrow/tx.js";
import { MsgRate } from "../../../contracts/reputation/tx.js";
import { VoteDirection } from "../../../contracts/social/enums.js";
// SOCIAL (profiles)
import {
  MsgCreateComment,
  MsgCreatePost,
  MsgFollow,
  MsgJoinCommunity,
  MsgLeaveCommunity,
  MsgUnfollow,
  MsgVote,
} from "../../../contracts/social/tx.js";
import type { Keplr } from "./keplr.js";

const CHAT_MSGS = [MsgFollow, MsgRate, MsgCreateBounty] as const;

/** The Msgs this app signs, by type URL. */
const APP_MSGS = [MsgVote, MsgCreateComment, MsgCreatePost, MsgJoinCommunity, MsgLeaveCommunity] as const;

export function appRegistry(): Registry {
  return new Registry([
    ...APP_MSGS.map((m): [string, GeneratedType] => [m.typeUrl, m as unknown as GeneratedType]),
    // OPS (governance): x/gov v1 votes and deposits.
    ["/cosmos.gov.v1.MsgVote", GovMsgVote as unknown as GeneratedType],
    ["/cosmos.gov.v1.MsgDeposit", GovMsgDeposit as unknown as GeneratedType],
    // CHAT (assistant): follow, rate, bounty.
    ...CHAT_MSGS.map((m): [string, GeneratedType] => [m.typeUrl, m as unknown as GeneratedType]),
    // SOCIAL (profiles): unfollow.
    [MsgUnfollow.typeUrl, MsgUnfollow as unknown as GeneratedType],
  ]);
}

export interface DerivedKey {
  readonly address: string;
  readonly privkey: Uint8Array;
  /** Compressed secp256k1 public key. */
  readonly pubkey: Uint8Array;
}

export class InvalidMnemonicError extends Error {
  constructor() {
    super("That is not a valid recovery phrase (12 or 24 English words).");
    this.name = "InvalidMnemonicError";
  }
}

export function normalizeMnemonic(text: string): string {
  return text.trim().toLowerCase().split(/\s+/).join(" ");
}

export async function deriveKey(mnemonic: string, prefix: string): Promise<DerivedKey> {
  let phrase: EnglishMnemonic;
  try {
    phrase = new EnglishMnemonic(normalizeMnemonic(mnemonic));
  } catch {
    throw new InvalidMnemonicError();
  }
  const seed = await Bip39.mnemonicToSeed(phrase);
  const { privkey } = Slip10.derivePath(Slip10Curve.Secp256k1, seed, makeCosmoshubPath(0));
  const { pubkey } = await Secp256k1.makeKeypair(privkey);
  const compressed = Secp256k1.compressPubkey(pubkey);
  return {
    address: toBech32(prefix, rawSecp256k1PubkeyToRawAddress(compressed)),
    privkey,
    pubkey: compressed,
  };
}

export interface TxResult {
  readonly txHash: string;
  readonly height: number;
}

/** A refusal by the chain (or an unreachable node), worded for a person. */
export class TxError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "TxError";
  }
}

/** The chain's reason, without cosmjs's wrapping, codes or stack. */
export function describeTxError(err: unknown): string {
  const raw = err instanceof Error ? err.message : String(err);
  if (/fetch|network|ECONNREFUSED|Failed to fetch|socket/i.test(raw)) {
    return "Cannot reach the node to send this. Is the network running?";
  }
  let reason = raw
    .replace(/^Broadcasting transaction failed with code \d+ \(codespace: [^)]*\)\. Log: /, "")
    .replace(/^Query failed with \(\d+\): /, "")
    .replace(/^rpc error: code = \w+ desc = /, "")
    .replace(/failed to execute message; message index: \d+: /, "")
    .replace(/: (unknown request|invalid request|invalid field|unauthorized)$/, "")
    .replace(/ \[[^\]]*\]$/, "")
    .replace(/vivim1[0-9a-z]{38,}/g, (a) => `${a.slice(0, 10)}…${a.slice(-4)}`)
    .trim();
  if (/insufficient fee|insufficient funds/i.test(reason)) reason = "This account cannot pay the fee.";
  if (/rate limit|retry_after/i.test(reason))
    reason = "Slow down a little: the network limits how fast one account can act.";
  if (reason.length > 180) reason = `${reason.slice(0, 177)}…`;
  if (!reason) return "The network refused this action.";
  return /^(The network|This account|Slow down)/.test(reason)
    ? reason
    : `The network refused this: ${reason}.`;
}

/** An ADR-036 signature: base64 compressed public key and base64 signature. */
export interface ArbitrarySignature {
  readonly pub_key: string;
  readonly signature: string;
}

/** Where an account's signatures come from: a key on this device, or the Keplr extension. */
interface AccountKeys {
  directSigner(): Promise<OfflineDirectSigner>;
  signArbitrary(text: string): Promise<ArbitrarySignature>;
  /** The private key, only when this device holds it. */
  readonly privkey?: Uint8Array;
}

function deviceKeys(key: DerivedKey, prefix: string): AccountKeys {
  return {
    privkey: key.privkey,
    directSigner: () => DirectSecp256k1Wallet.fromKey(key.privkey, prefix),
    async signArbitrary(text) {
      const wallet = await Secp256k1Wallet.fromKey(key.privkey, prefix);
      const data = toBase64(new TextEncoder().encode(text));
      const doc = makeSignDoc(
        [{ type: "sign/MsgSignData", value: { signer: key.address, data } }],
        { gas: "0", amount: [] },
        "",
        "",
        0,
        0,
      );
      const { signature } = await wallet.signAmino(key.address, doc);
      return { pub_key: signature.pub_key.value, signature: signature.signature };
    },
  };
}

/** Keplr signs transactions (sign mode direct) and ADR-036 texts (signArbitrary) itself. */
function keplrKeys(keplr: Keplr, chainId: string, address: string): AccountKeys {
  return {
    directSigner: async () => keplr.getOfflineSigner(chainId) as unknown as OfflineDirectSigner,
    async signArbitrary(text) {
      const s = await keplr.signArbitrary(chainId, address, text);
      if (typeof s?.pub_key?.value !== "string" || typeof s.signature !== "string")
        throw new TxError("Keplr did not sign the request.");
      return { pub_key: s.pub_key.value, signature: s.signature };
    },
  };
}

/** Why a Keplr account cannot use a feature that needs its raw key. */
export class KeyNotOnDeviceError extends Error {
  constructor(feature: string) {
    super(
      `${feature} need this account's own key, which Keplr keeps to itself. Sign in with the account's recovery phrase on this device to use them.`,
    );
    this.name = "KeyNotOnDeviceError";
  }
}

interface SignerOptions {
  rpc: string;
  prefix: string;
  gasPrice: string;
}

export class BrowserSigner {
  private client: Promise<SigningStargateClient> | undefined;

  private constructor(
    readonly address: string,
    private readonly keys: AccountKeys,
    private readonly opts: SignerOptions,
  ) {}

  static async fromMnemonic(mnemonic: string, opts: SignerOptions): Promise<BrowserSigner> {
    const key = await deriveKey(mnemonic, opts.prefix);
    return new BrowserSigner(key.address, deviceKeys(key, opts.prefix), opts);
  }

  /** An account connected through Keplr (chain/keplr.ts); its key never leaves the extension. */
  static fromKeplr(keplr: Keplr, chainId: string, address: string, opts: SignerOptions): BrowserSigner {
    return new BrowserSigner(address, keplrKeys(keplr, chainId, address), opts);
  }

  private connect(): Promise<SigningStargateClient> {
    if (!this.client) {
      this.client = (async () => {
        // The broadcasting client is its own chunk: signing in and the live stream do not need it.
        const [{ GasPrice, SigningStargateClient }, wallet] = await Promise.all([
          import("@cosmjs/stargate"),
          this.keys.directSigner(),
        ]);
        return SigningStargateClient.connectWithSigner(this.opts.rpc, wallet, {
          registry: appRegistry(),
          gasPrice: GasPrice.fromString(this.opts.gasPrice),
          // cosmjs polls for the committed tx every 3 s by default; blocks here take about a second.
          broadcastPollIntervalMs: 250,
        });
      })();
      this.client.catch(() => {
        this.client = undefined;
      });
    }
    return this.client;
  }

  private async send(msgs: EncodeObject[]): Promise<TxResult> {
    let result: Awaited<ReturnType<SigningStargateClient["signAndBroadcast"]>>;
    try {
      const client = await this.connect();
      result = await client.signAndBroadcast(this.address, msgs, 1.5);
    } catch (err) {
      throw new TxError(describeTxError(err));
    }
    if (result.code !== 0) throw new TxError(describeTxError(new Error(result.rawLog ?? "")));
    return { txHash: result.transactionHash, height: result.height };
  }

  vote(targetId: string, direction: "up" | "down"): Promise<TxResult> {
    return this.send([
      {
        typeUrl: MsgVote.typeUrl,
        value: MsgVote.fromPartial({
          voter: this.address,
          targetId: BigInt(targetId),
          direction: direction === "up" ? VoteDirection.UP : VoteDirection.DOWN,
        }),
      },
    ]);
  }

  comment(parentId: string, body: string): Promise<TxResult> {
    return this.send([
      {
        typeUrl: MsgCreateComment.typeUrl,
        value: MsgCreateComment.fromPartial({ author: this.address, parentId: BigInt(parentId), body }),
      },
    ]);
  }

  /** OPS views: signs and broadcasts Msgs of the types in appRegistry() (gov votes and deposits, joins, posts). */
  sendMsgs(msgs: EncodeObject[]): Promise<TxResult> {
    return this.send(msgs);
  }

  /** The answer to the live stream's challenge: ADR-036 over `vivim-stream\n<chain id>\n<nonce>`. */
  streamAuth(chainId: string, nonce: string): Promise<ArbitrarySignature> {
    return this.signArbitrary(`vivim-stream\n${chainId}\n${nonce}`);
  }

  /** ADR-036 signature over any text (the DM API's reads, receipts and controls). SOCIAL. */
  signArbitrary(text: string): Promise<ArbitrarySignature> {
    return this.keys.signArbitrary(text);
  }

  /** The account's private key bytes for the in-browser DM layer (client/dm); never sent anywhere. */
  dmPrivateKey(): Uint8Array {
    if (!this.keys.privkey) throw new KeyNotOnDeviceError("End-to-end encrypted direct messages");
    return this.keys.privkey;
  }

  disconnect(): void {
    void this.client?.then((c) => c.disconnect()).catch(() => undefined);
    this.client = undefined;
  }
}
