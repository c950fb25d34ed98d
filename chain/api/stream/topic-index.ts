/**
 * Live subscriptions indexed by topic (pure), so a committed event visits only the subscriptions
 * that may want it instead of every subscription of every session. `matches` (routing.ts) stays the
 * one routing predicate: the index only narrows which subscriptions the hub asks it about, and
 * hands out a superset of those `matches` accepts.
 *
 * How it stays a superset without knowing the routing rules: a parametrized topic (a community id,
 * a thread's post, the account of a notifications session) is filed under its parameter. For an
 * event, the candidate parameters are the values the event names: its attribute values and the
 * values of what routing read from state (`RouteMeta` fields, and the members of its sets). A topic
 * whose parameter is none of these can only match through a rule that does not look at the
 * parameter (a proposal outcome notifies every account), so `matches` is asked once per kind with a
 * parameter no event can name (its `probe`): when that probe matches, every subscription of the kind
 * is a candidate. This holds as long as `matches` compares a topic's parameter only for equality
 * (or set membership) with values taken from the event and its `RouteMeta`. A kind without an
 * entry in `KINDS` (a new topic kind not yet indexed) is offered every event.
 */
import type { StreamEvent } from "./block-events.js";
import type { Topic } from "./protocol.js";
import { matches, type RouteMeta } from "./routing.js";

/** An account no session can hold (not bech32), for probing rules that ignore the account. */
const NOBODY = "\u0000";
const DECIMAL = /^\d{1,20}$/;

interface KindSpec {
  /** The parameter `matches` compares, as a string; absent for a kind without one (blocks). */
  readonly param?: (topic: Topic, account: string) => string;
  /** Decimal id parameters (normalized through BigInt) rather than free strings. */
  readonly numeric: boolean;
  /** This kind's topic with a parameter no event names. */
  readonly probe: Topic;
}

const KINDS: Readonly<Record<string, KindSpec>> = {
  blocks: { numeric: false, probe: { kind: "blocks" } },
  community: {
    param: (t) => (t as Extract<Topic, { kind: "community" }>).id.toString(),
    numeric: true,
    probe: { kind: "community", id: -1n },
  },
  thread: {
    param: (t) => (t as Extract<Topic, { kind: "thread" }>).post.toString(),
    numeric: true,
    probe: { kind: "thread", post: -1n },
  },
  notifications: { param: (_t, account) => account, numeric: false, probe: { kind: "notifications" } },
};

interface KindEntries<T> {
  readonly spec: KindSpec;
  /** Every item of this kind (candidates when the probe matches). */
  readonly all: Set<T>;
  readonly byParam: Map<string, Set<T>>;
}

/** The values an event names, as strings: attribute values, and RouteMeta fields and set members. */
export function namedValues(e: StreamEvent, meta: RouteMeta | undefined): Set<string> {
  const out = new Set<string>();
  for (const v of Object.values(e.attributes)) out.add(v);
  if (meta) {
    for (const v of Object.values(meta)) {
      if (typeof v === "string" || typeof v === "bigint" || typeof v === "number") out.add(String(v));
      else if (v instanceof Set || Array.isArray(v)) for (const x of v) out.add(String(x));
    }
  }
  return out;
}

export class TopicIndex<T> {
  private readonly kinds = new Map<string, KindEntries<T>>();
  /** Items of kinds without a KindSpec: offered every event. */
  private readonly unindexed = new Set<T>();
  private count = 0;

  get size(): number {
    return this.count;
  }

  add(topic: Topic, account: string, item: T): void {
    const spec = KINDS[topic.kind];
    if (!spec) {
      if (!this.unindexed.has(item)) this.count++;
      this.unindexed.add(item);
      return;
    }
    let kind = this.kinds.get(topic.kind);
    if (!kind) {
      kind = { spec, all: new Set(), byParam: new Map() };
      this.kinds.set(topic.kind, kind);
    }
    if (kind.all.has(item)) return;
    kind.all.add(item);
    const param = spec.param?.(topic, account) ?? "";
    let set = kind.byParam.get(param);
    if (!set) {
      set = new Set();
      kind.byParam.set(param, set);
    }
    set.add(item);
    this.count++;
  }

  delete(topic: Topic, account: string, item: T): void {
    const spec = KINDS[topic.kind];
    if (!spec) {
      if (this.unindexed.delete(item)) this.count--;
      return;
    }
    const kind = this.kinds.get(topic.kind);
    if (!kind?.all.delete(item)) return;
    this.count--;
    const param = spec.param?.(topic, account) ?? "";
    const set = kind.byParam.get(param);
    set?.delete(item);
    if (set?.size === 0) kind.byParam.delete(param);
    if (kind.all.size === 0) this.kinds.delete(topic.kind);
  }

  /**
   * Calls `visit` once for every item whose topic `matches` may accept for `e` (a superset; the
   * caller still asks `matches`). Items deleted during the walk are not visited after that.
   */
  forCandidates(e: StreamEvent, meta: RouteMeta | undefined, visit: (item: T) => void): void {
    let values: Set<string> | undefined;
    let numbers: Set<string> | undefined;
    for (const kind of this.kinds.values()) {
      if (matches(kind.spec.probe, e, NOBODY, meta)) {
        for (const item of kind.all) visit(item);
        continue;
      }
      if (!kind.spec.param) continue;
      values ??= namedValues(e, meta);
      let params: Set<string> = values;
      if (kind.spec.numeric) {
        if (!numbers) {
          numbers = new Set();
          for (const v of values) if (DECIMAL.test(v)) numbers.add(BigInt(v).toString());
        }
        params = numbers;
      }
      for (const p of params) {
        const set = kind.byParam.get(p);
        if (set) for (const item of set) visit(item);
      }
    }
    for (const item of this.unindexed) visit(item);
  }
}
