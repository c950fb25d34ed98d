/**
 * The module's genesis section, `app_state.validators`:
 *
 *   {
 *     "params": {                                   // optional; every field optional
 *       "authority": "vivim1...",                   // default: the gov module account
 *       "max_validators": 100,
 *       "max_power_change_per_block_percent": 33,
 *       "max_validator_power": "1000000000000000",
 *       "max_pending_updates": 100
 *     },
 *     "validators": [                               // optional; normally left out of the file
 *       { "pub_key": "<base64 ed25519>", "power": "10", "moniker": "node0",
 *         "operator": "vivim1..." }                 // optional: the account running it
 *     ]
 *   }
 *
 * The genesis validators live in genesis.json's top-level `validators`, as in CometBFT. The node
 * hands them to this module the way CometBFT's InitChain hands them to the application: it runs
 * genesis with `withGenesisValidators(genesis.app_state, genesis.validators)`, which fills in the
 * `validators` list (or checks that a list already written there is the same set). The top-level
 * entries carry no operators, so a genesis that gives its validators operators (council power in
 * governance) writes the list here as well, the same set with an `operator` per entry.
 */
import { ADDRESS_PREFIX, decodeAddress } from "../../chain/crypto/address.js";
import { fromBase64 } from "../../chain/crypto/hash.js";
import { isCodedError } from "../../chain/errors/codes.js";
import { asArray, asObject, asString, asUint, GenesisFieldError, rejectUnknownKeys } from "../lib/genesis.js";
import type { Params, ValidatorRecord } from "./codec.js";
import { checkMoniker, checkOperator, PUBKEY_LENGTH } from "./keeper.js";
import {
  DEFAULT_VALIDATORS_PARAMS,
  MAX_PENDING_UPDATES_LIMIT,
  MAX_TOTAL_VOTING_POWER,
  MAX_VALIDATORS_LIMIT,
} from "./params.js";

const SECTION = "app_state.validators";

export interface ValidatorsGenesis {
  readonly params: Params;
  readonly validators: readonly ValidatorRecord[];
}

function bounded(value: unknown, field: string, min: bigint, max: bigint): bigint {
  const v = asUint(value, field);
  if (v < min || v > max) throw new GenesisFieldError(field, `must be between ${min} and ${max}`);
  return v;
}

function parseParams(value: unknown): Params {
  const field = `${SECTION}.params`;
  if (value === undefined) return { ...DEFAULT_VALIDATORS_PARAMS };
  const p = asObject(value, field);
  rejectUnknownKeys(
    p,
    [
      "authority",
      "max_validators",
      "max_power_change_per_block_percent",
      "max_validator_power",
      "max_pending_updates",
    ],
    field,
  );
  const d = DEFAULT_VALIDATORS_PARAMS;
  const authority = p.authority === undefined ? d.authority : asString(p.authority, `${field}.authority`);
  try {
    decodeAddress(authority);
  } catch {
    throw new GenesisFieldError(`${field}.authority`, `not a valid ${ADDRESS_PREFIX} address`);
  }
  const num = (k: string, dflt: number, min: bigint, max: bigint): number =>
    p[k] === undefined ? dflt : Number(bounded(p[k], `${field}.${k}`, min, max));
  return {
    authority,
    maxValidators: num("max_validators", d.maxValidators, 1n, BigInt(MAX_VALIDATORS_LIMIT)),
    maxPowerChangePerBlockPercent: num(
      "max_power_change_per_block_percent",
      d.maxPowerChangePerBlockPercent,
      1n,
      100n,
    ),
    maxValidatorPower:
      p.max_validator_power === undefined
        ? d.maxValidatorPower
        : bounded(p.max_validator_power, `${field}.max_validator_power`, 1n, MAX_TOTAL_VOTING_POWER),
    maxPendingUpdates: num("max_pending_updates", d.maxPendingUpdates, 1n, BigInt(MAX_PENDING_UPDATES_LIMIT)),
  };
}

export function parseValidatorsGenesis(state: unknown): ValidatorsGenesis {
  const g = asObject(state ?? {}, SECTION);
  rejectUnknownKeys(g, ["params", "validators"], SECTION);
  const params = parseParams(g.params);
  const seen = new Set<string>();
  let total = 0n;
  const validators = asArray(g.validators ?? [], `${SECTION}.validators`, params.maxValidators).map(
    (entry, i): ValidatorRecord => {
      const field = `${SECTION}.validators[${i}]`;
      const v = asObject(entry, field);
      rejectUnknownKeys(v, ["pub_key", "power", "moniker", "operator"], field);
      let pubKey: Uint8Array;
      try {
        pubKey = fromBase64(asString(v.pub_key, `${field}.pub_key`));
      } catch (err) {
        if (err instanceof GenesisFieldError) throw err;
        throw new GenesisFieldError(`${field}.pub_key`, "must be standard base64");
      }
      if (pubKey.length !== PUBKEY_LENGTH)
        throw new GenesisFieldError(
          `${field}.pub_key`,
          `must be ${PUBKEY_LENGTH} bytes, got ${pubKey.length}`,
        );
      const b64 = Buffer.from(pubKey).toString("base64");
      if (seen.has(b64)) throw new GenesisFieldError(`${field}.pub_key`, "duplicates an earlier validator");
      seen.add(b64);
      const power = bounded(v.power, `${field}.power`, 1n, params.maxValidatorPower);
      total += power;
      if (total > MAX_TOTAL_VOTING_POWER)
        throw new GenesisFieldError(`${field}.power`, `total power exceeds ${MAX_TOTAL_VOTING_POWER}`);
      const moniker = v.moniker === undefined ? "" : asString(v.moniker, `${field}.moniker`);
      const operator = v.operator === undefined ? "" : asString(v.operator, `${field}.operator`);
      for (const [name, check] of [
        ["moniker", () => checkMoniker(moniker)],
        ["operator", () => checkOperator(operator)],
      ] as const) {
        try {
          check();
        } catch (err) {
          if (isCodedError(err)) throw new GenesisFieldError(`${field}.${name}`, err.log);
          throw err;
        }
      }
      return { pubKey, power, moniker, operator };
    },
  );
  return { params, validators };
}

/** The shape of genesis.json's top-level validator entries that this module needs. */
export interface TopLevelGenesisValidator {
  readonly pub_key: { readonly value: string };
  readonly power: string;
  readonly name: string;
}

/**
 * `appState` with `validators.validators` filled from genesis.json's top-level `validators`. A list
 * already present must name the same keys with the same powers (monikers may differ, operators are
 * its own), else this throws a GenesisFieldError; it is kept as it is. Does not modify its arguments.
 */
export function withGenesisValidators(
  appState: Record<string, unknown>,
  genesisValidators: readonly TopLevelGenesisValidator[],
): Record<string, unknown> {
  const section = asObject(appState.validators ?? {}, SECTION);
  const entries = genesisValidators.map((v) => ({
    pub_key: v.pub_key.value,
    power: v.power,
    moniker: v.name,
  }));
  if (section.validators !== undefined) {
    const listed = parseValidatorsGenesis(section).validators;
    const canon = (list: ReadonlyArray<{ pubKey: Uint8Array; power: bigint }>) =>
      list.map((v) => `${Buffer.from(v.pubKey).toString("base64")}:${v.power}`).sort();
    const expected = canon(
      genesisValidators.map((v) => ({ pubKey: fromBase64(v.pub_key.value), power: BigInt(v.power) })),
    );
    if (JSON.stringify(canon(listed)) !== JSON.stringify(expected))
      throw new GenesisFieldError(
        `${SECTION}.validators`,
        "must be absent or the same set as genesis validators",
      );
    return appState;
  }
  return { ...appState, validators: { ...section, validators: entries } };
}
