import { generateKeyPairSync } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { sha256, toBase64, toHexUpper } from "../crypto/hash.js";
import {
  defaultConsensusParams,
  type GenesisDoc,
  GenesisError,
  type GenesisValidator,
  loadGenesis,
  MAX_GENESIS_BYTES,
  newGenesis,
  parseGenesis,
  renderGenesis,
  validatorAddress,
} from "./genesis.js";

const noAppCheck = { validateAppState: () => {} };

function validatorEntry(name: string, power = "10"): GenesisValidator {
  const x = generateKeyPairSync("ed25519").publicKey.export({ format: "jwk" }).x ?? "";
  const pub = Buffer.from(x, "base64url");
  return {
    address: validatorAddress(pub),
    pub_key: { type: "tendermint/PubKeyEd25519", value: toBase64(pub) },
    power,
    name,
  };
}

const v0 = validatorEntry("val-0");
const v1 = validatorEntry("val-1", "5");

function validDoc(): GenesisDoc {
  return {
    genesis_time: "2024-05-01T12:00:00.123456789Z",
    chain_id: "vivim-devnet-1",
    initial_height: "1",
    consensus_params: defaultConsensusParams(),
    validators: [structuredClone(v0), structuredClone(v1)],
    app_hash: "",
    app_state: { bank: { balances: [] } },
  };
}

function genesisError(fn: () => unknown): GenesisError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(GenesisError);
    return err as GenesisError;
  }
  throw new Error("expected a GenesisError");
}

describe("genesis", () => {
  it("validator address is sha256(pubkey)[:20] in uppercase hex", () => {
    const pub = new Uint8Array(32).fill(7);
    expect(validatorAddress(pub)).toBe(toHexUpper(sha256(pub).subarray(0, 20)));
    expect(validatorAddress(pub)).toMatch(/^[0-9A-F]{40}$/);
  });

  it("round-trips render → parse and keeps CometBFT's key order", () => {
    const doc = validDoc();
    const text = renderGenesis(doc);
    expect(parseGenesis(text, noAppCheck)).toEqual(doc);
    expect(Object.keys(JSON.parse(text))).toEqual([
      "genesis_time",
      "chain_id",
      "initial_height",
      "consensus_params",
      "validators",
      "app_hash",
      "app_state",
    ]);
    expect(text.endsWith("}\n")).toBe(true);
  });

  it("newGenesis builds a valid document with default params", () => {
    const doc = newGenesis({
      chainId: "c-1",
      validators: [v0],
      appState: {},
      genesisTime: new Date("2024-01-02T03:04:05Z"),
    });
    expect(doc.genesis_time).toBe("2024-01-02T03:04:05.000Z");
    expect(doc.initial_height).toBe("1");
    expect(doc.app_hash).toBe("");
    expect(doc.consensus_params.validator.pub_key_types).toEqual(["ed25519"]);
    expect(() => newGenesis({ chainId: "bad id", validators: [v0], appState: {} })).toThrow(/chain_id/);
  });

  it("hands app_state to the caller's validator and reports its failures", () => {
    let seen: unknown;
    parseGenesis(renderGenesis(validDoc()), {
      validateAppState: (s) => {
        seen = s;
      },
    });
    expect(seen).toEqual({ bank: { balances: [] } });

    const plain = genesisError(() =>
      parseGenesis(renderGenesis(validDoc()), {
        validateAppState: () => {
          throw new Error("bank: negative balance");
        },
      }),
    );
    expect(plain.field).toBe("app_state");
    expect(plain.message).toBe("invalid genesis: app_state: bank: negative balance");

    const own = genesisError(() =>
      parseGenesis(renderGenesis(validDoc()), {
        validateAppState: () => {
          throw new GenesisError("app_state.bank.balances[0].amount", "must be positive");
        },
      }),
    );
    expect(own.field).toBe("app_state.bank.balances[0].amount");
  });

  type Mutation = [string, (d: Record<string, unknown> & GenesisDoc) => void, RegExp];
  const cases: Mutation[] = [
    [
      "genesis_time",
      (d) => {
        d.genesis_time = "yesterday";
      },
      /RFC3339/,
    ],
    [
      "genesis_time",
      (d) => {
        d.genesis_time = "2024-02-30T00:00:00Z";
      },
      /RFC3339/,
    ],
    [
      "genesis_time",
      (d) => {
        d.genesis_time = "2024-01-01T24:00:00Z";
      },
      /RFC3339/,
    ],
    [
      "chain_id",
      (d) => {
        d.chain_id = "";
      },
      /1 to 50 characters/,
    ],
    [
      "chain_id",
      (d) => {
        d.chain_id = "has space";
      },
      /\[a-zA-Z0-9_.-\]/,
    ],
    [
      "chain_id",
      (d) => {
        d.chain_id = "x".repeat(51);
      },
      /1 to 50/,
    ],
    [
      "chain_id",
      (d) => {
        delete (d as Partial<GenesisDoc>).chain_id;
      },
      /is required/,
    ],
    [
      "initial_height",
      (d) => {
        d.initial_height = "0";
      },
      /between 1 and/,
    ],
    ["initial_height", (d) => Object.assign(d, { initial_height: 1 }), /must be a string, got number/],
    [
      "consensus_params.block.max_bytes",
      (d) => {
        d.consensus_params.block.max_bytes = "abc";
      },
      /decimal integer/,
    ],
    [
      "consensus_params.block.max_gas",
      (d) => {
        d.consensus_params.block.max_gas = "-2";
      },
      /between -1/,
    ],
    [
      "consensus_params.evidence.max_age_num_blocks",
      (d) => {
        d.consensus_params.evidence.max_age_num_blocks = "0";
      },
      /between 1/,
    ],
    [
      "consensus_params.validator.pub_key_types",
      (d) => Object.assign(d.consensus_params.validator, { pub_key_types: ["secp256k1"] }),
      /\["ed25519"\]/,
    ],
    ["consensus_params.extra", (d) => Object.assign(d.consensus_params, { extra: {} }), /unknown field/],
    [
      "consensus_params.abci.vote_extensions_enable_height",
      (d) => {
        d.consensus_params.abci = { vote_extensions_enable_height: "5" };
      },
      /not supported/,
    ],
    [
      "validators",
      (d) => {
        d.validators = [];
      },
      /non-empty array/,
    ],
    [
      "validators[0].pub_key.value",
      (d) => {
        (d.validators[0] as GenesisValidator).pub_key.value = "not base64!";
      },
      /base64/,
    ],
    [
      "validators[0].pub_key.value",
      (d) => {
        (d.validators[0] as GenesisValidator).pub_key.value = toBase64(new Uint8Array(31));
      },
      /32 bytes, got 31/,
    ],
    [
      "validators[0].pub_key.type",
      (d) =>
        Object.assign((d.validators[0] as GenesisValidator).pub_key, { type: "tendermint/PubKeySecp256k1" }),
      /PubKeyEd25519/,
    ],
    [
      "validators[1].address",
      (d) => {
        (d.validators[1] as GenesisValidator).address = v0.address;
      },
      /must be [0-9A-F]{40}/,
    ],
    [
      "validators[0].power",
      (d) => {
        (d.validators[0] as GenesisValidator).power = "0";
      },
      /positive integer/,
    ],
    [
      "validators[0].power",
      (d) => {
        (d.validators[0] as GenesisValidator).power = "-1";
      },
      /positive integer/,
    ],
    [
      "validators[0].power",
      (d) => Object.assign(d.validators[0] as GenesisValidator, { power: 10 }),
      /must be a string/,
    ],
    [
      "validators[1].power",
      (d) => {
        (d.validators[1] as GenesisValidator).power = "1152921504606846975";
      },
      /total power exceeds/,
    ],
    [
      "validators[1].pub_key.value",
      (d) => {
        d.validators[1] = structuredClone(v0);
      },
      /duplicates/,
    ],
    [
      "validators[0].name",
      (d) => {
        (d.validators[0] as GenesisValidator).name = "n".repeat(71);
      },
      /at most 70/,
    ],
    [
      "validators[0].extra",
      (d) => Object.assign(d.validators[0] as GenesisValidator, { extra: 1 }),
      /unknown field/,
    ],
    [
      "app_hash",
      (d) => {
        d.app_hash = "xyz";
      },
      /hex/,
    ],
    ["app_state", (d) => Object.assign(d, { app_state: [] }), /must be an object/],
    ["app_state", (d) => Object.assign(d, { app_state: null }), /must be an object/],
    ["genesis_hash", (d) => Object.assign(d, { genesis_hash: "" }), /unknown field/],
  ];
  for (const [field, mutate, message] of cases) {
    it(`rejects a bad ${field} (${message.source})`, () => {
      const doc = validDoc() as Record<string, unknown> & GenesisDoc;
      mutate(doc);
      const err = genesisError(() => parseGenesis(JSON.stringify(doc), noAppCheck));
      expect(err.code).toBe("GENESIS_INVALID");
      expect(err.field).toBe(field);
      expect(err.message).toContain(`${field}: `);
      expect(err.message).toMatch(message);
    });
  }

  it("rejects non-JSON, non-objects and oversized text", () => {
    expect(genesisError(() => parseGenesis("{", noAppCheck)).message).toMatch(/not valid JSON/);
    expect(genesisError(() => parseGenesis("[]", noAppCheck)).message).toMatch(/must be an object/);
    const big = " ".repeat(MAX_GENESIS_BYTES + 1);
    expect(genesisError(() => parseGenesis(big, noAppCheck)).message).toMatch(/larger than 16777216 bytes/);
  });

  describe("loadGenesis", () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), "vivim-genesis-"));
    afterAll(() => rmSync(dir, { recursive: true, force: true }));

    it("loads a file and reports a missing one clearly", () => {
      const file = path.join(dir, "genesis.json");
      writeFileSync(file, renderGenesis(validDoc()));
      expect(loadGenesis(file, noAppCheck).chain_id).toBe("vivim-devnet-1");
      const err = genesisError(() => loadGenesis(path.join(dir, "missing.json"), noAppCheck));
      expect(err.code).toBe("GENESIS_UNREADABLE");
      expect(err.message).toContain("missing.json does not exist");
    });
  });
});
