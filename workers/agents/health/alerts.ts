/**
 * The health agent's alerts in Redis, for the app API and the operator:
 *
 * - `vivim:workers:alerts:open` — hash alert key → the open alert (JSON). A key is raised once and
 *   stays open (its `lastSeen` moves) until its check passes; then it is removed.
 * - `vivim:workers:alerts` — list of alert events, newest first, capped at 1000: the alert as raised
 *   and, later, the same alert with `resolvedAt`.
 * - channel `vivim:workers:alerts` — each event is PUBLISHed as `{ event: "raised"|"resolved", alert }`.
 * - `vivim:workers:alerts:posts` — alerts still to be posted in #ops (a stalled chain takes no post:
 *   the post waits for the chain to move again).
 *
 * Also here: the #ops post an alert makes (deterministic, so a replay is the same action) and the
 * optional webhook.
 */
import type { Redis } from "ioredis";
import type { Logger } from "pino";
import type { AlertKind, Finding, Severity } from "./checks.js";

export interface Alert {
  readonly key: string;
  readonly kind: AlertKind;
  readonly severity: Severity;
  readonly subject: string;
  readonly message: string;
  /** The highest chain height known when the alert was raised. */
  readonly height: number;
  /** Epoch ms. */
  readonly firstSeen: number;
  readonly lastSeen: number;
  readonly resolvedAt?: number;
}

export type AlertEvent = { readonly event: "raised" | "resolved"; readonly alert: Alert };

export const MAX_ALERTS = 1_000;
/** Alerts waiting for their #ops post; beyond this, new ones are not posted (they are still stored). */
export const MAX_PENDING_POSTS = 100;
const MAX_ALERT_BYTES = 4_096;

export const alertsKey = (prefix: string) => `${prefix}:workers:alerts`;
export const openAlertsKey = (prefix: string) => `${prefix}:workers:alerts:open`;
export const alertsChannel = (prefix: string) => `${prefix}:workers:alerts`;
export const pendingPostsKey = (prefix: string) => `${prefix}:workers:alerts:posts`;

/** A stored alert, checked (Redis is outside input too); undefined if it is not one. */
export function parseAlert(text: string): Alert | undefined {
  if (text.length > MAX_ALERT_BYTES) return undefined;
  try {
    const a = JSON.parse(text) as Partial<Alert>;
    if (
      typeof a.key !== "string" ||
      typeof a.kind !== "string" ||
      (a.severity !== "warn" && a.severity !== "critical") ||
      typeof a.subject !== "string" ||
      typeof a.message !== "string" ||
      !Number.isSafeInteger(a.height) ||
      !Number.isSafeInteger(a.firstSeen) ||
      !Number.isSafeInteger(a.lastSeen)
    ) {
      return undefined;
    }
    return a as Alert;
  } catch {
    return undefined;
  }
}

export function newAlert(f: Finding, height: number, now: number): Alert {
  return {
    key: f.key,
    kind: f.kind,
    severity: f.severity,
    subject: f.subject,
    message: f.message,
    height,
    firstSeen: now,
    lastSeen: now,
  };
}

/** The #ops post of an alert: built from the alert's key, kind and first height only (no clock). */
export function alertPost(a: Alert): { community: "ops"; title: string; body: string } {
  const title = `[${a.severity}] ${a.kind}: ${a.subject}`.slice(0, 200);
  const body = [
    `Health alert \`${a.key}\``,
    "",
    `- kind: ${a.kind}`,
    `- severity: ${a.severity}`,
    `- subject: ${a.subject}`,
    `- first seen at height ${a.height}`,
    `- ${a.message}`,
    "",
    "Raised by @operator/health. It resolves when the check passes; open alerts are in the app API.",
  ].join("\n");
  return { community: "ops", title, body };
}

/** The field of a pending post: the same alert raised again at the same height is the same post. */
export const postId = (a: Pick<Alert, "key" | "height">) => `${a.key}@${a.height}`;

export class AlertStore {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
  ) {}

  /** Opens an alert for `f` unless one is open; returns the new alert, or undefined (lastSeen moved). */
  async raise(f: Finding, height: number, now: number): Promise<Alert | undefined> {
    const alert = newAlert(f, height, now);
    const text = JSON.stringify(alert);
    const added = await this.redis.hsetnx(openAlertsKey(this.prefix), f.key, text);
    if (added === 1) {
      await this.event("raised", alert);
      return alert;
    }
    const current = parseAlert((await this.redis.hget(openAlertsKey(this.prefix), f.key)) ?? "");
    if (current) {
      await this.redis.hset(openAlertsKey(this.prefix), f.key, JSON.stringify({ ...current, lastSeen: now }));
    } else {
      // A field that does not parse is replaced by a fresh alert (not announced again).
      await this.redis.hset(openAlertsKey(this.prefix), f.key, text);
    }
    return undefined;
  }

  /** Closes the open alert `key`; returns it with `resolvedAt`, or undefined if none was open. */
  async resolve(key: string, now: number): Promise<Alert | undefined> {
    const text = await this.redis.hget(openAlertsKey(this.prefix), key);
    if (text === null) return undefined;
    const removed = await this.redis.hdel(openAlertsKey(this.prefix), key);
    const current = parseAlert(text);
    if (removed === 0 || !current) return undefined;
    const alert: Alert = { ...current, lastSeen: Math.max(current.lastSeen, now), resolvedAt: now };
    await this.event("resolved", alert);
    return alert;
  }

  async open(): Promise<Alert[]> {
    return openOf(await this.redis.hgetall(openAlertsKey(this.prefix)));
  }

  /** Queues the alert's #ops post; false when too many wait already. */
  async addPendingPost(a: Alert): Promise<boolean> {
    const key = pendingPostsKey(this.prefix);
    if ((await this.redis.hlen(key)) >= MAX_PENDING_POSTS) return false;
    await this.redis.hsetnx(key, postId(a), JSON.stringify(a));
    return true;
  }

  /** The alerts waiting for their post, oldest first. */
  async pendingPosts(): Promise<Alert[]> {
    const all = await this.redis.hgetall(pendingPostsKey(this.prefix));
    const out: Alert[] = [];
    for (const [field, text] of Object.entries(all)) {
      const a = parseAlert(text);
      if (a) out.push(a);
      else await this.redis.hdel(pendingPostsKey(this.prefix), field);
    }
    return out.sort((x, y) => x.firstSeen - y.firstSeen || x.key.localeCompare(y.key));
  }

  async postDone(a: Alert): Promise<void> {
    await this.redis.hdel(pendingPostsKey(this.prefix), postId(a));
  }

  private async event(event: AlertEvent["event"], alert: Alert): Promise<void> {
    const text = JSON.stringify(alert);
    await this.redis
      .multi()
      .lpush(alertsKey(this.prefix), text)
      .ltrim(alertsKey(this.prefix), 0, MAX_ALERTS - 1)
      .publish(alertsChannel(this.prefix), JSON.stringify({ event, alert }))
      .exec();
  }
}

function openOf(hash: Record<string, string>): Alert[] {
  const out: Alert[] = [];
  for (const text of Object.values(hash)) {
    const a = parseAlert(text);
    if (a) out.push(a);
  }
  return out.sort((x, y) => y.firstSeen - x.firstSeen || x.key.localeCompare(y.key));
}

/**
 * For the app API: the open alerts (newest first), or the alert events (raised, then resolved
 * entries; newest first). `limit` is 1–1000 (default 100).
 */
export async function readAlerts(
  redis: Redis,
  prefix: string,
  o: { open?: boolean; limit?: number } = {},
): Promise<Alert[]> {
  const limit = Math.min(MAX_ALERTS, Math.max(1, Math.floor(o.limit ?? 100)));
  if (o.open) return openOf(await redis.hgetall(openAlertsKey(prefix))).slice(0, limit);
  const texts = await redis.lrange(alertsKey(prefix), 0, limit - 1);
  return texts.map(parseAlert).filter((a): a is Alert => a !== undefined);
}

/**
 * POSTs an alert event as JSON to the operator's webhook, with a timeout. Never throws: a failure
 * is logged with a code (the URL is not logged: it may carry a token). Returns whether it was taken.
 */
export async function postWebhook(
  url: string,
  payload: AlertEvent,
  log: Logger,
  timeoutMs = 5_000,
): Promise<boolean> {
  try {
    const res = await fetch(url, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(payload),
      signal: AbortSignal.timeout(timeoutMs),
      redirect: "error",
    });
    await res.body?.cancel().catch(() => undefined);
    if (!res.ok) {
      log.warn(
        { code: "WEBHOOK_REFUSED", status: res.status, alert: payload.alert.key },
        "alert webhook refused",
      );
      return false;
    }
    return true;
  } catch (err) {
    const timeout = (err as Error).name === "TimeoutError";
    log.warn(
      { code: timeout ? "WEBHOOK_TIMEOUT" : "WEBHOOK_FAILED", alert: payload.alert.key },
      "alert webhook failed",
    );
    return false;
  }
}
