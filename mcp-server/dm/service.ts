/**
 * DMs for MCP sessions: one DmAccount per identity whose key the node's keyring holds, its state
 * under `<home>/mcp/dm/`, its calls run one at a time (two sessions of one identity would
 * otherwise race on the ratchet), and the node's refusals turned into coded tool errors.
 */
import { existsSync } from "node:fs";
import path from "node:path";
import type { Logger } from "pino";
import { DmAccount, NoPrekeyError } from "../../client/dm/account.js";
import { DmError } from "../../client/dm/errors.js";
import { DmApiError, DmNodeApi } from "../../client/dm/node-api.js";
import type { McpKeyStore } from "../auth/key-store.js";
import type { McpSession } from "../context.js";
import { McpToolError } from "../errors.js";
import { adr036Signer, type KeyIdentities } from "./identity.js";
import { DmVault, DmVaultError } from "./vault.js";

export interface McpDmOptions {
  readonly home: string;
  readonly chainId: string;
  /** The identities of the node's keyring keys. */
  readonly identities: KeyIdentities;
  /** The node's app API (DM routes); without it the DM tools answer DM_UNAVAILABLE. */
  readonly apiUrl?: string;
  readonly log: Logger;
  readonly fetch?: typeof fetch;
}

/** How often the server checks the prekeys of the identities it keeps DMs for. */
export const PREKEY_CHECK_INTERVAL_MS = 60 * 60_000;

/** The node's DM refusals a tool passes on under their own code. */
const POLICY_CODES = new Set([
  "AGENT_NOT_GRANTED",
  "NOT_ACCEPTED",
  "REQUEST_PENDING",
  "REQUEST_DECLINED",
  "BLOCKED",
  "STALE_CONTROL",
]);

const POLICY_HINTS: Record<string, string> = {
  AGENT_NOT_GRANTED: "this agent's owner has not granted it direct messages (capability dm)",
  NOT_ACCEPTED: "the recipient has not accepted direct messages from you",
  REQUEST_PENDING: "your DM request is still waiting for the recipient's answer; send more once they accept",
  REQUEST_DECLINED: "the recipient declined your DM request recently; you cannot ask again yet",
  BLOCKED: "direct messages between you and this account are blocked",
  STALE_CONTROL: "a newer answer for this conversation is already in force",
};

export class McpDmService {
  private readonly accounts = new Map<string, Promise<DmAccount>>();
  private readonly queues = new Map<string, Promise<unknown>>();
  private timer: NodeJS.Timeout | undefined;
  private first: NodeJS.Timeout | undefined;
  readonly dir: string;

  constructor(private readonly o: McpDmOptions) {
    this.dir = path.join(o.home, "mcp", "dm");
  }

  get enabled(): boolean {
    return this.o.apiUrl !== undefined;
  }

  /**
   * Keeps the prekeys of every identity that has DM state here published and rotated, also while
   * none of its keys is connected (a lapsed prekey would leave others unable to start a session).
   */
  start(keys: McpKeyStore, intervalMs = PREKEY_CHECK_INTERVAL_MS): void {
    if (!this.o.apiUrl || this.timer) return;
    const tick = () => void this.maintain(keys);
    this.timer = setInterval(tick, intervalMs);
    this.timer.unref();
    this.first = setTimeout(tick, 5_000);
    this.first.unref();
  }

  stop(): void {
    clearInterval(this.timer);
    clearTimeout(this.first);
    this.timer = undefined;
    this.first = undefined;
  }

  private async maintain(keys: McpKeyStore): Promise<void> {
    const done = new Set<string>();
    for (const k of keys.list()) {
      if (k.revokedAt || !k.keyName || done.has(k.address)) continue;
      if (!existsSync(path.join(this.dir, `${k.address}.dm`))) continue;
      done.add(k.address);
      try {
        await this.runAs(k.keyName, k.address, (a) => a.ensurePrekey(Math.floor(Date.now() / 1000)));
      } catch (e) {
        this.o.log.warn({ code: (e as McpToolError).code }, "DM prekey upkeep failed; retried later");
      }
    }
  }

  /** Runs `fn` with the caller's DM account, after any other call of the same identity. */
  run<T>(session: McpSession, fn: (account: DmAccount) => Promise<T>): Promise<T> {
    return this.runAs(session.key.keyName, session.key.address, fn);
  }

  private async runAs<T>(
    keyName: string | undefined,
    address: string,
    fn: (account: DmAccount) => Promise<T>,
  ): Promise<T> {
    const account = await this.account(keyName, address);
    const previous = this.queues.get(account.address) ?? Promise.resolve();
    const next = previous.then(
      () => fn(account),
      () => fn(account),
    );
    const settled = next.catch(() => undefined);
    this.queues.set(account.address, settled);
    void settled.then(() => {
      if (this.queues.get(account.address) === settled) this.queues.delete(account.address);
    });
    try {
      return await next;
    } catch (e) {
      throw dmToolError(e, this.o.log);
    }
  }

  private account(keyName: string | undefined, address: string): Promise<DmAccount> {
    if (!this.o.apiUrl) {
      return Promise.reject(
        new McpToolError(
          "DM_UNAVAILABLE",
          "this MCP server was started without the node's app API (--api), which carries DMs",
        ),
      );
    }
    if (!keyName) return Promise.reject(keyUnavailable());
    const cacheKey = `${keyName}|${address}`;
    let account = this.accounts.get(cacheKey);
    if (!account) {
      account = this.o.identities.of(keyName, address).then(
        (identity) =>
          new DmAccount(
            identity,
            new DmNodeApi({
              baseUrl: this.o.apiUrl!,
              chainId: this.o.chainId,
              address,
              signArbitrary: adr036Signer(identity),
              ...(this.o.fetch ? { fetch: this.o.fetch } : {}),
            }),
            new DmVault(this.dir, identity),
            this.o.chainId,
          ),
        (e: Error) => {
          // Not cached: the key may be added to the keyring later.
          this.accounts.delete(cacheKey);
          this.o.log.warn({ keyName, err: e.name }, "keyring key of an MCP key is unavailable for DMs");
          throw keyUnavailable();
        },
      );
      this.accounts.set(cacheKey, account);
    }
    return account;
  }
}

function keyUnavailable(): McpToolError {
  return new McpToolError(
    "DM_KEY_UNAVAILABLE",
    "direct messages are end-to-end encrypted with the member's own key, which this server does not hold for your identity; use the member's own DM client",
  );
}

/** A coded McpToolError for any failure of a DM call (never with key material or message text). */
export function dmToolError(e: unknown, log: Logger): McpToolError {
  if (e instanceof McpToolError) return e;
  if (e instanceof NoPrekeyError) {
    return new McpToolError(
      "PREKEY_UNAVAILABLE",
      "the recipient has not published a DM prekey yet (they have never opened their DMs); try again once they have",
    );
  }
  if (e instanceof DmApiError) {
    if (POLICY_CODES.has(e.code)) {
      return new McpToolError(e.code as "BLOCKED", POLICY_HINTS[e.code] ?? e.message, { status: e.status });
    }
    if (e.code === "UNREACHABLE" || e.status >= 500) {
      return new McpToolError("DM_UNAVAILABLE", "the node's DM API is not answering; try again", {
        dmCode: e.code,
      });
    }
    return new McpToolError("DM_REFUSED", `the node refused the DM call: ${e.message}`, {
      dmCode: e.code,
      status: e.status,
    });
  }
  if (e instanceof DmError) {
    return new McpToolError("DM_REFUSED", `the message could not be prepared: ${e.code}`, { dmCode: e.code });
  }
  if (e instanceof DmVaultError) {
    log.error({ err: e.name, msg: e.message }, "DM state unavailable");
    return new McpToolError("DM_UNAVAILABLE", "this identity's DM state on the server cannot be opened");
  }
  log.error({ err: (e as Error)?.name, msg: (e as Error)?.message }, "dm call failed");
  return new McpToolError("DM_UNAVAILABLE", "the DM call could not be completed; try again");
}
