/**
 * Wires the server-wide services from a node home and its RPC: chain reader and commit watcher,
 * the tx sender, the bearer-key store, the node's keyring, the per-key rate limiter, and DMs over
 * the node's app API.
 */

import type { OfflineDirectSigner } from "@cosmjs/proto-signing";
import { connectComet } from "@cosmjs/tendermint-rpc";
import type { Logger } from "pino";
import { Keyring, type KeyringBackend } from "../chain/keys/keyring.js";
import { vivimRegistry } from "../client/registry.js";
import { connectRedis } from "../workers/redis/connection.js";
import { McpKeyStore } from "./auth/key-store.js";
import { ChainReader } from "./chain/chain-reader.js";
import { CommitWatcher } from "./chain/commit-watcher.js";
import { TxSender } from "./chain/tx-sender.js";
import type { McpServices } from "./context.js";
import { KeyIdentities } from "./dm/identity.js";
import { McpDmService } from "./dm/service.js";
import { McpPresence } from "./presence.js";
import { KeyRateLimiter, type RateLimits } from "./safety/rate-limit.js";
import { BlockResultCache } from "./tools/result-cache.js";

export interface McpServicesOptions {
  /** The node home: its keyring signs, `<home>/mcp/keys.json` holds the bearer keys. */
  readonly home: string;
  /** CometBFT RPC of the node, e.g. http://127.0.0.1:26657. */
  readonly rpcUrl: string;
  readonly keyringBackend: KeyringBackend;
  /** For the `file` keyring backend. */
  readonly keyringPassphrase?: string;
  readonly rateLimits?: RateLimits;
  readonly gasPrice?: string;
  /** The service workers' Redis: get_feed then serves the feed agent's rankings while they are current. */
  readonly redisUrl?: string;
  /**
   * The node's app API, e.g. http://127.0.0.1:1317: DMs go through its DM routes (send_dm,
   * read_dms, respond_dm_request answer DM_UNAVAILABLE without it).
   */
  readonly apiUrl?: string;
  readonly log: Logger;
}

export interface RunningServices extends McpServices {
  close(): Promise<void>;
}

export async function createMcpServices(o: McpServicesOptions): Promise<RunningServices> {
  const comet = await connectComet(o.rpcUrl);
  const status = await comet.status();
  const watcher = new CommitWatcher(o.rpcUrl);
  await watcher.start();
  const registry = vivimRegistry();
  const reader = new ChainReader(comet, () => watcher.latestHeight);
  const chainId = status.nodeInfo.network;
  const keyring = new Keyring({
    home: o.home,
    backend: o.keyringBackend,
    ...(o.keyringPassphrase ? { passphrase: o.keyringPassphrase } : {}),
  });
  const signers = new Map<string, Promise<OfflineDirectSigner | undefined>>();
  const feeds = o.redisUrl ? connectRedis(o.redisUrl, "producer", o.log) : undefined;
  const keys = new McpKeyStore(o.home);
  const identities = new KeyIdentities(keyring);
  const dm = new McpDmService({
    home: o.home,
    chainId,
    identities,
    ...(o.apiUrl ? { apiUrl: o.apiUrl.replace(/\/+$/, "") } : {}),
    log: o.log.child({ component: "mcp-dm" }),
  });
  dm.start(keys);
  const presence = new McpPresence({
    chainId,
    identities,
    ...(o.apiUrl ? { apiUrl: o.apiUrl.replace(/\/+$/, "") } : {}),
    log: o.log.child({ component: "mcp-presence" }),
  });
  return {
    chainId,
    rpcUrl: o.rpcUrl,
    reader,
    sender: new TxSender(comet, registry, chainId, watcher, o.gasPrice),
    watcher,
    keys,
    keyring,
    registry,
    limiter: new KeyRateLimiter(o.rateLimits),
    results: new BlockResultCache(),
    log: o.log,
    ...(feeds ? { feeds } : {}),
    dm,
    presence,
    signerFor(keyName) {
      let signer = signers.get(keyName);
      if (!signer) {
        signer = keyring.signerFor(keyName).then(
          (w) => w,
          (e: Error) => {
            // Not cached: the key may be added to the keyring later.
            signers.delete(keyName);
            o.log.warn(
              { keyName, err: e.name },
              "keyring key of an MCP key is unavailable; its writes go unsigned",
            );
            return undefined;
          },
        );
        signers.set(keyName, signer);
      }
      return signer;
    },
    async close() {
      presence.stop();
      dm.stop();
      feeds?.disconnect();
      watcher.stop();
      comet.disconnect();
    },
  };
}
