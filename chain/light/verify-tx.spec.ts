import { generateKeyPairSync, type KeyObject, randomBytes, sign } from "node:crypto";
import { describe, expect, it } from "vitest";
import { BlockMerkleTree } from "../block/merkle.js";
import { blockHash } from "../consensus/block-builder.js";
import { buildCommit } from "../consensus/commit.js";
import { SignedMsgType, type Vote, voteSignBytes } from "../consensus/messages.js";
import { type Validator, ValidatorSet } from "../consensus/validator-set.js";
import { sha256, toHexUpper } from "../crypto/hash.js";
import { commitJson, headerJson, type Json, txProofJson, validatorJson } from "../rpc/json.js";
import type { BlockId, Header } from "../types/block.js";
import { validatorsFromGenesis } from "./trusted.js";
import { type TxProofBundle, verifyTxBundle } from "./verify-tx.js";

const CHAIN_ID = "vivim-test-1";
const HEIGHT = 7n;

interface Key {
  privateKey: KeyObject;
  publicKey: Uint8Array;
}

function newKey(): Key {
  const { privateKey, publicKey } = generateKeyPairSync("ed25519");
  const x = publicKey.export({ format: "jwk" }).x ?? "";
  return { privateKey, publicKey: new Uint8Array(Buffer.from(x, "base64url")) };
}

const rand32 = () => new Uint8Array(randomBytes(32));

interface Fixture {
  bundle: TxProofBundle;
  validators: readonly Validator[];
}

/** A real block at HEIGHT with 3 txs, signed by `signers` of 4 equal-power validators. */
function makeFixture(signers = 4): Fixture {
  const keys = [newKey(), newKey(), newKey(), newKey()];
  const set = ValidatorSet.fromGenesis(keys.map((k) => ({ pubKey: k.publicKey, power: 10n })));
  const txs = [randomBytes(120), randomBytes(250), randomBytes(90)].map((b) => new Uint8Array(b));
  const tree = new BlockMerkleTree(txs.map((t) => sha256(t)));
  const header: Header = {
    version: { block: 11n, app: 1n },
    chainId: CHAIN_ID,
    height: HEIGHT,
    time: { seconds: 1_750_000_000n, nanos: 123_000_000 },
    lastBlockId: { hash: rand32(), parts: { total: 1, hash: rand32() } },
    lastCommitHash: rand32(),
    dataHash: tree.root,
    validatorsHash: set.hash(),
    nextValidatorsHash: set.hash(),
    consensusHash: rand32(),
    appHash: rand32(),
    lastResultsHash: rand32(),
    eventRoot: rand32(),
    evidenceHash: rand32(),
    proposerAddress: set.proposer().address,
  };
  const blockId: BlockId = { hash: blockHash(header), parts: { total: 1, hash: rand32() } };
  const votes: Vote[] = [];
  set.validators.slice(0, signers).forEach((v, i) => {
    const key = keys.find((k) => Buffer.compare(k.publicKey, v.pubKey) === 0)!;
    const unsigned = {
      type: SignedMsgType.Precommit as const,
      height: HEIGHT,
      round: 0,
      blockId,
      timestamp: { seconds: 1_750_000_001n, nanos: i },
    };
    const signature = new Uint8Array(sign(null, voteSignBytes(CHAIN_ID, unsigned), key.privateKey));
    votes.push({ ...unsigned, validatorAddress: v.address, validatorIndex: i, signature });
  });
  const commit = buildCommit(set, HEIGHT, 0, blockId, votes);
  const tx = txs[1]!;
  const bundle: TxProofBundle = {
    chain_id: CHAIN_ID,
    tx_hash: toHexUpper(sha256(tx)),
    height: HEIGHT.toString(),
    tx_proof: txProofJson(tree.root, tx, tree.proof(1)),
    signed_header: { header: headerJson(header), commit: commitJson(commit) },
    validators: set.validators.map(validatorJson),
  };
  // Round-trip through text, as a saved proof file is read back.
  return { bundle: JSON.parse(JSON.stringify(bundle)) as TxProofBundle, validators: set.validators };
}

const fixture = makeFixture();

type JsonObj = Record<string, Json>;

/** A deep copy of the bundle with one edit applied. */
function tampered(edit: (b: JsonObj) => void): unknown {
  const copy = structuredClone(fixture.bundle) as unknown as JsonObj;
  edit(copy);
  return copy;
}

const at = (o: Json | undefined, ...path: (string | number)[]): JsonObj => {
  let cur: Json | undefined = o;
  for (const p of path) cur = (cur as Record<string | number, Json>)[p];
  return cur as JsonObj;
};

/** Flips a bit in a base64 value. */
function flipB64(b64: string, byte = 0): string {
  const buf = Buffer.from(b64, "base64");
  buf[byte] = (buf[byte] ?? 0) ^ 1;
  return buf.toString("base64");
}

/** Flips a bit in an upper-case hex value. */
function flipHex(hex: string): string {
  const buf = Buffer.from(hex, "hex");
  buf[0] = (buf[0] ?? 0) ^ 1;
  return buf.toString("hex").toUpperCase();
}

function failed(result: ReturnType<typeof verifyTxBundle>): string[] {
  return result.checks.filter((c) => !c.ok).map((c) => c.name);
}

describe("verifyTxBundle", () => {
  it("accepts a genuine bundle, reporting every check", () => {
    const r = verifyTxBundle(fixture.bundle);
    expect(r.ok).toBe(true);
    expect(r.checks.map((c) => c.name)).toEqual([
      "tx hash",
      "merkle proof",
      "header",
      "validator set",
      "commit",
    ]);
    expect(r.checks.every((c) => c.ok)).toBe(true);
    expect(r.checks.find((c) => c.name === "validator set")?.detail).toMatch(/not independently trusted/);
  });

  it("accepts it against a trusted set (as from genesis) and the expected chain id", () => {
    const genesisLike = {
      validators: fixture.validators.map((v) => ({
        address: toHexUpper(v.address),
        pub_key: {
          type: "tendermint/PubKeyEd25519" as const,
          value: Buffer.from(v.pubKey).toString("base64"),
        },
        power: v.votingPower.toString(),
        name: "",
      })),
    };
    const r = verifyTxBundle(fixture.bundle, validatorsFromGenesis(genesisLike), { chainId: CHAIN_ID });
    expect(r.ok).toBe(true);
    expect(r.checks.find((c) => c.name === "validator set")?.detail).toMatch(/trusted set/);
  });

  it("accepts a commit signed by 3 of 4 equal validators, refuses 2 of 4", () => {
    expect(verifyTxBundle(makeFixture(3).bundle).ok).toBe(true);
    const two = verifyTxBundle(makeFixture(2).bundle);
    expect(two.ok).toBe(false);
    expect(failed(two)).toEqual(["commit"]);
    expect(two.checks.find((c) => c.name === "commit")?.detail).toMatch(/not more than 2\/3/);
  });

  it("detects tx bytes that were swapped", () => {
    const r = verifyTxBundle(
      tampered((b) => (at(b, "tx_proof").data = flipB64(at(b, "tx_proof").data as unknown as string, 3))),
    );
    expect(r.ok).toBe(false);
    expect(failed(r)).toEqual(["tx hash", "merkle proof"]);
  });

  it("detects a claimed tx hash the bytes do not have", () => {
    const r = verifyTxBundle(tampered((b) => (b.tx_hash = flipHex(b.tx_hash as string))));
    expect(failed(r)).toEqual(["tx hash"]);
  });

  it("detects a tampered Merkle path", () => {
    const r = verifyTxBundle(
      tampered((b) => {
        const proof = at(b, "tx_proof", "proof");
        const aunts = proof.aunts as string[];
        aunts[0] = flipB64(aunts[0]!);
      }),
    );
    expect(failed(r)).toEqual(["merkle proof"]);
    const sides = verifyTxBundle(
      tampered((b) => {
        const s = at(b, "tx_proof", "proof").sides as string[];
        s[0] = s[0] === "left" ? "right" : "left";
      }),
    );
    expect(failed(sides)).toEqual(["merkle proof"]);
  });

  it("detects a proof root that is not the header's data_hash", () => {
    const r = verifyTxBundle(
      tampered(
        (b) => (at(b, "tx_proof").root_hash = flipHex(at(b, "tx_proof").root_hash as unknown as string)),
      ),
    );
    expect(failed(r)).toEqual(["merkle proof"]);
  });

  it("detects a tampered header (data_hash, app_hash, height)", () => {
    const data = verifyTxBundle(
      tampered((b) => {
        const h = at(b, "signed_header", "header");
        h.data_hash = flipHex(h.data_hash as string);
      }),
    );
    expect(failed(data)).toEqual(["merkle proof", "header", "commit"]);
    const app = verifyTxBundle(
      tampered((b) => {
        const h = at(b, "signed_header", "header");
        h.app_hash = flipHex(h.app_hash as string);
      }),
    );
    expect(failed(app)).toEqual(["header", "commit"]);
    const height = verifyTxBundle(tampered((b) => (at(b, "signed_header", "header").height = "8")));
    expect(failed(height)).toEqual(["header", "commit"]);
  });

  it("detects a forged commit signature and a commit for another block", () => {
    const sig = verifyTxBundle(
      tampered((b) => {
        const sigs = at(b, "signed_header", "commit").signatures as JsonObj[];
        sigs[1]!.signature = flipB64(sigs[1]!.signature as string, 10);
      }),
    );
    expect(failed(sig)).toEqual(["commit"]);
    expect(sig.checks.find((c) => c.name === "commit")?.detail).toMatch(/bad signature/);
    const other = verifyTxBundle(
      tampered((b) => {
        const id = at(b, "signed_header", "commit", "block_id");
        id.hash = flipHex(id.hash as string);
      }),
    );
    expect(failed(other)).toEqual(["header", "commit"]);
  });

  it("detects a swapped validator and an untrusted set", () => {
    const swapped = verifyTxBundle(
      tampered((b) => {
        const k = newKey();
        const vals = b.validators as unknown as JsonObj[];
        vals[0] = validatorJson({
          address: sha256(k.publicKey).subarray(0, 20),
          pubKey: k.publicKey,
          votingPower: 10n,
          proposerPriority: 0n,
        });
      }),
    );
    expect(failed(swapped)).toContain("validator set");
    expect(swapped.ok).toBe(false);

    const strangers = makeFixture().validators;
    const r = verifyTxBundle(fixture.bundle, strangers);
    expect(failed(r)).toEqual(["validator set", "commit"]);
  });

  it("detects a validator whose address is not its key's", () => {
    const r = verifyTxBundle(
      tampered((b) => {
        const v = (b.validators as unknown as JsonObj[])[2]!;
        v.address = flipHex(v.address as string);
      }),
    );
    expect(failed(r)).toEqual(["validator set", "commit"]);
  });

  it("detects a changed chain id (signatures bind it) and an unexpected one", () => {
    const r = verifyTxBundle(tampered((b) => (b.chain_id = "other-chain")));
    expect(failed(r)).toEqual(["header", "commit"]);
    expect(failed(verifyTxBundle(fixture.bundle, undefined, { chainId: "other-chain" }))).toEqual(["header"]);
  });

  it("reports a malformed bundle as one failed check, without throwing", () => {
    for (const bad of [
      null,
      42,
      "x",
      {},
      tampered((b) => delete b.signed_header),
      tampered((b) => (b.validators = [])),
    ]) {
      const r = verifyTxBundle(bad);
      expect(r.ok).toBe(false);
      expect(r.checks).toHaveLength(1);
      expect(r.checks[0]?.name).toBe("bundle");
    }
  });
});
