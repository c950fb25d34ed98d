/**
 * A stand-in for the Keplr browser extension (an outside product that cannot be installed here):
 * it speaks the part of `window.keplr`'s interface the app uses — experimentalSuggestChain,
 * enable, getKey, getOfflineSigner(chainId).signDirect, signArbitrary — over one secp256k1 key
 * held in the test process (cosmjs's DirectSecp256k1HdWallet for sign mode direct, its amino
 * wallet for ADR-036, as Keplr signs them). The page gets a small `window.keplr` (installed with
 * Playwright's addInitScript) that forwards each call here through an exposed binding, so the key
 * never enters the page. Like Keplr, it refuses a chain it was not told about or not enabled.
 */
import { makeSignDoc, Secp256k1HdWallet } from "@cosmjs/amino";
import { fromBase64, toBase64 } from "@cosmjs/encoding";
import { DirectSecp256k1HdWallet } from "@cosmjs/proto-signing";
import type { Page } from "playwright-core";

interface WireSignDoc {
  bodyBytes: string;
  authInfoBytes: string;
  chainId: string;
  accountNumber: string;
}

export class KeplrStandin {
  /** The chain infos suggested by the page, and every call it made (method names), in order. */
  readonly suggested: Array<{ chainId: string; bech32Config: { bech32PrefixAccAddr: string } }> = [];
  readonly calls: string[] = [];
  /** When set, the next enable() is declined, as when the person clicks Reject in Keplr's pop-up. */
  declineNextEnable = false;
  private readonly enabled = new Set<string>();

  private constructor(
    private readonly direct: DirectSecp256k1HdWallet,
    private readonly amino: Secp256k1HdWallet,
    readonly address: string,
    private readonly pubkey: Uint8Array,
    readonly name: string,
  ) {}

  static async fromMnemonic(mnemonic: string, prefix: string, name = "keplr-standin"): Promise<KeplrStandin> {
    const direct = await DirectSecp256k1HdWallet.fromMnemonic(mnemonic, { prefix });
    const amino = await Secp256k1HdWallet.fromMnemonic(mnemonic, { prefix });
    const [account] = await direct.getAccounts();
    if (!account) throw new Error("the stand-in's wallet has no account");
    return new KeplrStandin(direct, amino, account.address, account.pubkey, name);
  }

  private known(chainId: string): void {
    if (!this.suggested.some((c) => c.chainId === chainId))
      throw new Error(`There is no chain info for ${chainId}`);
  }

  private ready(chainId: string, signer?: string): void {
    this.known(chainId);
    if (!this.enabled.has(chainId)) throw new Error(`${chainId} is not enabled`);
    if (signer !== undefined && signer !== this.address) throw new Error("Unknown signer address");
  }

  /** One call from the page; arguments and answer are JSON (bytes as base64). */
  async handle(method: string, args: unknown[]): Promise<unknown> {
    this.calls.push(method);
    const [chainId, signer, payload] = args as [string, string, unknown];
    switch (method) {
      case "experimentalSuggestChain": {
        const info = args[0] as KeplrStandin["suggested"][number];
        if (typeof info?.chainId !== "string") throw new Error("chain info needs a chainId");
        this.suggested.push(info);
        return null;
      }
      case "enable":
        if (this.declineNextEnable) {
          this.declineNextEnable = false;
          throw new Error("Request rejected");
        }
        for (const id of Array.isArray(chainId) ? chainId : [chainId]) {
          this.known(id);
          this.enabled.add(id);
        }
        return null;
      case "getKey":
        this.ready(chainId);
        return {
          name: this.name,
          algo: "secp256k1",
          pubKey: toBase64(this.pubkey),
          bech32Address: this.address,
          isNanoLedger: false,
        };
      case "signDirect": {
        this.ready(chainId, signer);
        const doc = payload as WireSignDoc;
        if (doc.chainId !== chainId) throw new Error("the sign doc is for another chain");
        const { signed, signature } = await this.direct.signDirect(this.address, {
          bodyBytes: fromBase64(doc.bodyBytes),
          authInfoBytes: fromBase64(doc.authInfoBytes),
          chainId: doc.chainId,
          accountNumber: BigInt(doc.accountNumber),
        });
        return {
          signed: {
            bodyBytes: toBase64(signed.bodyBytes),
            authInfoBytes: toBase64(signed.authInfoBytes),
            chainId: signed.chainId,
            accountNumber: signed.accountNumber.toString(),
          },
          signature,
        };
      }
      case "signArbitrary": {
        this.ready(chainId, signer);
        const data = payload as { text: string } | { bytes: string };
        return this.signArbitrary(
          "text" in data ? new TextEncoder().encode(data.text) : fromBase64(data.bytes),
        );
      }
      default:
        throw new Error(`the stand-in does not implement ${method}`);
    }
  }

  /** ADR-036 (sign/MsgSignData in an amino sign doc with empty chain id, fee and memo), as Keplr. */
  async signArbitrary(data: Uint8Array) {
    const doc = makeSignDoc(
      [{ type: "sign/MsgSignData", value: { signer: this.address, data: toBase64(data) } }],
      { gas: "0", amount: [] },
      "",
      "",
      0,
      0,
    );
    return (await this.amino.signAmino(this.address, doc)).signature;
  }

  /** Installs `window.keplr` in every document `page` loads from now on. */
  async install(page: Page): Promise<void> {
    await page.exposeFunction("__keplrStandin", async (method: string, argsJson: string) =>
      JSON.stringify(await this.handle(method, JSON.parse(argsJson) as unknown[])),
    );
    await page.addInitScript(PAGE_SCRIPT);
  }
}

/** `window.keplr` in the page: converts bytes to base64 and forwards each call to the binding. */
const PAGE_SCRIPT = `(() => {
  const call = async (method, ...args) => JSON.parse(await window.__keplrStandin(method, JSON.stringify(args)));
  const b64 = (u8) => btoa(String.fromCharCode(...u8));
  const bytes = (s) => Uint8Array.from(atob(s), (c) => c.charCodeAt(0));
  const signer = (chainId) => ({
    async getAccounts() {
      const k = await call("getKey", chainId);
      return [{ address: k.bech32Address, algo: k.algo, pubkey: bytes(k.pubKey) }];
    },
    async signDirect(signerAddress, doc) {
      const r = await call("signDirect", chainId, signerAddress, {
        bodyBytes: b64(doc.bodyBytes),
        authInfoBytes: b64(doc.authInfoBytes),
        chainId: doc.chainId,
        accountNumber: String(doc.accountNumber),
      });
      return {
        signed: {
          bodyBytes: bytes(r.signed.bodyBytes),
          authInfoBytes: bytes(r.signed.authInfoBytes),
          chainId: r.signed.chainId,
          accountNumber: BigInt(r.signed.accountNumber),
        },
        signature: r.signature,
      };
    },
  });
  window.keplr = {
    version: "0.12-standin",
    experimentalSuggestChain: (info) => call("experimentalSuggestChain", info),
    enable: (chainIds) => call("enable", chainIds),
    async getKey(chainId) {
      const k = await call("getKey", chainId);
      return { ...k, pubKey: bytes(k.pubKey) };
    },
    getOfflineSigner: (chainId) => signer(chainId),
    getOfflineSignerAuto: async (chainId) => signer(chainId),
    signArbitrary: (chainId, signerAddress, data) =>
      call("signArbitrary", chainId, signerAddress, typeof data === "string" ? { text: data } : { bytes: b64(data) }),
  };
})();`;
