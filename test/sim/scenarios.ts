/**
 * Scenarios: what goes wrong in a run, drawn from the seed alone so `VIVIM_SIM_SEED=n` replays it.
 * Every fault ends by `healMs` (partitions healed, crashed nodes running again, no more drops);
 * byzantine validators stay byzantine to the end. Faults are kept within what Tendermint tolerates:
 * byzantine validators plus honest validators that crash (a crash forgets the lock, see the report)
 * never exceed f = ⌊(n−1)/3⌋. Delays, drops and partitions are asynchrony, not faults, and are free.
 */
import type { TimeoutConfig } from "../../chain/consensus/state-machine.js";
import type { ByzantineBehaviour } from "./byzantine-node.js";
import type { LinkFaults } from "./network.js";
import { deriveSeed, Prng } from "./prng.js";
import type { NodeConfig } from "./sim-node.js";

export const FLAVOURS = ["calm", "lossy", "partition", "crash", "byzantine", "chaos"] as const;
export type Flavour = (typeof FLAVOURS)[number];

export interface PartitionFault {
  readonly atMs: number;
  readonly healMs: number;
  readonly groups: readonly (readonly number[])[];
}

export interface CrashFault {
  readonly node: number;
  readonly atMs: number;
  /** Infinity: never restarts (only in negative controls: then the chain may rightly stall). */
  readonly restartMs: number;
}

export interface Scenario {
  readonly seed: number;
  readonly flavour: Flavour | "custom";
  readonly validators: number;
  readonly byzantine: readonly number[];
  /** Byzantine validators share one conspiracy (the same groups and split blocks). */
  readonly colluding: boolean;
  readonly behaviour: ByzantineBehaviour;
  /** Link behaviour until `healMs`. */
  readonly links: LinkFaults;
  /** Link behaviour after `healMs`: same delays and reordering, nothing lost. */
  readonly healedLinks: LinkFaults;
  readonly partitions: readonly PartitionFault[];
  readonly crashes: readonly CrashFault[];
  readonly healMs: number;
  /** Liveness: every honest node reaches (highest honest height at heal) + this... */
  readonly progressHeights: number;
  /** ...within this much virtual time after the heal. */
  readonly livenessBoundMs: number;
  readonly node: NodeConfig;
}

export const SIM_TIMEOUTS: TimeoutConfig = {
  proposeMs: 300,
  proposeDeltaMs: 100,
  prevoteMs: 100,
  prevoteDeltaMs: 50,
  precommitMs: 100,
  precommitDeltaMs: 50,
};

export const SIM_NODE_CONFIG: NodeConfig = {
  timeouts: SIM_TIMEOUTS,
  commitMs: 250,
  gossipMs: 400,
  syncRetryMs: 250,
};

export const DEFAULT_BEHAVIOUR: ByzantineBehaviour = {
  equivocateProbability: 0.5,
  invalidBlockProbability: 0.3,
  forgeProbability: 0.1,
};

const QUIET_LINKS: LinkFaults = {
  minDelayMs: 1,
  maxDelayMs: 30,
  slowProbability: 0.1,
  slowExtraMs: 200,
  dropProbability: 0,
  duplicateProbability: 0.05,
};

export function faultBudget(validators: number): number {
  return Math.floor((validators - 1) / 3);
}

export function scenarioForSeed(seed: number): Scenario {
  const prng = new Prng(deriveSeed(seed, "scenario"));
  const validators = prng.int(4, 7);
  const flavour = prng.pick(FLAVOURS);
  const f = faultBudget(validators);
  const nodes = [...Array(validators).keys()];
  const lossy = flavour === "lossy" || flavour === "chaos";
  const links: LinkFaults = lossy
    ? {
        minDelayMs: 1,
        maxDelayMs: prng.int(20, 80),
        slowProbability: 0.2,
        slowExtraMs: prng.int(100, 600),
        dropProbability: prng.int(5, 30) / 100,
        duplicateProbability: 0.1,
      }
    : { ...QUIET_LINKS, maxDelayMs: prng.int(10, 50) };

  const byzantineCount = flavour === "byzantine" || flavour === "chaos" ? prng.int(1, f) : 0;
  const byzantine = prng
    .shuffle(nodes)
    .slice(0, byzantineCount)
    .sort((a, b) => a - b);
  const honest = nodes.filter((i) => !byzantine.includes(i));

  const partitions =
    flavour === "partition" || flavour === "chaos" ? drawPartitions(prng, nodes, prng.int(1, 2)) : [];
  // Crashing honest validators counts against f with the byzantine ones; a byzantine one may crash too.
  const crashable =
    flavour === "crash" || flavour === "chaos"
      ? [...prng.shuffle(honest).slice(0, f - byzantineCount), ...byzantine]
      : [];
  const crashes = drawCrashes(prng, crashable);

  const faultsEnd = Math.max(
    lossy ? prng.int(1500, 5000) : 0,
    ...partitions.map((p) => p.healMs),
    ...crashes.map((c) => c.restartMs),
  );
  return {
    seed,
    flavour,
    validators,
    byzantine,
    colluding: byzantine.length > 1,
    behaviour: DEFAULT_BEHAVIOUR,
    links,
    healedLinks: { ...links, dropProbability: 0 },
    partitions,
    crashes,
    healMs: Math.max(1000, faultsEnd + 1),
    progressHeights: 3,
    livenessBoundMs: 30_000,
    node: SIM_NODE_CONFIG,
  };
}

/** A fault-free run of `validators` nodes, for hand-built scenarios (negative controls) to edit. */
export function calmScenario(seed: number, validators: number, changes: Partial<Scenario> = {}): Scenario {
  return {
    seed,
    flavour: "custom",
    validators,
    byzantine: [],
    colluding: false,
    behaviour: DEFAULT_BEHAVIOUR,
    links: QUIET_LINKS,
    healedLinks: QUIET_LINKS,
    partitions: [],
    crashes: [],
    healMs: 1000,
    progressHeights: 3,
    livenessBoundMs: 30_000,
    node: SIM_NODE_CONFIG,
    ...changes,
  };
}

/** Consecutive partitions of assorted shapes: halves, one node cut off, a random cut, three ways. */
function drawPartitions(prng: Prng, nodes: readonly number[], count: number): PartitionFault[] {
  const out: PartitionFault[] = [];
  let at = prng.int(100, 1500);
  for (let i = 0; i < count; i++) {
    const shuffled = prng.shuffle(nodes);
    const shape = prng.int(0, nodes.length >= 6 ? 3 : 2);
    const cut = [Math.floor(nodes.length / 2), 1, prng.int(1, nodes.length - 1)][shape];
    const groups =
      cut === undefined
        ? [shuffled.slice(0, 2), shuffled.slice(2, 4), shuffled.slice(4)]
        : [shuffled.slice(0, cut), shuffled.slice(cut)];
    const healMs = at + prng.int(300, 3000);
    out.push({ atMs: at, healMs, groups: groups.map((g) => [...g].sort((a, b) => a - b)) });
    at = healMs + prng.int(100, 1000);
  }
  return out;
}

/** One or two crash-and-restart cycles per crashable node. */
function drawCrashes(prng: Prng, crashable: readonly number[]): CrashFault[] {
  const out: CrashFault[] = [];
  for (const node of crashable) {
    let at = prng.int(100, 2500);
    for (let cycle = prng.int(1, 2); cycle > 0; cycle--) {
      const restartMs = at + prng.int(100, 2500);
      out.push({ node, atMs: at, restartMs });
      at = restartMs + prng.int(100, 1500);
    }
  }
  return out.sort((a, b) => a.atMs - b.atMs);
}

export function describeScenario(s: Scenario): string {
  const parts = [`n=${s.validators} ${s.flavour}`];
  if (s.byzantine.length > 0)
    parts.push(`byzantine [${s.byzantine.join(",")}]${s.colluding ? " colluding" : ""}`);
  const l = s.links;
  parts.push(
    `links ${l.minDelayMs}-${l.maxDelayMs}ms` +
      (l.slowProbability > 0 ? ` +${l.slowExtraMs}ms@${l.slowProbability}` : "") +
      (l.dropProbability > 0 ? ` drop ${l.dropProbability}` : "") +
      (l.duplicateProbability > 0 ? ` dup ${l.duplicateProbability}` : ""),
  );
  for (const p of s.partitions)
    parts.push(`partition ${p.groups.map((g) => `{${g.join(",")}}`).join("|")} ${p.atMs}-${p.healMs}ms`);
  for (const c of s.crashes) parts.push(`crash n${c.node} ${c.atMs}-${c.restartMs}ms`);
  parts.push(`heal ${s.healMs}ms`);
  return parts.join(", ");
}
