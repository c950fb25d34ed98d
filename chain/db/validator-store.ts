/**
 * The validator set in force at every height, so the commit of any block can be checked against
 * the set that signed it (and the `validators` RPC can answer for any height).
 *
 * Storage, as CometBFT's state store: one record per height under `Bucket.validatorSet`. The record
 * holds the whole set (with proposer priorities and the proposer) only at heights where the set
 * changed and at every `checkpointInterval`-th height; at other heights it holds just the last
 * height the set changed. Priorities move every height even when the members do not, so a pointer
 * record is resolved by loading the nearest full record at or below it (the change height or the
 * checkpoint, whichever is later) and stepping the priorities once per height in between, exactly
 * as consensus stepped them. Trade-off (measured): a full record is ≈ 70 bytes per validator
 * (354 bytes for 4, 7 KB for 100), a pointer 13 bytes with its key; storing every height would cost
 * ≈ 30 MB a day for 4 validators at one block a second, pointers ≈ 1 MB. A cold read of a pointer
 * costs at most 99 priority steps (≈ 2.5 ms for 4 validators, ≈ 60 ms for 100); reads are cached,
 * and a height whose predecessor is cached costs one step, so sequential reads (block sync, RPC
 * paging through heights) stay cheap.
 *
 * Record encoding (node-local, not consensus-critical), proto3:
 *   message ValidatorsInfo {
 *     tendermint.types.ValidatorSet validator_set = 1;  // absent in pointer records
 *     int64 last_height_changed = 2;
 *   }
 * Decoding checks every field (key size, address = sha256(pubkey)[:20], positive powers, the total,
 * the proposer being a member) and throws `ValidatorStoreCorruptError` rather than trust bad bytes.
 */
import { BinaryReader, BinaryWriter } from "cosmjs-types/binary";
import {
  type Validator as ValidatorProto,
  ValidatorSet as ValidatorSetProto,
} from "cosmjs-types/tendermint/types/validator";
import type { ValidatorSchedule } from "../consensus/validator-schedule.js";
import { type Validator, ValidatorSet, validatorAddress } from "../consensus/validator-set.js";
import { bytesEqual } from "../crypto/hash.js";
import { LruCache } from "../util/lru.js";
import { Bucket, heightKey } from "./buckets.js";
import type { BatchOp, Database } from "./database.js";

/** Heights at which the full set is stored even without a change (bounds the steps of a read). */
export const DEFAULT_CHECKPOINT_INTERVAL = 100n;

export class ValidatorStoreCorruptError extends Error {
  readonly code = "VALIDATOR_STORE_CORRUPT";
  constructor(height: bigint, reason: string) {
    super(`validator set record at height ${height}: ${reason}`);
    this.name = "ValidatorStoreCorruptError";
  }
}

export interface ValidatorsInfo {
  readonly validatorSet: ValidatorSet | undefined;
  readonly lastHeightChanged: bigint;
}

function toProto(v: Validator): ValidatorProto {
  return {
    address: v.address,
    pubKey: { ed25519: v.pubKey },
    votingPower: v.votingPower,
    proposerPriority: v.proposerPriority,
  };
}

export function encodeValidatorsInfo(info: ValidatorsInfo): Uint8Array {
  const w = BinaryWriter.create();
  const set = info.validatorSet;
  if (set) {
    w.uint32(10).fork();
    ValidatorSetProto.encode(
      {
        validators: set.validators.map(toProto),
        proposer: toProto(set.proposer()),
        totalVotingPower: set.totalVotingPower,
      },
      w,
    );
    w.ldelim();
  }
  if (info.lastHeightChanged !== 0n) w.uint32(16).int64(info.lastHeightChanged);
  return w.finish();
}

function checkValidator(height: bigint, v: ValidatorProto, where: string): Validator {
  const fail = (reason: string) => new ValidatorStoreCorruptError(height, `${where}: ${reason}`);
  if (v.pubKey?.secp256k1 && v.pubKey.secp256k1.length > 0) throw fail("not an ed25519 key");
  const pubKey = v.pubKey?.ed25519;
  if (pubKey?.length !== 32) throw fail("public key must be 32 bytes of ed25519");
  if (!bytesEqual(v.address, validatorAddress(pubKey))) throw fail("address is not sha256(pubkey)[:20]");
  if (v.votingPower <= 0n) throw fail("voting power must be positive");
  return {
    address: Uint8Array.from(v.address),
    pubKey: Uint8Array.from(pubKey),
    votingPower: v.votingPower,
    proposerPriority: v.proposerPriority,
  };
}

/** Decodes and checks a record stored at `height`. */
export function decodeValidatorsInfo(height: bigint, bytes: Uint8Array): ValidatorsInfo {
  const fail = (reason: string) => new ValidatorStoreCorruptError(height, reason);
  let setBytes: Uint8Array | undefined;
  let lastHeightChanged = 0n;
  try {
    const r = new BinaryReader(bytes);
    while (r.pos < r.len) {
      const tag = r.uint32();
      if (tag === 10) setBytes = r.bytes();
      else if (tag === 16) lastHeightChanged = r.int64();
      else throw fail(`unexpected field ${tag >>> 3} (wire type ${tag & 7})`);
    }
  } catch (err) {
    if (err instanceof ValidatorStoreCorruptError) throw err;
    throw fail(`malformed bytes (${(err as Error).message})`);
  }
  if (lastHeightChanged < 1n || lastHeightChanged > height)
    throw fail(`last_height_changed ${lastHeightChanged} must be between 1 and ${height}`);
  if (!setBytes) {
    if (lastHeightChanged === height) throw fail("the set changed at this height but is not stored");
    return { validatorSet: undefined, lastHeightChanged };
  }
  let proto: ValidatorSetProto;
  try {
    proto = ValidatorSetProto.decode(setBytes);
  } catch (err) {
    throw fail(`malformed validator set (${(err as Error).message})`);
  }
  if (proto.validators.length === 0) throw fail("empty validator set");
  const validators = proto.validators.map((v, i) => checkValidator(height, v, `validators[${i}]`));
  let set: ValidatorSet;
  try {
    const proposer = proto.proposer ? checkValidator(height, proto.proposer, "proposer") : undefined;
    set = new ValidatorSet(validators, proposer?.address);
    if (proposer && set.indexOf(proposer.address) < 0) throw fail("proposer is not a member");
  } catch (err) {
    if (err instanceof ValidatorStoreCorruptError) throw err;
    throw fail((err as Error).message);
  }
  if (set.totalVotingPower !== proto.totalVotingPower)
    throw fail(`total_voting_power ${proto.totalVotingPower} is not the sum ${set.totalVotingPower}`);
  return { validatorSet: set, lastHeightChanged };
}

export class ValidatorSetStore {
  private readonly interval: bigint;
  private readonly cache = new LruCache<bigint, ValidatorSet>(256);

  constructor(
    private readonly db: Database,
    opts: { checkpointInterval?: bigint } = {},
  ) {
    this.interval = opts.checkpointInterval ?? DEFAULT_CHECKPOINT_INTERVAL;
    if (this.interval < 1n) throw new RangeError("checkpoint interval must be at least 1");
  }

  /**
   * The batch operation that records `set` as the one in force at `height`, where
   * `lastHeightChanged` is the last height (≤ `height`) at which members or powers changed.
   */
  saveOps(height: bigint, set: ValidatorSet, lastHeightChanged: bigint = height): BatchOp[] {
    if (lastHeightChanged < 1n || lastHeightChanged > height)
      throw new RangeError(`last height changed ${lastHeightChanged} must be between 1 and ${height}`);
    const full = height === lastHeightChanged || height % this.interval === 0n;
    const value = encodeValidatorsInfo({ validatorSet: full ? set : undefined, lastHeightChanged });
    return [{ type: "put", key: heightKey(Bucket.validatorSet, height), value }];
  }

  /** At genesis: the sets in force at the initial height and the one after it. */
  genesisOps(schedule: ValidatorSchedule): BatchOp[] {
    return [
      ...this.saveOps(schedule.height, schedule.current, schedule.height),
      ...this.scheduleOps(schedule),
    ];
  }

  /**
   * After a block commits and the schedule has advanced past it: the set in force at
   * `schedule.height + 1`, the only one the block determined. Goes in the block's atomic batch.
   */
  scheduleOps(schedule: ValidatorSchedule): BatchOp[] {
    return this.saveOps(schedule.height + 1n, schedule.next, schedule.lastHeightChanged);
  }

  async loadInfo(height: bigint): Promise<ValidatorsInfo | undefined> {
    const bytes = await this.db.get(heightKey(Bucket.validatorSet, height));
    return bytes ? decodeValidatorsInfo(height, bytes) : undefined;
  }

  /** The set in force at `height`, or undefined when none was stored for it (not yet decided, or pruned). */
  async loadAt(height: bigint): Promise<ValidatorSet | undefined> {
    if (height < 1n) return undefined;
    const cached = this.cache.get(height);
    if (cached) return cached;
    const info = await this.loadInfo(height);
    if (!info) return undefined;
    let set = info.validatorSet;
    const previous = set ? undefined : this.cache.get(height - 1n);
    // A pointer record means nothing changed at this height: one step from the height before.
    if (previous) set = previous.incrementProposerPriority(1);
    if (!set) {
      const checkpoint = height - (height % this.interval);
      const base = checkpoint > info.lastHeightChanged ? checkpoint : info.lastHeightChanged;
      const baseInfo = await this.loadInfo(base);
      if (!baseInfo?.validatorSet) {
        throw new ValidatorStoreCorruptError(height, `no full validator set stored at height ${base}`);
      }
      set = baseInfo.validatorSet;
      // One step per height, as consensus took them (not one multi-step call, which rescales once).
      for (let h = base; h < height; h++) set = set.incrementProposerPriority(1);
    }
    this.cache.set(height, set);
    return set;
  }

  /**
   * The schedule for deciding `height` (the latest committed height + 1) after a restart, or
   * undefined when the sets it needs were never stored (e.g. a database from before they were).
   */
  async loadSchedule(height: bigint): Promise<ValidatorSchedule | undefined> {
    const current = await this.loadAt(height);
    const nextInfo = await this.loadInfo(height + 1n);
    const next = await this.loadAt(height + 1n);
    if (!current || !nextInfo || !next) return undefined;
    return {
      height,
      last: await this.loadAt(height - 1n),
      current,
      next,
      lastHeightChanged: nextInfo.lastHeightChanged,
    };
  }
}
