/** Types of chat.mjs (the app server's POST /chat), for TypeScript callers such as the e2e tests. */
import type { IncomingMessage, ServerResponse } from "node:http";

export interface ChatHandler {
  handle(req: IncomingMessage, res: ServerResponse): Promise<void>;
}

export declare const CHAT_TOKEN_MS: number;
export declare const CHAT_PER_MINUTE: number;
export declare function chatAuthText(chainId: string, issuedAt: number | string): string;

/** Undefined when the vault is missing, locked (no passphrase) or holds no unrevoked key. */
export declare function createChatHandler(opts: {
  home: string;
  passphrase: string | undefined;
  chainId: string;
  now?: () => number;
}): Promise<ChatHandler | undefined>;
