/**
 * Who is around, as one node knows it (pure; the caller passes the clock). Presence is ephemeral:
 * nothing here is stored or goes on chain. Each node reports the accounts connected to it (their
 * chosen status while they hold a session there) and re-reports them while they stay; a report
 * lapses after its TTL, so an account whose node vanished fades to offline. An account connected
 * to two nodes is as present as its most recent non-offline report says.
 */

export const PRESENCE_STATUSES = ["online", "away", "busy", "offline"] as const;
export type PresenceStatus = (typeof PRESENCE_STATUSES)[number];

export const isPresenceStatus = (v: unknown): v is PresenceStatus =>
  typeof v === "string" && (PRESENCE_STATUSES as readonly string[]).includes(v);

interface Report {
  readonly status: PresenceStatus;
  /** When the report was made (ms), for ordering reports from different nodes. */
  readonly at: number;
  /** When it lapses (ms). */
  readonly until: number;
}

/** The most accounts a board tracks; beyond it the stalest reports go first. */
export const MAX_TRACKED_ACCOUNTS = 200_000;

export class PresenceBoard {
  /** address → origin node id → its latest report. */
  private readonly reports = new Map<string, Map<string, Report>>();

  constructor(private readonly maxAccounts = MAX_TRACKED_ACCOUNTS) {}

  /**
   * Records `origin`'s report of `address`; returns the account's status after it when that
   * changed (what live subscribers are told), else undefined. Older reports than held are ignored.
   */
  report(
    address: string,
    origin: string,
    r: { status: PresenceStatus; at: number; ttlMs: number },
    now: number,
  ): PresenceStatus | undefined {
    const before = this.status(address, now);
    let byOrigin = this.reports.get(address);
    const held = byOrigin?.get(origin);
    if (held && held.at > r.at) return undefined;
    if (!byOrigin) {
      if (this.reports.size >= this.maxAccounts)
        this.reports.delete(this.reports.keys().next().value as string);
      byOrigin = new Map();
      this.reports.set(address, byOrigin);
    }
    if (r.status === "offline") byOrigin.delete(origin);
    else byOrigin.set(origin, { status: r.status, at: r.at, until: now + r.ttlMs });
    if (byOrigin.size === 0) this.reports.delete(address);
    const after = this.status(address, now);
    return after === before ? undefined : after;
  }

  /** The account's status at `now`: its latest live report, or offline. */
  status(address: string, now: number): PresenceStatus {
    const live = [...(this.reports.get(address)?.values() ?? [])].filter((r) => r.until > now);
    return latest(live)?.status ?? "offline";
  }

  /**
   * Drops lapsed reports; returns the accounts whose status changed by it, with their status now
   * (to tell subscribers). Call it every few seconds.
   */
  sweep(now: number): Array<[string, PresenceStatus]> {
    const changed: Array<[string, PresenceStatus]> = [];
    for (const [address, byOrigin] of this.reports) {
      const before = latest(byOrigin.values())?.status ?? "offline";
      for (const [origin, r] of byOrigin) if (r.until <= now) byOrigin.delete(origin);
      if (byOrigin.size === 0) this.reports.delete(address);
      const after = latest(byOrigin.values())?.status ?? "offline";
      if (after !== before) changed.push([address, after]);
    }
    return changed;
  }
}

function latest(reports: Iterable<Report>): Report | undefined {
  let best: Report | undefined;
  for (const r of reports) if (!best || r.at > best.at) best = r;
  return best;
}
