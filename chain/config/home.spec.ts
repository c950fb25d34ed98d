import { createPublicKey, sign, verify } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { CommanderError } from "commander";
import { afterAll, describe, expect, it, vi } from "vitest";
import { initCommand } from "../cli/commands/init.js";
import { toBase64 } from "../crypto/hash.js";
import { loadConfig } from "./config.js";
import { loadGenesis } from "./genesis.js";
import { HomeError, homePaths, initHome, loadNodeKey, loadValidatorKey } from "./home.js";

const root = mkdtempSync(path.join(os.tmpdir(), "vivim-home-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));
let n = 0;
const freshHome = () => path.join(root, `h${n++}`);
const noAppCheck = { validateAppState: () => {} };
const mode = (f: string) => statSync(f).mode & 0o777;

function homeError(fn: () => unknown): HomeError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(HomeError);
    return err as HomeError;
  }
  throw new Error("expected a HomeError");
}

describe("initHome", () => {
  it("lays out a CometBFT-style home with one validator of power 10", () => {
    const home = freshHome();
    const res = initHome({ home, moniker: "node-a", chainId: "vivim-test-1", genesisAppState: { bank: {} } });
    const p = homePaths(home);
    expect(res.paths).toEqual(p);

    expect(loadConfig(p.configFile).moniker).toBe("node-a");
    const genesis = loadGenesis(p.genesisFile, noAppCheck);
    expect(genesis.chain_id).toBe("vivim-test-1");
    expect(genesis.app_state).toEqual({ bank: {} });
    expect(genesis.validators).toEqual([res.validator]);
    expect(res.validator.power).toBe("10");
    expect(res.validator.name).toBe("node-a");

    const nodeKey = loadNodeKey(p.nodeKeyFile);
    expect(nodeKey.id).toBe(res.nodeId);
    expect(res.nodeId).toMatch(/^[0-9a-f]{40}$/);
    const valKey = loadValidatorKey(p.privValidatorKeyFile);
    expect(valKey.address).toBe(res.validator.address);
    expect(toBase64(valKey.publicKey)).toBe(res.validator.pub_key.value);

    const nodeJson = JSON.parse(readFileSync(p.nodeKeyFile, "utf8"));
    expect(Object.keys(nodeJson)).toEqual(["priv_key"]);
    expect(nodeJson.priv_key.type).toBe("tendermint/PrivKeyEd25519");
    expect(Buffer.from(nodeJson.priv_key.value, "base64")).toHaveLength(64);
    const valJson = JSON.parse(readFileSync(p.privValidatorKeyFile, "utf8"));
    expect(Object.keys(valJson)).toEqual(["address", "pub_key", "priv_key"]);
    expect(JSON.parse(readFileSync(p.privValidatorStateFile, "utf8"))).toEqual({
      height: "0",
      round: 0,
      step: 0,
    });

    if (process.platform !== "win32") {
      expect(mode(p.privValidatorKeyFile)).toBe(0o600);
      expect(mode(p.nodeKeyFile)).toBe(0o600);
      expect(mode(p.privValidatorStateFile)).toBe(0o600);
    }
  });

  it("gives keys that sign and verify with node:crypto", () => {
    const home = freshHome();
    initHome({ home, moniker: "signer", chainId: "c" });
    const key = loadValidatorKey(homePaths(home).privValidatorKeyFile);
    const msg = Buffer.from("vote bytes");
    const sig = sign(null, msg, key.privateKey);
    const pub = createPublicKey({
      key: { kty: "OKP", crv: "Ed25519", x: Buffer.from(key.publicKey).toString("base64url") },
      format: "jwk",
    });
    expect(verify(null, msg, pub, sig)).toBe(true);
  });

  it("refuses to overwrite unless asked, then makes new keys", () => {
    const home = freshHome();
    const first = initHome({ home, moniker: "m", chainId: "c" });
    const err = homeError(() => initHome({ home, moniker: "m", chainId: "c" }));
    expect(err.code).toBe("HOME_EXISTS");
    expect(err.message).toMatch(/--overwrite/);
    const second = initHome({ home, moniker: "m", chainId: "c", overwrite: true });
    expect(second.nodeId).not.toBe(first.nodeId);
    expect(second.validator.address).not.toBe(first.validator.address);
  });

  it("checks every argument before writing anything", () => {
    const home = freshHome();
    expect(() => initHome({ home, moniker: "m", chainId: "bad chain id" })).toThrow(/chain_id/);
    expect(() => initHome({ home, moniker: "", chainId: "c" })).toThrow(/moniker/);
    expect(() => statSync(homePaths(home).configDir)).toThrow();
  });
});

describe("key loaders", () => {
  const home = freshHome();
  initHome({ home, moniker: "k", chainId: "c" });
  const p = homePaths(home);
  type KeyJson = {
    address: string;
    pub_key: { type: string; value: string };
    priv_key: { type: string; value: string };
  };
  const original: KeyJson = JSON.parse(readFileSync(p.privValidatorKeyFile, "utf8"));
  const secret: string = original.priv_key.value;
  const other = freshHome();
  initHome({ home: other, moniker: "o", chainId: "c" });
  const otherJson: KeyJson = JSON.parse(readFileSync(homePaths(other).privValidatorKeyFile, "utf8"));

  function tampered(change: (j: KeyJson) => void): string {
    const j = structuredClone(original);
    change(j);
    const f = path.join(root, `tampered-${n++}.json`);
    writeFileSync(f, JSON.stringify(j));
    return f;
  }

  const cases: [string, (j: KeyJson) => void, RegExp][] = [
    [
      "pub_key from another key",
      (j) => {
        j.pub_key = otherJson.pub_key;
      },
      /pub_key.value: does not match/,
    ],
    [
      "priv_key whose public half is another key's",
      (j) => {
        const raw = Buffer.from(secret, "base64");
        Buffer.from(otherJson.pub_key.value, "base64").copy(raw, 32);
        j.priv_key.value = raw.toString("base64");
      },
      /public half does not match/,
    ],
    [
      "a wrong address",
      (j) => {
        j.address = otherJson.address;
      },
      /address: must be/,
    ],
    [
      "a short priv_key",
      (j) => {
        j.priv_key.value = "AAAA";
      },
      /64 bytes, got 3/,
    ],
    [
      "a secp256k1 type",
      (j) => {
        j.priv_key.type = "tendermint/PrivKeySecp256k1";
      },
      /type/,
    ],
  ];
  for (const [what, change, message] of cases) {
    it(`rejects ${what} without echoing the secret`, () => {
      const err = homeError(() => loadValidatorKey(tampered(change)));
      expect(err.code).toBe("KEY_INVALID");
      expect(err.message).toMatch(message);
      expect(err.message).not.toContain(secret);
      expect(err.message).not.toContain(secret.slice(0, 20));
    });
  }

  it("reports missing and garbled files clearly", () => {
    expect(homeError(() => loadNodeKey(path.join(root, "none.json"))).code).toBe("KEY_UNREADABLE");
    const garbled = path.join(root, "garbled.json");
    writeFileSync(garbled, `{"priv_key": ${secret}`);
    const err = homeError(() => loadNodeKey(garbled));
    expect(err.message).toMatch(/not valid JSON/);
    expect(err.message).not.toContain(secret.slice(0, 20));
  });
});

describe("vivim init", () => {
  async function run(args: string[]): Promise<string> {
    const out: string[] = [];
    const spy = vi.spyOn(process.stdout, "write").mockImplementation((chunk) => {
      out.push(String(chunk));
      return true;
    });
    try {
      const cmd = initCommand({ defaultAppState: (ctx) => ({ seen: ctx }) })
        .exitOverride()
        .configureOutput({ writeErr: (s) => out.push(s) });
      await cmd.parseAsync(args, { from: "user" });
    } finally {
      spy.mockRestore();
    }
    return out.join("");
  }

  it("prints the node id and validator address as JSON", async () => {
    const home = freshHome();
    const operator = "vivim14qemq0vw6y3gc3u3e0aty2e764u4gs5ltcn5er";
    const res = JSON.parse(
      await run(["n0", "--chain-id", "vivim-x", "--home", home, "--operator", operator]),
    );
    expect(res.node_id).toBe(loadNodeKey(homePaths(home).nodeKeyFile).id);
    expect(res.validator_address).toBe(loadValidatorKey(homePaths(home).privValidatorKeyFile).address);
    expect(res.chain_id).toBe("vivim-x");
    expect(loadGenesis(homePaths(home).genesisFile, noAppCheck).app_state).toEqual({
      seen: { validatorOperator: operator },
    });
  });

  it("fails with a message and exit code 1 on bad input", async () => {
    const home = freshHome();
    const err = await run(["n0", "--chain-id", "bad id", "--home", home]).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CommanderError);
    expect((err as CommanderError).exitCode).toBe(1);
    expect((err as CommanderError).message).toMatch(/chain_id/);
    const badOp = await run(["n0", "--chain-id", "c", "--home", home, "--operator", "cosmos1xyz"]).catch(
      (e) => e,
    );
    expect((badOp as CommanderError).message).toMatch(/invalid address/);
  });
});
