/** Types of serve.mjs (the app's static server), for TypeScript callers such as the e2e tests. */
export interface UiDemoAccount {
  readonly name: string;
  readonly address: string;
  readonly mnemonic: string;
}

export interface UiConfig {
  readonly chainId: string;
  readonly prefix: string;
  readonly denom: string;
  readonly rpc: string;
  readonly api: string;
  readonly stream: string;
  readonly gasPrice: string;
  readonly demoAccounts: readonly UiDemoAccount[];
}

export interface UiServer {
  readonly url: string;
  readonly port: number;
  stop(): Promise<void>;
}

export declare const UI_DIST: string;
export declare const DEFAULT_UI_PORT: number;

export declare function uiConfigFromDevnet(devnet: {
  chainId: string;
  prefix?: string;
  denom?: string;
  rpc: string;
  api: string;
  accounts?: ReadonlyArray<{ name: string; address: string; mnemonic: string }>;
}): UiConfig;

export declare function startUiServer(opts: {
  config: UiConfig;
  dist?: string;
  host?: string;
  /** 0 picks a free port. */
  port?: number;
  /** POST /chat (./chat.mjs); the app is then told `chat: true`. */
  chat?: {
    handle(req: import("node:http").IncomingMessage, res: import("node:http").ServerResponse): Promise<void>;
  };
}): Promise<UiServer>;
