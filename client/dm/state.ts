/**
 * What a member's DM client keeps for one identity — its private prekeys, its sessions (secret
 * chain keys) and the messages it has opened (a message key opens a message once, so what was read
 * must be kept to be shown again) — as plain JSON-able data. Where it is kept, and how it is
 * encrypted at rest, is the client's store's business (the MCP server's file vault, the app's
 * browser storage under the vault key).
 */

import type { KeptGroup } from "./group-state.js";

/** A message as the identity's DM history keeps it. */
export interface KeptMessage {
  /** Hex message id (sha256 of the envelope). */
  readonly id: string;
  readonly from: string;
  readonly dir: "in" | "out";
  readonly sentAt: number;
  readonly expiresAt: number;
  /** The opened text; absent when it could not be opened (see `error`). */
  readonly text?: string;
  /** Why an incoming message could not be opened (a DmError code; a group message stays UNKNOWN_SENDER_KEY until its sender's key arrives), or VIEWED. */
  readonly error?: string;
  /** A view-once message: its text is shown once, then forgotten. */
  readonly viewOnce?: true;
}

export interface KeptConversation {
  /** The other member (1:1); empty for a group. */
  readonly peer: string;
  messages: KeptMessage[];
  /** Envelopes already handled, by id → sent_at (those at or after `cursorSentAt`). */
  seen: Record<string, number>;
  /** The last envelope read that is old enough that nothing will be relayed in before it. */
  cursor?: string;
  cursorSentAt?: number;
  /** The peer's read receipt: they have read everything up to this message (hex id). */
  peerReadUpTo?: string;
}

export interface KeptSession {
  /** serializeSession() text. */
  state: string;
  readonly conversation: string;
  readonly createdAt: number;
  usedAt: number;
}

export interface KeptPrekey {
  readonly id: number;
  /** Hex. */
  readonly privateKey: string;
  readonly publicKey: string;
  readonly expiresAt: number;
}

export interface DmState {
  v: 1;
  address: string;
  prekeys: KeptPrekey[];
  /** By hex session id. */
  sessions: Record<string, KeptSession>;
  /** The session to send on, by hex conversation id. */
  current: Record<string, string>;
  conversations: Record<string, KeptConversation>;
  /** The groups we are (or were) in, by hex group id (= conversation id); absent in older states. */
  groups?: Record<string, KeptGroup>;
  /** The retention tier chosen per conversation (hex id); `sessions` when absent. */
  retention?: Record<string, string>;
}

export const emptyState = (address: string): DmState => ({
  v: 1,
  address,
  prekeys: [],
  sessions: {},
  current: {},
  conversations: {},
});

/** Where a DM client keeps its state: load once, save after every change (encrypted at rest). */
export interface DmStateStore {
  load(): Promise<DmState>;
  save(state: DmState): Promise<void>;
}
