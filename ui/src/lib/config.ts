/** What the server tells the app about the network (`/config.json`, from the devnet descriptor). */
export interface DemoAccount {
  readonly name: string;
  readonly address: string;
  readonly mnemonic: string;
}

export interface AppConfig {
  readonly chainId: string;
  readonly prefix: string;
  readonly denom: string;
  /** CometBFT RPC (signing and broadcasting). */
  readonly rpc: string;
  /** The app API (REST). */
  readonly api: string;
  /** ws(s)://…/v1/stream on the app API. */
  readonly stream: string;
  readonly gasPrice: string;
  /** The devnet's published demo accounts (empty on any other network). */
  readonly demoAccounts: readonly DemoAccount[];
  /** The app server answers POST /chat with a real model (the workers' AI keys); else offline only. */
  readonly chat: boolean;
}

function isString(v: unknown): v is string {
  return typeof v === "string" && v.length > 0;
}

export async function loadConfig(signal?: AbortSignal): Promise<AppConfig> {
  const res = await fetch("/config.json", { cache: "no-store", ...(signal ? { signal } : {}) });
  if (!res.ok) throw new Error(`The app server answered ${res.status} for its configuration.`);
  const raw = (await res.json()) as Record<string, unknown>;
  for (const key of ["chainId", "rpc", "api", "stream"] as const) {
    if (!isString(raw[key])) throw new Error(`The app configuration has no ${key}.`);
  }
  const demo = Array.isArray(raw.demoAccounts) ? raw.demoAccounts : [];
  return {
    chainId: raw.chainId as string,
    prefix: isString(raw.prefix) ? raw.prefix : "vivim",
    denom: isString(raw.denom) ? raw.denom : "uvivim",
    rpc: raw.rpc as string,
    api: (raw.api as string).replace(/\/$/, ""),
    stream: raw.stream as string,
    gasPrice: isString(raw.gasPrice) ? raw.gasPrice : "0.025uvivim",
    chat: raw.chat === true,
    demoAccounts: demo.filter(
      (a): a is DemoAccount =>
        typeof a === "object" &&
        a !== null &&
        isString(a.name) &&
        isString(a.address) &&
        isString(a.mnemonic),
    ),
  };
}
