/**
 * Our own peer scoring, beside gossipsub's: every invalid thing a peer sends costs it points, points
 * come back slowly with good behaviour, and a peer that falls below the ban threshold is disconnected
 * and refused by the gater for a while. Keyed by node id, so a reconnect does not reset the score.
 */
import type { Offence } from "./verdict.js";

const PENALTY: Record<Offence, number> = {
  invalid_signature: 50,
  oversized: 50,
  malformed: 25,
  invalid_block: 50,
  bad_sync_response: 25,
};

export interface PeerScoreOptions {
  /** A peer at or below minus this many points is banned. */
  readonly banThreshold: number;
  readonly banMs: number;
  /** Points recovered per second of good behaviour. */
  readonly recoveryPerSecond: number;
  readonly now?: () => number;
}

export const DEFAULT_PEER_SCORE_OPTIONS: PeerScoreOptions = {
  banThreshold: 100,
  banMs: 10 * 60_000,
  recoveryPerSecond: 1,
};

interface Score {
  points: number;
  updatedMs: number;
  bannedUntilMs: number;
}

export class PeerScores {
  private readonly scores = new Map<string, Score>();
  private readonly now: () => number;

  constructor(private readonly opts: PeerScoreOptions = DEFAULT_PEER_SCORE_OPTIONS) {
    this.now = opts.now ?? Date.now;
  }

  private current(nodeId: string): Score {
    const now = this.now();
    let s = this.scores.get(nodeId);
    if (!s) {
      s = { points: 0, updatedMs: now, bannedUntilMs: 0 };
      this.scores.set(nodeId, s);
    }
    const recovered = ((now - s.updatedMs) / 1000) * this.opts.recoveryPerSecond;
    s.points = Math.min(0, s.points + recovered);
    s.updatedMs = now;
    return s;
  }

  /** Charges an offence; true when it pushes the peer over the threshold (it is banned from now). */
  penalize(nodeId: string, offence: Offence): boolean {
    const s = this.current(nodeId);
    s.points -= PENALTY[offence];
    if (s.points > -this.opts.banThreshold) return false;
    s.bannedUntilMs = this.now() + this.opts.banMs;
    s.points = 0;
    return true;
  }

  isBanned(nodeId: string): boolean {
    const s = this.scores.get(nodeId);
    return s !== undefined && s.bannedUntilMs > this.now();
  }

  score(nodeId: string): number {
    return this.scores.has(nodeId) ? this.current(nodeId).points : 0;
  }
}
