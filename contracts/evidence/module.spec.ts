import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { Database } from "../../chain/db/database.js";
import { evidenceHash } from "../../chain/evidence/codec.js";
import { Application } from "../../chain/execution/app.js";
import { type BlockExecution, blockEventLeaves } from "../../chain/execution/block-executor.js";
import { CommittedState } from "../../chain/state/committed.js";
import { EMPTY_ROOT } from "../../chain/state/tree/index.js";
import { DEFAULT_TX_LIMITS } from "../../chain/tx/decode.js";
import { MsgRegistry } from "../../chain/tx/msg-registry.js";
import { doubleSign, makeValidators } from "../../test/support/evidence.js";
import { defaultModuleRegistry } from "../index.js";
import { ModulePrefix } from "../lib/store.js";
import type { BlockInfo } from "../types.js";
import { getEvidenceRecord, hasEvidence } from "./keeper.js";
import {
  decodeEvidenceResponse,
  encodeAllEvidenceRequest,
  encodeValidatorEvidenceRequest,
  QUERY_ALL_EVIDENCE,
  QUERY_VALIDATOR_EVIDENCE,
} from "./query.js";

const CHAIN_ID = "vivim-evidence-test";
const { set, keys } = makeValidators(4);
const evA = doubleSign(set, keys, 1, { height: 3n }).evidence;
const evB = doubleSign(set, keys, 2, { height: 4n }).evidence;
const evA2 = doubleSign(set, keys, 1, { height: 5n }).evidence;
/** The same offence as evA (validator 1, height 3, round 0, precommit) proven by another pair. */
const evAOther = doubleSign(set, keys, 1, { height: 3n, tags: ["block one", "block three"] }).evidence;

let dir: string;
let db: Database;
let app: Application;

function blockAt(height: bigint): BlockInfo {
  return { chainId: CHAIN_ID, height, time: { seconds: 1_700_000_000n + height, nanos: 0 } };
}

async function commit(exec: BlockExecution, block: BlockInfo): Promise<void> {
  await db.write(app.commitOps(exec), { sync: false });
  app.markCommitted(exec, block);
}

async function query(pathName: string, data: Uint8Array) {
  const res = await app.query({ path: pathName, data, prove: false });
  return res;
}

beforeEach(async () => {
  dir = mkdtempSync(path.join(tmpdir(), "vivim-evidence-"));
  db = new Database(path.join(dir, "db"));
  await db.open();
  app = new Application({
    chainId: CHAIN_ID,
    modules: defaultModuleRegistry(),
    msgRegistry: new MsgRegistry([]),
    state: new CommittedState(db, EMPTY_ROOT),
    txLimits: DEFAULT_TX_LIMITS,
    minGasPrices: [],
    verifier: { verify: async () => true },
    latestBlock: blockAt(5n),
  });
});

afterEach(async () => {
  await db.close();
  rmSync(dir, { recursive: true, force: true });
});

describe("evidence module", () => {
  it("records a block's evidence in state before its txs and emits double_sign events", async () => {
    const block = blockAt(6n);
    const empty = app.executeBlock(block, []);
    const exec = app.executeBlock(block, [], [evA, evB]);
    expect(Buffer.from(exec.appHash)).not.toEqual(Buffer.from(empty.appHash));
    expect(Buffer.from(exec.eventRoot)).not.toEqual(Buffer.from(empty.eventRoot));

    const events = exec.endBlockEvents.filter((e) => e.type === "double_sign");
    expect(events).toHaveLength(2);
    expect(exec.endBlockEvents[0]?.type).toBe("double_sign"); // begin-block events come first
    const attrs = Object.fromEntries(events[0]!.attributes.map((a) => [a.key, a]));
    expect(attrs.validator?.value).toBe(
      Buffer.from(evA.voteA.validatorAddress).toString("hex").toUpperCase(),
    );
    expect(attrs.height?.value).toBe("3");
    expect(attrs.round?.value).toBe("0");
    expect(attrs.vote_type?.value).toBe("precommit");
    expect(attrs.power?.value).toBe("10");
    expect(attrs.evidence_hash?.value).toBe(Buffer.from(evidenceHash(evA)).toString("hex").toUpperCase());
    expect(attrs.validator?.index).toBe(true);
    expect(attrs.height?.index).toBe(true);
    // The event root covers them: they are leaves of the block's event tree.
    expect(blockEventLeaves(6n, exec.results, exec.endBlockEvents)).toHaveLength(exec.endBlockEvents.length);

    expect(hasEvidence(app.state, evA)).toBe(false); // nothing is written before the commit
    await commit(exec, block);
    expect(hasEvidence(app.state, evA)).toBe(true);
    expect(hasEvidence(app.state, evAOther)).toBe(true); // same offence
    expect(hasEvidence(app.state, evA2)).toBe(false);
    const record = getEvidenceRecord(app.state, evA.voteA.validatorAddress, 3n, 0, 2);
    expect(record?.height).toBe(6n);
    expect(record?.time).toEqual(block.time);
    expect(Buffer.from(evidenceHash(record!.evidence))).toEqual(Buffer.from(evidenceHash(evA)));
  });

  it("records an offence once, however many vote pairs prove it", async () => {
    const first = app.executeBlock(blockAt(6n), [], [evA]);
    await commit(first, blockAt(6n));
    const again = app.executeBlock(blockAt(7n), [], [evAOther]);
    expect(again.endBlockEvents.filter((e) => e.type === "double_sign")).toEqual([]);
    // No write under the evidence module's keys (other modules' end blocks may write their own).
    expect(again.writes.filter((w) => w.key[0] === ModulePrefix.evidence)).toEqual([]);
    expect(first.writes.filter((w) => w.key[0] === ModulePrefix.evidence)).toHaveLength(1);
  });

  it("answers paginated queries for all evidence and for one validator", async () => {
    const exec = app.executeBlock(blockAt(6n), [], [evA, evB, evA2]);
    await commit(exec, blockAt(6n));

    const all = await query(QUERY_ALL_EVIDENCE, encodeAllEvidenceRequest({}));
    expect(all.code).toBe(0);
    expect(decodeEvidenceResponse(all.value).evidence).toHaveLength(3);

    const mine = await query(
      QUERY_VALIDATOR_EVIDENCE,
      encodeValidatorEvidenceRequest({ validatorAddress: evA.voteA.validatorAddress }),
    );
    const records = decodeEvidenceResponse(mine.value).evidence;
    expect(records.map((r) => r.evidence.voteA.height)).toEqual([3n, 5n]);
    expect(records.every((r) => r.height === 6n)).toBe(true);

    const page1 = decodeEvidenceResponse(
      (
        await query(
          QUERY_VALIDATOR_EVIDENCE,
          encodeValidatorEvidenceRequest({
            validatorAddress: evA.voteA.validatorAddress,
            pagination: { key: new Uint8Array(), offset: 0n, limit: 1n, countTotal: false, reverse: false },
          }),
        )
      ).value,
    );
    expect(page1.evidence.map((r) => r.evidence.voteA.height)).toEqual([3n]);
    expect(page1.pagination?.nextKey.length).toBeGreaterThan(0);
    const page2 = decodeEvidenceResponse(
      (
        await query(
          QUERY_VALIDATOR_EVIDENCE,
          encodeValidatorEvidenceRequest({
            validatorAddress: evA.voteA.validatorAddress,
            pagination: {
              key: page1.pagination!.nextKey,
              offset: 0n,
              limit: 1n,
              countTotal: false,
              reverse: false,
            },
          }),
        )
      ).value,
    );
    expect(page2.evidence.map((r) => r.evidence.voteA.height)).toEqual([5n]);
    expect(page2.pagination?.nextKey.length).toBe(0);

    const bad = await query(
      QUERY_VALIDATOR_EVIDENCE,
      encodeValidatorEvidenceRequest({ validatorAddress: new Uint8Array(3) }),
    );
    expect(bad.code).not.toBe(0);
    const garbage = await query(QUERY_ALL_EVIDENCE, new Uint8Array([0x0a, 0xff]));
    expect(garbage.code).not.toBe(0);
  });

  it("accepts an empty genesis section and rejects unknown fields", () => {
    const m = defaultModuleRegistry().modules.find((x) => x.name === "evidence")!;
    expect(() => m.validateGenesis(undefined)).not.toThrow();
    expect(() => m.validateGenesis({})).not.toThrow();
    expect(() => m.validateGenesis({ evidence: [] })).toThrow(/unknown field/);
  });
});
