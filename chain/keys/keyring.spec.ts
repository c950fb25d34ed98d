import { mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fromHex, toBech32 } from "@cosmjs/encoding";
import { afterAll, describe, expect, it, vi } from "vitest";
import { keysCommand } from "../cli/commands/keys.js";
import { generateMnemonic, Keyring, KeyringError } from "./keyring.js";

const root = mkdtempSync(path.join(os.tmpdir(), "vivim-keyring-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));
let n = 0;
const freshHome = () => path.join(root, `h${n++}`);

// reference/cosmjs-surface.md §8
const VECTOR = "enlist hip relief stomach skate base shallow young switch frequent cry park";
const VECTOR_PUBKEY = "03d7178566fc669a82ce403c75008f576f4a75e44b577ad4631ae41ee74b6d0b52";
const VECTOR_ADDRESS = toBech32("vivim", fromHex("a833b03d8ed1228c4791cbfab22b3ed57954429f"));
const PASS = "correct horse battery staple";

async function keyringError(p: Promise<unknown>): Promise<KeyringError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(KeyringError);
  return err as KeyringError;
}

describe("test backend", () => {
  it("derives the cosmjs test vector at m/44'/118'/0'/0/0", async () => {
    expect(VECTOR_ADDRESS).toBe("vivim14qemq0vw6y3gc3u3e0aty2e764u4gs5ltcn5er");
    const kr = new Keyring({ home: freshHome(), backend: "test" });
    const key = await kr.import("vector", VECTOR);
    expect(key).toEqual({
      name: "vector",
      type: "local",
      algo: "secp256k1",
      address: VECTOR_ADDRESS,
      pubkey: Buffer.from(VECTOR_PUBKEY, "hex").toString("base64"),
    });
    const [account] = await (await kr.signerFor("vector")).getAccounts();
    expect(account?.address).toBe(VECTOR_ADDRESS);
  });

  it("normalizes a messy mnemonic and round-trips it", async () => {
    const kr = new Keyring({ home: freshHome(), backend: "test" });
    await kr.import("messy", `  ${VECTOR.toUpperCase().replaceAll(" ", " \n\t ")}  `);
    expect(await kr.exportMnemonic("messy")).toBe(VECTOR);
  });

  it("generates 24-word mnemonics and returns them only from add", async () => {
    const home = freshHome();
    const kr = new Keyring({ home, backend: "test" });
    const { key, mnemonic } = await kr.add("alice");
    expect(mnemonic?.split(" ")).toHaveLength(24);
    expect(key.address).toMatch(/^vivim1[02-9ac-hj-np-z]{38}$/);
    const [account] = await (await kr.signerFor("alice")).getAccounts();
    expect(account?.address).toBe(key.address);

    await kr.import("bob", VECTOR);
    const listed = await kr.list();
    expect(listed.map((k) => k.name)).toEqual(["alice", "bob"]);
    const shown = JSON.stringify([listed, await kr.show("alice"), await kr.show("bob")]);
    for (const secret of [mnemonic ?? "", VECTOR]) {
      expect(shown).not.toContain(secret.split(" ").slice(0, 3).join(" "));
    }

    const dir = path.join(home, "keyring", "test");
    if (process.platform !== "win32") {
      expect(statSync(dir).mode & 0o777).toBe(0o700);
      for (const f of readdirSync(dir)) expect(statSync(path.join(dir, f)).mode & 0o777).toBe(0o600);
    }
    expect(readdirSync(dir).sort()).toEqual(["alice.json", "bob.json"]);
  });

  it("refuses duplicate names and duplicate mnemonics", async () => {
    const kr = new Keyring({ home: freshHome(), backend: "test" });
    await kr.import("one", VECTOR);
    expect((await keyringError(kr.import("one", generateMnemonic()))).code).toBe("KEY_EXISTS");
    const twin = await keyringError(kr.import("two", VECTOR));
    expect(twin.code).toBe("KEY_EXISTS");
    expect(twin.message).toContain('"one"');
  });

  it("validates names before touching the disk", async () => {
    const kr = new Keyring({ home: freshHome(), backend: "test" });
    for (const bad of ["", "../escape", "a b", "x".repeat(65), "name.json"]) {
      expect((await keyringError(kr.add(bad))).code, bad).toBe("INVALID_NAME");
      expect((await keyringError(kr.show(bad))).code, bad).toBe("INVALID_NAME");
    }
    await kr.add("ok_Name-1");
  });

  it("rejects bad mnemonics without echoing them", async () => {
    const kr = new Keyring({ home: freshHome(), backend: "test" });
    const wrongChecksum = VECTOR.replace("park", "abandon");
    const notWords = "enlist hip relief stomach skate base shallow young switch frequent cry parkk";
    for (const bad of [wrongChecksum, notWords, "enlist hip relief", ""]) {
      const err = await keyringError(kr.import("k", bad));
      expect(err.code).toBe("INVALID_MNEMONIC");
      expect(err.message).not.toMatch(/enlist|relief|stomach|parkk/);
    }
  });

  it("deletes keys and reports missing ones", async () => {
    const kr = new Keyring({ home: freshHome(), backend: "test" });
    await kr.import("gone", VECTOR);
    await kr.delete("gone");
    expect((await keyringError(kr.show("gone"))).code).toBe("KEY_NOT_FOUND");
    expect((await keyringError(kr.delete("gone"))).code).toBe("KEY_NOT_FOUND");
    expect(await kr.list()).toEqual([]);
  });

  it("detects a key file edited to claim another address", async () => {
    const home = freshHome();
    const kr = new Keyring({ home, backend: "test" });
    await kr.import("k", VECTOR);
    const file = path.join(home, "keyring", "test", "k.json");
    const rec = JSON.parse(readFileSync(file, "utf8"));
    writeFileSync(file, JSON.stringify({ ...rec, mnemonic: generateMnemonic() }));
    const err = await keyringError(kr.signerFor("k"));
    expect(err.code).toBe("CORRUPT_KEY");
    expect(err.message).not.toContain(VECTOR.slice(0, 10));
  });
});

describe("file backend", () => {
  it("encrypts, round-trips and signs with the right passphrase", async () => {
    const home = freshHome();
    const kr = new Keyring({ home, backend: "file", passphrase: PASS });
    const { key } = await kr.add("v", { mnemonic: VECTOR });
    expect(key.address).toBe(VECTOR_ADDRESS);

    const file = path.join(home, "keyring", "file", "v.json");
    const raw = readFileSync(file, "utf8");
    expect(raw).not.toContain("enlist");
    expect(raw).not.toContain(PASS);
    const rec = JSON.parse(raw);
    expect(rec.crypto).toMatchObject({ kdf: "scrypt", n: 32768, r: 8, p: 1, cipher: "aes-256-gcm" });

    // A new instance asks for the passphrase lazily, and only for secrets.
    const source = vi.fn(async () => PASS);
    const reopened = new Keyring({ home, backend: "file", passphrase: source });
    expect(await reopened.show("v")).toEqual(key);
    expect(source).not.toHaveBeenCalled();
    expect(await reopened.exportMnemonic("v")).toBe(VECTOR);
    const [account] = await (await reopened.signerFor("v")).getAccounts();
    expect(account?.address).toBe(VECTOR_ADDRESS);
    expect(source).toHaveBeenCalledTimes(1);
  });

  it("says WRONG_PASSPHRASE, without the passphrase, and keeps one passphrase per keyring", async () => {
    const home = freshHome();
    await new Keyring({ home, backend: "file", passphrase: PASS }).add("a", { mnemonic: VECTOR });
    const wrong = new Keyring({ home, backend: "file", passphrase: "not the passphrase" });
    const err = await keyringError(wrong.exportMnemonic("a"));
    expect(err.code).toBe("WRONG_PASSPHRASE");
    expect(err.message).toContain('"a"');
    expect(err.message).not.toContain("not the passphrase");
    expect((await keyringError(wrong.signerFor("a"))).code).toBe("WRONG_PASSPHRASE");
    expect((await keyringError(wrong.add("b"))).code).toBe("WRONG_PASSPHRASE");
    expect((await wrong.list()).map((k) => k.name)).toEqual(["a"]);
  });

  it("requires a passphrase of at least 8 characters", async () => {
    const home = freshHome();
    const none = await keyringError(new Keyring({ home, backend: "file" }).add("a"));
    expect(none.code).toBe("PASSPHRASE_REQUIRED");
    const short = await keyringError(new Keyring({ home, backend: "file", passphrase: "short" }).add("a"));
    expect(short.code).toBe("WEAK_PASSPHRASE");
    expect(short.message).not.toContain("short");
  });

  it("binds each ciphertext to its key name", async () => {
    const home = freshHome();
    const kr = new Keyring({ home, backend: "file", passphrase: PASS });
    await kr.add("orig", { mnemonic: VECTOR });
    const dir = path.join(home, "keyring", "file");
    const rec = JSON.parse(readFileSync(path.join(dir, "orig.json"), "utf8"));
    writeFileSync(path.join(dir, "copy.json"), JSON.stringify({ ...rec, name: "copy" }));
    expect((await keyringError(kr.exportMnemonic("copy"))).code).toBe("WRONG_PASSPHRASE");
    renameSync(path.join(dir, "copy.json"), path.join(dir, "renamed.json"));
    expect((await keyringError(kr.show("renamed"))).code).toBe("CORRUPT_KEY");
  });

  it("keeps the backends apart", async () => {
    const home = freshHome();
    await new Keyring({ home, backend: "test" }).import("t", VECTOR);
    expect(await new Keyring({ home, backend: "file", passphrase: PASS }).list()).toEqual([]);
  });
});

describe("vivim keys", () => {
  async function run(args: string[]): Promise<string> {
    const out: string[] = [];
    const spy = vi.spyOn(process.stdout, "write").mockImplementation((chunk) => {
      out.push(String(chunk));
      return true;
    });
    try {
      const cmd = keysCommand();
      for (const sub of cmd.commands) sub.exitOverride().configureOutput({ writeErr: (s) => out.push(s) });
      await cmd.exitOverride().parseAsync(args, { from: "user" });
    } finally {
      spy.mockRestore();
    }
    return out.join("");
  }

  it("adds, lists, shows and deletes through the CLI", async () => {
    const home = freshHome();
    const common = ["--home", home, "--keyring-backend", "test"];
    const mnemonicFile = path.join(root, `m${n++}.txt`);
    writeFileSync(mnemonicFile, `${VECTOR}\n`);

    const added = JSON.parse(await run(["add", "alice", ...common, "--output", "json"]));
    expect(added.mnemonic.split(" ")).toHaveLength(24);
    const quiet = JSON.parse(await run(["add", "carol", ...common, "--output", "json", "--no-backup"]));
    expect(quiet.mnemonic).toBeUndefined();

    const imported = JSON.parse(await run(["import", "bob", mnemonicFile, ...common, "--output", "json"]));
    expect(imported.address).toBe(VECTOR_ADDRESS);
    expect((await run(["show", "bob", ...common, "--address"])).trim()).toBe(VECTOR_ADDRESS);

    const listText = await run(["list", ...common]);
    expect(listText).toContain(`address: ${VECTOR_ADDRESS}`);
    expect(listText).not.toContain("enlist");
    expect(listText).not.toContain(added.mnemonic.split(" ").slice(0, 3).join(" "));

    const refused = await run(["delete", "bob", ...common]).catch((e: Error) => e);
    expect(String(refused)).toMatch(/--yes/);
    await run(["delete", "bob", ...common, "--yes"]);
    const list = JSON.parse(await run(["list", ...common, "--output", "json"]));
    expect(list.map((k: { name: string }) => k.name)).toEqual(["alice", "carol"]);

    const missing = await run(["show", "bob", ...common]).catch((e: Error) => e);
    expect(String(missing)).toMatch(/key "bob" not found/);
  });

  it("reads the file backend's passphrase from VIVIM_KEYRING_PASSPHRASE", async () => {
    const home = freshHome();
    const common = ["--home", home, "--keyring-backend", "file", "--output", "json"];
    vi.stubEnv("VIVIM_KEYRING_PASSPHRASE", PASS);
    try {
      const added = JSON.parse(await run(["add", "enc", ...common]));
      const exported = JSON.parse(await run(["export", "enc", ...common, "--unsafe"]));
      expect(exported.mnemonic).toBe(added.mnemonic);
      vi.stubEnv("VIVIM_KEYRING_PASSPHRASE", "wrong passphrase");
      const err = await run(["export", "enc", ...common, "--unsafe"]).catch((e: Error) => e);
      expect(String(err)).toMatch(/wrong passphrase/);
      expect(String(err)).not.toContain(added.mnemonic.split(" ")[0] + " " + added.mnemonic.split(" ")[1]);
    } finally {
      vi.unstubAllEnvs();
    }
  });
});
