/**
 * Signing in with the Keplr browser extension: the part of its `window.keplr` API the app uses,
 * VIVIM's chain description for experimentalSuggestChain (from /config.json), and connecting an
 * account. The key stays in Keplr: transactions are signed through its getOfflineSigner (sign
 * mode direct, see BrowserSigner.fromKeplr) and the app's ADR-036 challenges through its
 * signArbitrary. Light on purpose (no cosmjs): the sign-in screen loads it.
 */
import type { AppConfig } from "../lib/config.js";

/** Keplr's StdSignature: `pub_key.value` and `signature` are base64. */
export interface KeplrSignature {
  readonly pub_key: { readonly type: string; readonly value: string };
  readonly signature: string;
}

export interface KeplrKey {
  readonly name: string;
  readonly bech32Address: string;
  readonly pubKey: Uint8Array;
}

/** What cosmjs's SigningStargateClient needs of a direct signer (Keplr's getOfflineSigner result). */
export interface KeplrOfflineSigner {
  getAccounts(): Promise<readonly { address: string; algo: string; pubkey: Uint8Array }[]>;
  signDirect(
    signerAddress: string,
    signDoc: { bodyBytes: Uint8Array; authInfoBytes: Uint8Array; chainId: string; accountNumber: bigint },
  ): Promise<{
    signed: { bodyBytes: Uint8Array; authInfoBytes: Uint8Array; chainId: string; accountNumber: bigint };
    signature: KeplrSignature;
  }>;
}

export interface Keplr {
  experimentalSuggestChain(chainInfo: ReturnType<typeof vivimChainInfo>): Promise<void>;
  enable(chainIds: string | string[]): Promise<void>;
  getKey(chainId: string): Promise<KeplrKey>;
  getOfflineSigner(chainId: string): KeplrOfflineSigner;
  signArbitrary(chainId: string, signer: string, data: string | Uint8Array): Promise<KeplrSignature>;
}

/** The extension, when this browser has it. */
export function keplrWallet(): Keplr | undefined {
  const k = (globalThis as { keplr?: Keplr }).keplr;
  return k && typeof k.enable === "function" && typeof k.getKey === "function" ? k : undefined;
}

/** Keplr's install page, for the hint shown when the extension is missing. */
export const KEPLR_INSTALL_URL = "https://www.keplr.app/get";

/** VIVIM as Keplr's ChainInfo: bech32 prefix, the uvivim/VIVIM coin, RPC and REST from /config.json. */
export function vivimChainInfo(config: AppConfig) {
  const currency = { coinDenom: "VIVIM", coinMinimalDenom: config.denom, coinDecimals: 6 };
  const price = Number.parseFloat(config.gasPrice) || 0.025;
  const p = config.prefix;
  return {
    chainId: config.chainId,
    chainName: `VIVIM (${config.chainId})`,
    rpc: config.rpc,
    rest: config.api,
    bip44: { coinType: 118 },
    bech32Config: {
      bech32PrefixAccAddr: p,
      bech32PrefixAccPub: `${p}pub`,
      bech32PrefixValAddr: `${p}valoper`,
      bech32PrefixValPub: `${p}valoperpub`,
      bech32PrefixConsAddr: `${p}valcons`,
      bech32PrefixConsPub: `${p}valconspub`,
    },
    currencies: [currency],
    feeCurrencies: [{ ...currency, gasPriceStep: { low: price, average: price, high: price * 2 } }],
    stakeCurrency: currency,
  };
}

/** Keplr answered, but with an account this app cannot use. */
class KeplrAccountError extends Error {
  override readonly name = "KeplrAccountError";
}

/** What to tell the person when connecting failed (Keplr's own errors are short texts, not shown raw). */
export function keplrErrorText(err: unknown): string {
  if (err instanceof KeplrAccountError) return err.message;
  const m = err instanceof Error ? err.message : "";
  if (/reject|denied|cancel|closed/i.test(m)) return "Keplr did not connect: the request was declined.";
  return "Keplr could not connect to this network. Open Keplr, unlock it and try again.";
}

/** Asks Keplr to add VIVIM (a no-op when it knows it) and to share the account; throws when refused. */
export async function connectKeplr(
  keplr: Keplr,
  config: AppConfig,
): Promise<{ address: string; name: string }> {
  await keplr.experimentalSuggestChain(vivimChainInfo(config));
  await keplr.enable(config.chainId);
  const key = await keplr.getKey(config.chainId);
  if (typeof key?.bech32Address !== "string" || !key.bech32Address.startsWith(`${config.prefix}1`))
    throw new KeplrAccountError("Keplr returned an account that is not on this network.");
  return { address: key.bech32Address, name: (key.name || "Keplr account").slice(0, 64) };
}
