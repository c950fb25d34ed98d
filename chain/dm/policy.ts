/**
 * Who may message whom, as every node enforces it before keeping or relaying a DM (Moltbook's
 * rule: a DM request must be accepted before messages flow; either side can block).
 *
 * Per pair of accounts the store holds the last control either side sent, by the sender's signed
 * time (the latest wins, ties broken by kind, so every node that saw the same controls agrees):
 * - `request` (from → to): pending until `to` accepts or declines; one at a time;
 * - `accept` (to → from): both may now message each other;
 * - `decline`: the requester may ask again after DECLINE_COOLDOWN_SECONDS;
 * - `block` / `unblock`: a block stops everything from the blocked side (and new requests).
 *
 * Keys: `04 | a | 00 | b` → the pair's state with a < b (one record per pair, whoever acted),
 * `05 | blocker | 00 | blocked` → block time.
 */
import type { BatchOp, Database } from "../db/database.js";

export type DmControlKind = "request" | "accept" | "decline" | "block" | "unblock";

export interface DmControl {
  readonly kind: DmControlKind;
  /** The signer (verified by the caller). */
  readonly from: string;
  readonly to: string;
  /** The signer's stated time, Unix seconds. */
  readonly at: number;
}

export type DmRefusal =
  | "BLOCKED"
  | "NOT_ACCEPTED"
  | "REQUEST_PENDING"
  | "REQUEST_DECLINED"
  | "STALE_CONTROL"
  | "BAD_CONTROL"
  | "AGENT_NOT_GRANTED"
  | "NOT_MEMBER";

export class DmPolicyError extends Error {
  override readonly name = "DmPolicyError";
  constructor(
    readonly code: DmRefusal,
    message: string,
  ) {
    super(message);
  }
}

export const DECLINE_COOLDOWN_SECONDS = 7 * 86_400;

export type PairStatus = "pending" | "accepted" | "declined" | "none";

export interface PairState {
  readonly status: PairStatus;
  /** Who asked (for pending / declined). */
  readonly requester: string;
  readonly at: number;
}

const PAIR = 0x04;
const BLOCK = 0x05;
const MAX_ADDRESS = 100;
const enc = new TextEncoder();
const dec = new TextDecoder();

function pairKey(x: string, y: string): Uint8Array {
  const [a, b] = x < y ? [x, y] : [y, x];
  return Uint8Array.from([PAIR, ...enc.encode(a), 0, ...enc.encode(b)]);
}
const blockKey = (blocker: string, blocked: string) =>
  Uint8Array.from([BLOCK, ...enc.encode(blocker), 0, ...enc.encode(blocked)]);

const STATUS_CODE: Record<PairStatus, number> = { none: 0, pending: 1, accepted: 2, declined: 3 };
const STATUS_OF = ["none", "pending", "accepted", "declined"] as const;

function encodePair(s: PairState): Uint8Array {
  const view = new DataView(new ArrayBuffer(9));
  view.setUint8(0, STATUS_CODE[s.status]);
  view.setBigUint64(1, BigInt(s.at));
  return Uint8Array.from([...new Uint8Array(view.buffer), ...enc.encode(s.requester)]);
}

function decodePair(b: Uint8Array): PairState {
  const view = new DataView(b.buffer, b.byteOffset, b.byteLength);
  return {
    status: STATUS_OF[view.getUint8(0)] ?? "none",
    at: Number(view.getBigUint64(1)),
    requester: dec.decode(b.subarray(9)),
  };
}

function checkControl(c: DmControl): void {
  const ok = (a: string) =>
    typeof a === "string" && a.length > 0 && a.length <= MAX_ADDRESS && !a.includes("\0");
  if (!ok(c.from) || !ok(c.to) || c.from === c.to || !Number.isSafeInteger(c.at) || c.at < 0) {
    throw new DmPolicyError("BAD_CONTROL", "a control names two different accounts and a time in seconds");
  }
}

export class DmPolicy {
  constructor(private readonly db: Database) {}

  /** Where a pair of accounts stands (either order). */
  async pair(x: string, y: string): Promise<PairState> {
    const b = await this.db.get(pairKey(x, y));
    return b ? decodePair(b) : { status: "none", requester: "", at: 0 };
  }

  async isBlocked(blocker: string, blocked: string): Promise<boolean> {
    return (await this.db.get(blockKey(blocker, blocked))) !== undefined;
  }

  /** Throws the refusal when `from` may not send `to` a message (or, with `request`, a request). */
  async checkDelivery(from: string, to: string, kind: "message" | "request", now: number): Promise<void> {
    if ((await this.isBlocked(to, from)) || (await this.isBlocked(from, to))) {
      throw new DmPolicyError("BLOCKED", "one of the two has blocked the other");
    }
    const p = await this.pair(from, to);
    if (kind === "message") {
      if (p.status !== "accepted")
        throw new DmPolicyError("NOT_ACCEPTED", "the DM request has not been accepted");
      return;
    }
    if (p.status === "accepted") return;
    if (p.status === "pending") throw new DmPolicyError("REQUEST_PENDING", "a DM request is already waiting");
    if (p.status === "declined" && p.requester === from && now - p.at < DECLINE_COOLDOWN_SECONDS) {
      throw new DmPolicyError("REQUEST_DECLINED", "the request was declined; ask again later");
    }
  }

  /**
   * Applies a verified control; refuses one older than what the pair already holds. Returns false
   * when it changed nothing (a request between members who already accepted each other).
   */
  async apply(c: DmControl): Promise<boolean> {
    checkControl(c);
    const ops: BatchOp[] = [];
    if (c.kind === "block" || c.kind === "unblock") {
      ops.push(
        c.kind === "block"
          ? {
              type: "put",
              key: blockKey(c.from, c.to),
              value: encodePair({ status: "none", requester: "", at: c.at }),
            }
          : { type: "del", key: blockKey(c.from, c.to) },
      );
    } else {
      const p = await this.pair(c.from, c.to);
      if (c.at < p.at)
        throw new DmPolicyError("STALE_CONTROL", "a later control for this pair is already applied");
      let next: PairState;
      if (c.kind === "request") {
        await this.checkDelivery(c.from, c.to, "request", c.at);
        if ((await this.pair(c.from, c.to)).status === "accepted") return false;
        next = { status: "pending", requester: c.from, at: c.at };
      } else {
        // accept / decline answer a pending request of the other side.
        if (p.status !== "pending" || p.requester !== c.to) {
          throw new DmPolicyError("NOT_ACCEPTED", `there is no request from ${c.to} to ${c.kind}`);
        }
        next = { status: c.kind === "accept" ? "accepted" : "declined", requester: p.requester, at: c.at };
      }
      ops.push({ type: "put", key: pairKey(c.from, c.to), value: encodePair(next) });
    }
    await this.db.write(ops, { sync: true });
    return true;
  }
}
