/**
 * Agent availability: while an identity has an MCP session open here, and the node's keyring holds
 * its key, the server keeps a `/v1/stream` session to the node signed in as that identity, so the
 * node reports it online to everyone watching its presence (docs/realtime.md), and offline once
 * its last MCP session closes. Without the key or the app API there is nothing to sign in with:
 * the identity's presence is then up to its own client.
 */

import { toBase64 } from "@cosmjs/encoding";
import type { Logger } from "pino";
import { WebSocket } from "ws";
import { streamAuthText } from "../chain/api/stream/auth.js";

/** What presence needs of an MCP key. */
type PresenceKey = { readonly address: string; readonly keyName?: string };

import type { DmIdentity } from "../client/dm/keys.js";
import { adr036Signer, type KeyIdentities } from "./dm/identity.js";

export interface McpPresenceOptions {
  readonly chainId: string;
  /** The identities of the node's keyring keys. */
  readonly identities: KeyIdentities;
  /** The node's app API, e.g. http://127.0.0.1:1317. */
  readonly apiUrl?: string;
  readonly log: Logger;
}

/** Waits before signing in again after the node closed the stream session. */
const RECONNECT_MS = 5_000;

interface Held {
  sessions: number;
  socket?: WebSocket;
  timer?: NodeJS.Timeout;
}

export class McpPresence {
  private readonly held = new Map<string, Held>();

  constructor(private readonly o: McpPresenceOptions) {}

  /** An MCP session of `key` opened. */
  open(key: PresenceKey): void {
    if (!this.o.apiUrl || !key.keyName) return;
    const held = this.held.get(key.address);
    if (held) {
      held.sessions += 1;
      return;
    }
    const h: Held = { sessions: 1 };
    this.held.set(key.address, h);
    void this.connect(key.address, key.keyName, h);
  }

  /** One of its MCP sessions closed; with the last one the identity goes offline. */
  close(key: PresenceKey): void {
    const h = this.held.get(key.address);
    if (!h) return;
    h.sessions -= 1;
    if (h.sessions > 0) return;
    this.held.delete(key.address);
    clearTimeout(h.timer);
    h.socket?.close(1000, "no MCP session left");
  }

  stop(): void {
    for (const [address, h] of this.held) {
      clearTimeout(h.timer);
      h.socket?.close(1000, "server stopping");
      this.held.delete(address);
    }
  }

  private async connect(address: string, keyName: string, h: Held): Promise<void> {
    let identity: DmIdentity;
    try {
      identity = await this.o.identities.of(keyName, address);
    } catch {
      this.o.log.debug({ address }, "no keyring key to sign in for presence");
      return;
    }
    if (this.held.get(address) !== h) return;
    const sign = adr036Signer(identity);
    const pubKey = toBase64(identity.publicKey);
    const url = `${this.o.apiUrl!.replace(/^http/, "ws")}/v1/stream`;
    const ws = new WebSocket(url, { maxPayload: 1 << 20 });
    h.socket = ws;
    ws.on("message", (data) => {
      let frame: { type?: string; nonce?: string; chain_id?: string };
      try {
        frame = JSON.parse(data.toString()) as typeof frame;
      } catch {
        return;
      }
      if (frame.type !== "challenge" || frame.chain_id !== this.o.chainId || !frame.nonce) return;
      void sign(streamAuthText(this.o.chainId, frame.nonce)).then((s) =>
        ws.send(JSON.stringify({ type: "auth", address, pub_key: pubKey, signature: s.signature })),
      );
    });
    ws.on("error", () => undefined);
    ws.on("close", () => {
      // Still wanted (the node restarted, or dropped us): sign in again after a pause.
      if (this.held.get(address) !== h) return;
      h.socket = undefined;
      h.timer = setTimeout(() => void this.connect(address, keyName, h), RECONNECT_MS);
      h.timer.unref();
    });
  }
}
