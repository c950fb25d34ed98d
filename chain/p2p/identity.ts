/**
 * Node identity on the wire: the node key (config/node_key.json, ed25519) is the libp2p peer key, and
 * peers are named by their CometBFT node id (hex of sha256(pubkey)[:20]) everywhere operators see them.
 */
import { privateKeyFromRaw } from "@libp2p/crypto/keys";
import type { PeerId, PrivateKey } from "@libp2p/interface";
import { type NodeKey, nodeIdOf } from "../config/home.js";

export function libp2pPrivateKey(nodeKey: NodeKey): PrivateKey {
  const jwk = nodeKey.privateKey.export({ format: "jwk" });
  if (typeof jwk.d !== "string") throw new Error("node key is not an ed25519 key");
  const seed = Buffer.from(jwk.d, "base64url");
  return privateKeyFromRaw(Buffer.concat([seed, nodeKey.publicKey]));
}

/** The CometBFT node id of a peer, or undefined for a key type VIVIM nodes never use. */
export function nodeIdOfPeer(peer: PeerId): string | undefined {
  if (peer.type !== "Ed25519" || !peer.publicKey) return undefined;
  return nodeIdOf(peer.publicKey.raw);
}
