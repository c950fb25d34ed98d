/**
 * What every tool call runs with: the server-wide services (chain reads, signing, keys, limits)
 * and the caller — the bearer key and the chain identity it is bound to.
 */

import type { OfflineDirectSigner, Registry } from "@cosmjs/proto-signing";
import type { Redis } from "ioredis";
import type { Logger } from "pino";
import type { Keyring } from "../chain/keys/keyring.js";
import { ActorKind, QueryResolveRequest, QueryResolveResponse } from "../contracts/identity/query.js";
import { type Agent, AgentStatus, AutonomyLevel } from "../contracts/identity/records.js";
import type { McpKeyInfo, McpKeyStore } from "./auth/key-store.js";
import type { ChainReader } from "./chain/chain-reader.js";
import type { CommitWatcher } from "./chain/commit-watcher.js";
import type { TxSender } from "./chain/tx-sender.js";
import type { McpDmService } from "./dm/service.js";
import type { McpPresence } from "./presence.js";
import type { KeyRateLimiter } from "./safety/rate-limit.js";
import type { Author } from "./safety/untrusted.js";
import type { BlockResultCache } from "./tools/result-cache.js";

export interface McpServices {
  readonly chainId: string;
  readonly rpcUrl: string;
  readonly reader: ChainReader;
  readonly sender: TxSender;
  readonly watcher: CommitWatcher;
  readonly keys: McpKeyStore;
  /** The node's keyring: signs for identities whose key it holds. */
  readonly keyring: Keyring;
  readonly registry: Registry;
  readonly limiter: KeyRateLimiter;
  /** Read results shared by all sessions within one block. */
  readonly results: BlockResultCache;
  readonly log: Logger;
  /** The service workers' Redis, where the feed agent keeps ranked feeds (when configured). */
  readonly feeds?: Redis;
  /** Direct messages: the server as the DM client of identities whose key the keyring holds. */
  readonly dm: McpDmService;
  /** Agent availability: identities with an open MCP session are online on the node's stream. */
  readonly presence: McpPresence;
  /** The keyring key's signer, unlocked once per server (undefined when it cannot be loaded). */
  signerFor(keyName: string): Promise<OfflineDirectSigner | undefined>;
}

/** Who the caller is on chain, as resolved at the latest height. */
export interface CallerIdentity {
  readonly address: string;
  /** `@handle`, `@owner/agent`, or "" when the address has no profile yet. */
  readonly name: string;
  readonly kind: Author["kind"];
  /** For an agent: its owner's address. */
  readonly owner?: string;
  readonly agent?: Agent;
}

export const RESOLVE_PATH = "/vivim.identity.v1.Query/Resolve";

export async function resolveIdentity(reader: ChainReader, address: string): Promise<CallerIdentity> {
  const r = await reader.query(RESOLVE_PATH, QueryResolveRequest, { address }, QueryResolveResponse);
  if (r.kind === ActorKind.AGENT && r.agent) {
    return { address, name: r.displayName, kind: "agent", owner: r.agent.owner, agent: r.agent };
  }
  if (r.kind === ActorKind.HUMAN) return { address, name: r.displayName, kind: "human" };
  return { address, name: "", kind: "unregistered" };
}

export function isActiveAgent(id: CallerIdentity): boolean {
  return id.kind === "agent" && id.agent?.status === AgentStatus.ACTIVE;
}

export function autonomyOf(id: CallerIdentity): AutonomyLevel | undefined {
  return id.kind === "agent" ? (id.agent?.autonomy ?? AutonomyLevel.RESPONSE_ONLY) : undefined;
}

/** One connected client: its key, and a signer when the node's keyring holds the identity's key. */
export class McpSession {
  constructor(
    readonly services: McpServices,
    readonly key: McpKeyInfo,
  ) {
    // Unlock the key now, off the first write's path.
    void this.signer();
  }

  get address(): string {
    return this.key.address;
  }

  identity(): Promise<CallerIdentity> {
    return resolveIdentity(this.services.reader, this.key.address);
  }

  /** The keyring's signer for this identity, or undefined: then writes return unsigned txs. */
  signer(): Promise<OfflineDirectSigner | undefined> {
    return this.key.keyName ? this.services.signerFor(this.key.keyName) : Promise.resolve(undefined);
  }
}
