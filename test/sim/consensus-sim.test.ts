/**
 * Issue 3: the consensus state machine under a deterministic simulated network. Each seed draws a
 * scenario (4-7 validators; delays and reordering, drops, duplicates, partitions that heal,
 * crashes and restarts, byzantine validators that equivocate) and runs it in virtual time. In every
 * run no two honest nodes may commit different blocks at a height, and after the heal every honest
 * node must get `progressHeights` past the best height at the heal; a byzantine double vote must be
 * reported as evidence. A failure prints the seed, the scenario, the command that replays it and
 * the last events.
 *
 *   VIVIM_SIM_SEEDS=5000 npx vitest run test/sim     more seeds (default 200)
 *   VIVIM_SIM_SEED=1234 npx vitest run test/sim      exactly one seed
 */
import { afterAll, describe, expect, it } from "vitest";
import { SignedMsgType, type Vote } from "../../chain/consensus/messages.js";
import { NIL_BLOCK_ID } from "../../chain/types/block.js";
import { makeBlock } from "./blocks.js";
import { ConsensusMonitor } from "./monitor.js";
import { calmScenario, describeScenario, FLAVOURS, scenarioForSeed } from "./scenarios.js";
import { formatFailure, type RunResult, runScenario } from "./simulation.js";

function seedsToRun(): number[] {
  const one = process.env.VIVIM_SIM_SEED;
  if (one) {
    const seed = Number(one);
    if (!Number.isSafeInteger(seed) || seed < 0)
      throw new Error(`VIVIM_SIM_SEED must be a seed number, got ${one}`);
    return [seed];
  }
  const count = Number(process.env.VIVIM_SIM_SEEDS ?? 200);
  if (!Number.isSafeInteger(count) || count < 1) throw new Error("VIVIM_SIM_SEEDS must be a positive count");
  return Array.from({ length: count }, (_, i) => i + 1);
}

const seeds = seedsToRun();
const results: RunResult[] = [];
const started = performance.now();

describe("consensus simulation", () => {
  const cases = seeds.map((seed) => {
    const s = scenarioForSeed(seed);
    return [seed, `n=${s.validators} ${s.flavour}`] as const;
  });

  it.each(cases)("seed %i: %s", (seed) => {
    const result = runScenario(scenarioForSeed(seed));
    results.push(result);
    if (result.violations.length > 0) expect.fail(formatFailure(result));
  });

  it.runIf(seeds.length >= 100)("covers the whole mix of sizes and faults", () => {
    const scenarios = results.map((r) => r.scenario);
    expect(new Set(scenarios.map((s) => s.validators))).toEqual(new Set([4, 5, 6, 7]));
    expect(new Set(scenarios.map((s) => s.flavour))).toEqual(new Set(FLAVOURS));
    expect(scenarios.some((s) => s.colluding)).toBe(true);
    // The byzantine nodes did misbehave, and the honest ones noticed and refused their forgeries.
    expect(results.some((r) => r.conflictingVotesSent > 0 && r.equivocationsDetected > 0)).toBe(true);
    expect(results.some((r) => r.rejectedMessages > 0)).toBe(true);
    expect(results.some((r) => r.network.dropped > 0 && r.network.lost > 0 && r.network.duplicated > 0)).toBe(
      true,
    );
  });

  afterAll(() => {
    const heights = results.reduce((sum, r) => sum + Number(r.tips.reduce((a, b) => (a > b ? a : b), 0n)), 0);
    const events = results.reduce((sum, r) => sum + r.events, 0);
    console.info(
      `consensus simulation: ${results.length} seeds, ${heights} heights, ${events} events, ` +
        `${results.reduce((s, r) => s + r.equivocationsDetected, 0)} equivocations reported, ` +
        `${results.reduce((s, r) => s + r.rejectedMessages, 0)} forged messages rejected, ` +
        `${((performance.now() - started) / 1000).toFixed(1)}s`,
    );
  });
});

describe("the simulation itself", () => {
  it("replays a seed exactly", () => {
    const scenario = scenarioForSeed(seeds[0]!);
    const first = runScenario(scenario);
    const second = runScenario(scenario);
    expect(second.digest).toBe(first.digest);
    expect(second.events).toBe(first.events);
    expect(second.tips).toEqual(first.tips);
    expect(second.trace).toEqual(first.trace);
  });

  // Negative control: with byzantine power at 1/3, Tendermint promises nothing, and two colluding
  // validators of four that show each half of the honest nodes a different block fork the chain.
  // The safety check must see it, or it would not see a real fork either.
  it("catches a fork when 2 of 4 validators collude", () => {
    const forked = [1, 2, 3, 4, 5].map((seed) =>
      runScenario(
        calmScenario(seed, 4, {
          byzantine: [0, 1],
          colluding: true,
          behaviour: { equivocateProbability: 1, invalidBlockProbability: 0, forgeProbability: 0 },
        }),
      ),
    );
    const forks = forked.filter((r) => r.violations.some((v) => v.startsWith("SAFETY: fork")));
    expect(forks.length).toBeGreaterThan(0);
    const report = formatFailure(forks[0]!);
    expect(report).toContain(`VIVIM_SIM_SEED=${forks[0]!.scenario.seed} npx vitest run test/sim`);
    expect(report).toContain(describeScenario(forks[0]!.scenario));
    expect(report).toMatch(/COMMIT/);
  });

  it("reports a stall when 2 of 4 validators never come back", () => {
    const result = runScenario(
      calmScenario(7, 4, {
        crashes: [
          { node: 0, atMs: 500, restartMs: Number.POSITIVE_INFINITY },
          { node: 1, atMs: 500, restartMs: Number.POSITIVE_INFINITY },
        ],
        livenessBoundMs: 5_000,
      }),
    );
    expect(result.violations).toHaveLength(1);
    expect(result.violations[0]).toMatch(/^LIVENESS/);
  });
});

describe("ConsensusMonitor", () => {
  const block = (height: bigint, noise: number, invalid = false) =>
    makeBlock({ height, round: 0, proposer: 0, parent: "p", noise, invalid });
  const vote = (validatorIndex: number, noise: number | undefined): Vote => ({
    type: SignedMsgType.Prevote,
    height: 3n,
    round: 1,
    blockId: noise === undefined ? NIL_BLOCK_ID : block(3n, noise).id,
    timestamp: { seconds: 0n, nanos: 0 },
    validatorAddress: new Uint8Array(20),
    validatorIndex,
    signature: new Uint8Array(64),
  });

  it("flags two honest nodes committing different blocks at one height, not a byzantine one", () => {
    const monitor = new ConsensusMonitor(new Set([3]));
    monitor.recordCommit(0, block(5n, 1), 100);
    monitor.recordCommit(1, block(5n, 1), 110);
    monitor.recordCommit(3, block(5n, 2), 120);
    expect(monitor.failed).toBe(false);
    monitor.recordCommit(2, block(5n, 2), 130);
    expect(monitor.violations).toHaveLength(1);
    expect(monitor.violations[0]).toMatch(/^SAFETY: fork at height 5: node 0 .* node 2/);
  });

  it("flags an invalid block committed by an honest node", () => {
    const monitor = new ConsensusMonitor(new Set());
    monitor.recordCommit(0, block(1n, 1, true), 10);
    expect(monitor.violations[0]).toMatch(/^VALIDITY/);
  });

  it("flags an honest double sign and evidence against an honest validator", () => {
    const monitor = new ConsensusMonitor(new Set([2]));
    monitor.recordHonestVote(vote(0, 1));
    monitor.recordHonestVote(vote(0, 1));
    expect(monitor.failed).toBe(false);
    monitor.recordHonestVote(vote(0, undefined));
    expect(monitor.violations[0]).toMatch(/^DOUBLE SIGN: honest validator 0/);
    monitor.recordEvidence(1, vote(2, 1), vote(2, undefined));
    expect(monitor.equivocationsDetected).toBe(1);
    monitor.recordEvidence(1, vote(0, 1), vote(0, 2));
    expect(monitor.violations[1]).toMatch(/^FALSE EVIDENCE/);
  });
});
