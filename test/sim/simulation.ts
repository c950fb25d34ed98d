/**
 * Runs one scenario: builds the validators, the virtual network and the fault schedule, then
 * processes events in virtual time until the chain has made the required progress after the heal
 * (or a bound passes, or an invariant breaks). The result says what broke, with the trace tail.
 */
import { ByzantineNode } from "./byzantine-node.js";
import { Conspiracy } from "./conspiracy.js";
import { EventQueue } from "./event-queue.js";
import { ConsensusMonitor } from "./monitor.js";
import { type NetworkStats, VirtualNetwork } from "./network.js";
import { deriveSeed, Prng } from "./prng.js";
import { describeScenario, type Scenario } from "./scenarios.js";
import { type NodeEnvironment, SimNode } from "./sim-node.js";
import { Trace } from "./trace.js";
import { SimValidatorSets, simValidators } from "./validators.js";
import { SignatureVerifier } from "./verifier.js";
import type { SimMessage } from "./wire.js";

export interface RunOptions {
  /** Lines of trace kept for the failure report. */
  readonly traceLines?: number;
  /** Safety net against a run that never ends (e.g. a message storm). */
  readonly maxEvents?: number;
}

export interface RunResult {
  readonly scenario: Scenario;
  readonly violations: readonly string[];
  /** Committed height of each node at the end. */
  readonly tips: readonly bigint[];
  /** Highest honest height at the heal, and the height every honest node had to reach. */
  readonly healHeight: bigint | undefined;
  readonly targetHeight: bigint | undefined;
  readonly endMs: number;
  readonly events: number;
  readonly network: NetworkStats;
  readonly conflictingVotesSent: number;
  readonly equivocationsDetected: number;
  readonly rejectedMessages: number;
  readonly trace: readonly string[];
  /** Digest of the whole trace: equal for two runs of one seed. */
  readonly digest: number;
}

export function runScenario(scenario: Scenario, options: RunOptions = {}): RunResult {
  const { seed } = scenario;
  const queue = new EventQueue();
  const trace = new Trace(() => queue.now, options.traceLines ?? 200);
  const { genesis, keys } = simValidators(scenario.validators);
  const sets = new SimValidatorSets(genesis);
  const byzantine = new Set(scenario.byzantine);
  const monitor = new ConsensusMonitor(byzantine);
  const verifier = new SignatureVerifier(keys);
  const nodes: SimNode[] = [];
  const network = new VirtualNetwork<SimMessage>(
    queue,
    new Prng(deriveSeed(seed, "network")),
    scenario.validators,
    (from, to, message) => nodes[to]!.receive(from, message),
  );
  network.setFaults(scenario.links);
  const conspiracyFor = (id: number): Conspiracy =>
    new Conspiracy(
      scenario.colluding ? byzantine : new Set([id]),
      scenario.validators,
      new Prng(deriveSeed(seed, scenario.colluding ? "conspiracy" : `conspiracy-${id}`)),
    );
  const shared = scenario.colluding ? conspiracyFor(-1) : undefined;
  keys.forEach((key, id) => {
    const env: NodeEnvironment = {
      queue,
      network,
      sets,
      verifier,
      monitor,
      trace,
      config: scenario.node,
      prng: new Prng(deriveSeed(seed, `node-${id}`)),
    };
    nodes.push(
      byzantine.has(id)
        ? new ByzantineNode(id, key, env, shared ?? conspiracyFor(id), scenario.behaviour)
        : new SimNode(id, key, env),
    );
  });
  const honest = nodes.filter((n) => !byzantine.has(n.id));

  trace.add(`scenario seed=${seed}: ${describeScenario(scenario)}`);
  scheduleFaults(scenario, queue, network, nodes, trace);
  const startPrng = new Prng(deriveSeed(seed, "start"));
  for (const node of nodes) queue.at(startPrng.int(0, 50), () => node.boot());

  let healHeight: bigint | undefined;
  let targetHeight: bigint | undefined;
  queue.at(scenario.healMs, () => {
    network.setFaults(scenario.healedLinks);
    healHeight = honest.reduce((max, n) => (n.tipHeight > max ? n.tipHeight : max), 0n);
    targetHeight = healHeight + BigInt(scenario.progressHeights);
    trace.add(`HEAL: links clean; honest height ${healHeight}, every honest node must reach ${targetHeight}`);
  });

  const conflictingVotes = (): number =>
    nodes.reduce((sum, n) => sum + (n instanceof ByzantineNode ? n.conflictingVotesSent : 0), 0);
  const reachedTarget = (): boolean =>
    targetHeight !== undefined && honest.every((n) => n.tipHeight >= targetHeight!);
  // A double vote must have been noticed by the time the run is allowed to end.
  const doneDetecting = (): boolean => conflictingVotes() === 0 || monitor.equivocationsDetected > 0;

  const deadline = scenario.healMs + scenario.livenessBoundMs;
  const maxEvents = options.maxEvents ?? 3_000_000;
  let events = 0;
  const violations: string[] = [];
  try {
    while (events < maxEvents && queue.now <= deadline && !monitor.failed) {
      if (reachedTarget() && doneDetecting()) break;
      if (!queue.step()) break;
      events++;
    }
  } catch (err) {
    const e = err instanceof Error ? err : new Error(String(err));
    violations.push(`EXCEPTION at t=${queue.now}: ${e.stack ?? e.message}`);
  }
  violations.unshift(...monitor.violations);
  if (violations.length === 0) {
    if (events >= maxEvents) violations.push(`RUNAWAY: ${events} events without finishing`);
    else if (!reachedTarget())
      violations.push(
        `LIVENESS: healed at t=${scenario.healMs} with honest height ${healHeight}, but by ` +
          `t=${queue.now} not every honest node reached ${targetHeight}`,
      );
    else if (!doneDetecting())
      violations.push(`DETECTION: ${conflictingVotes()} conflicting votes sent, none reported as evidence`);
  }
  return {
    scenario,
    violations,
    tips: nodes.map((n) => n.tipHeight),
    healHeight,
    targetHeight,
    endMs: queue.now,
    events,
    network: network.stats,
    conflictingVotesSent: conflictingVotes(),
    equivocationsDetected: monitor.equivocationsDetected,
    rejectedMessages: nodes.reduce((sum, n) => sum + (byzantine.has(n.id) ? 0 : n.rejected), 0),
    trace: trace.tail(),
    digest: trace.digest,
  };
}

function scheduleFaults(
  scenario: Scenario,
  queue: EventQueue,
  network: VirtualNetwork<SimMessage>,
  nodes: readonly SimNode[],
  trace: Trace,
): void {
  for (const p of scenario.partitions) {
    const shape = p.groups.map((g) => `{${g.join(",")}}`).join("|");
    queue.at(p.atMs, () => {
      network.partition(p.groups);
      trace.add(`PARTITION ${shape}`);
    });
    queue.at(p.healMs, () => {
      network.heal();
      trace.add(`PARTITION healed`);
    });
  }
  for (const c of scenario.crashes) {
    queue.at(c.atMs, () => nodes[c.node]!.crash());
    if (Number.isFinite(c.restartMs)) queue.at(c.restartMs, () => nodes[c.node]!.boot());
  }
}

/** The failure report: what broke, how to replay it, and the last events. */
export function formatFailure(result: RunResult): string {
  const s = result.scenario;
  return [
    `consensus simulation failed for seed ${s.seed}: ${describeScenario(s)}`,
    `reproduce: VIVIM_SIM_SEED=${s.seed} npx vitest run test/sim`,
    ...result.violations.map((v) => `  ${v}`),
    `heights at t=${result.endMs}: ${result.tips.map((h, i) => `n${i}=${h}`).join(" ")}` +
      ` (heal height ${result.healHeight ?? "-"}, target ${result.targetHeight ?? "-"})`,
    `last ${result.trace.length} events:`,
    ...result.trace,
  ].join("\n");
}
