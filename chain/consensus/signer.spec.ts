import { generateKeyPairSync, verify } from "node:crypto";
import { existsSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { SignStep } from "./last-sign-state.js";
import { DoubleSignRefusedError, FileValidatorSigner } from "./signer.js";

function makeSigner(file: string): {
  signer: FileValidatorSigner;
  publicKey: ReturnType<typeof generateKeyPairSync>["publicKey"];
} {
  const { privateKey, publicKey } = generateKeyPairSync("ed25519");
  return {
    signer: new FileValidatorSigner(new Uint8Array(20), new Uint8Array(32), privateKey, file),
    publicKey,
  };
}

describe("FileValidatorSigner", () => {
  const bytes = (s: string) => new TextEncoder().encode(s);

  it("signs, and refuses conflicting data or regressions even after a restart", async () => {
    const file = path.join(mkdtempSync(path.join(tmpdir(), "vivim-signer-")), "state.json");
    const { privateKey, publicKey } = generateKeyPairSync("ed25519");
    const first = new FileValidatorSigner(new Uint8Array(20), new Uint8Array(32), privateKey, file);
    const sig = await first.sign(5n, 0, SignStep.Prevote, bytes("vote A"));
    expect(verify(null, bytes("vote A"), publicKey, sig)).toBe(true);

    // A new process reads the durable state: the same bytes get the same signature, others are refused.
    const restarted = new FileValidatorSigner(new Uint8Array(20), new Uint8Array(32), privateKey, file);
    expect(Buffer.from(await restarted.sign(5n, 0, SignStep.Prevote, bytes("vote A")))).toEqual(
      Buffer.from(sig),
    );
    await expect(restarted.sign(5n, 0, SignStep.Prevote, bytes("vote B"))).rejects.toThrow(
      DoubleSignRefusedError,
    );
    await expect(restarted.sign(4n, 9, SignStep.Precommit, bytes("old"))).rejects.toThrow(
      /height regression/,
    );
    await expect(restarted.sign(5n, 0, SignStep.Propose, bytes("p"))).rejects.toThrow(/step regression/);
    expect((await restarted.sign(5n, 0, SignStep.Precommit, bytes("precommit A"))).length).toBe(64);
    expect((await restarted.sign(5n, 1, SignStep.Propose, bytes("round 1"))).length).toBe(64);
  });

  it("settles calls made together one at a time: a conflicting second call is refused", async () => {
    const file = path.join(mkdtempSync(path.join(tmpdir(), "vivim-signer-")), "state.json");
    const { signer } = makeSigner(file);
    const [a, b] = await Promise.allSettled([
      signer.sign(7n, 0, SignStep.Prevote, bytes("block X")),
      signer.sign(7n, 0, SignStep.Prevote, bytes("block Y")),
    ]);
    expect(a.status).toBe("fulfilled");
    expect(b.status === "rejected" && b.reason).toBeInstanceOf(DoubleSignRefusedError);
    // What is on disk is the signature that was handed out, not the refused one.
    const { signer: restarted } = makeSigner(file);
    expect(Buffer.from(restarted.lastSignState.signBytes ?? [])).toEqual(Buffer.from(bytes("block X")));
    expect(existsSync(`${file}.tmp`)).toBe(false);
  });

  it("refuses to start from a corrupt state file rather than risk a double sign", () => {
    const file = path.join(mkdtempSync(path.join(tmpdir(), "vivim-signer-")), "state.json");
    writeFileSync(file, "{ not json");
    expect(() => makeSigner(file)).toThrow(/refusing to sign/);
  });
});
