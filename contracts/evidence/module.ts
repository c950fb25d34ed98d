/**
 * The evidence module: records the misbehaviour a block commits, so it becomes chain state that
 * anyone can query and prove, and that governance can act on.
 *
 * Flow: consensus detects a double sign (or a peer gossips it), the evidence pool verifies it
 * (chain/evidence/pool.ts), a proposer puts it in a block (Block field 3, header evidence_hash),
 * validators check it (`EvidencePool.checkProposed`) before voting, and on execution the block
 * executor hands it to `beginBlock` before any tx runs. The module trusts what it is handed — the
 * consensus layer verified it — but records each offence (validator, height, round, vote type)
 * only once.
 *
 * For each newly recorded offence it emits a `double_sign` event (`validator` upper-case hex
 * consensus address, `height`, `round`, `vote_type`, `power`, `evidence_hash`); it is the first of
 * the block's end-block events (covered by the event root, shown in `block_results`
 * `finalize_block_events` and the NewBlock event stream).
 *
 * Nothing is punished here: a PoA chain's validators answer to governance. A governance proposal
 * (a later module) cites the recorded offence (`getEvidenceRecord`, or the queries) and, when it
 * passes, removes or re-weights the validator through the validators module's
 * `scheduleValidatorUpdate` (in force two blocks later, like every validator-set change).
 */
import { toHexUpper } from "../../chain/crypto/hash.js";
import { evidenceHash } from "../../chain/evidence/codec.js";
import type { DuplicateVoteEvidence } from "../../chain/evidence/types.js";
import { indexedEvent } from "../lib/events.js";
import { asObject, rejectUnknownKeys } from "../lib/genesis.js";
import type { AbciEvent, ContractModule } from "../types.js";
import { recordEvidence } from "./keeper.js";
import {
  QUERY_ALL_EVIDENCE,
  QUERY_VALIDATOR_EVIDENCE,
  queryAllEvidence,
  queryValidatorEvidence,
} from "./query.js";

export const DOUBLE_SIGN_EVENT = "double_sign";

export function doubleSignEvent(ev: DuplicateVoteEvidence): AbciEvent {
  const v = ev.voteA;
  return indexedEvent(
    DOUBLE_SIGN_EVENT,
    {
      validator: toHexUpper(v.validatorAddress),
      height: v.height.toString(),
      round: String(v.round),
      vote_type: v.type === 1 ? "prevote" : "precommit",
      power: ev.validatorPower.toString(),
      evidence_hash: toHexUpper(evidenceHash(ev)),
    },
    ["power"],
  );
}

function parseGenesis(state: unknown): void {
  // Nothing to configure yet; evidence enters state only through blocks.
  rejectUnknownKeys(asObject(state ?? {}, "app_state.evidence"), [], "app_state.evidence");
}

export const evidenceModule: ContractModule = {
  name: "evidence",
  msgs: [],
  queries: {
    [QUERY_ALL_EVIDENCE]: queryAllEvidence,
    [QUERY_VALIDATOR_EVIDENCE]: queryValidatorEvidence,
  },
  validateGenesis(state) {
    parseGenesis(state);
  },
  initGenesis(_ctx, state) {
    parseGenesis(state);
  },
  beginBlock(ctx, { evidence }) {
    for (const ev of evidence) {
      if (recordEvidence(ctx.store, ev, { height: ctx.block.height, time: ctx.block.time }))
        ctx.emit(doubleSignEvent(ev));
    }
  },
};
