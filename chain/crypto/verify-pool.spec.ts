import { ed25519 } from "@noble/curves/ed25519.js";
import { secp256k1 } from "@noble/curves/secp256k1.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CodedError } from "../errors/codes.js";
import { verifySignature } from "./verify.js";
import { SignatureVerifierPool, type VerifyJob } from "./verify-pool.js";

const N = secp256k1.Point.CURVE().n;

function highS(sig: Uint8Array): Uint8Array {
  const s = BigInt(`0x${Buffer.from(sig.subarray(32)).toString("hex")}`);
  const out = new Uint8Array(sig);
  out.set(Buffer.from((N - s).toString(16).padStart(64, "0"), "hex"), 32);
  return out;
}

function flip(bytes: Uint8Array, i: number): Uint8Array {
  const out = new Uint8Array(bytes);
  out[i] = out[i]! ^ 0x01;
  return out;
}

/** Valid and invalid jobs of both key types, with the expected answer. */
function makeJobs(count: number): Array<{ job: VerifyJob; valid: boolean }> {
  const secpKeys = [0, 1, 2].map(() => secp256k1.utils.randomSecretKey());
  const edKeys = [0, 1, 2].map(() => ed25519.utils.randomSecretKey());
  const out: Array<{ job: VerifyJob; valid: boolean }> = [];
  for (let i = 0; i < count; i++) {
    const message = new TextEncoder().encode(`sign doc #${i}`);
    const useEd = i % 2 === 1;
    const sk = useEd ? edKeys[i % 3]! : secpKeys[i % 3]!;
    const type = useEd ? "ed25519" : "secp256k1";
    const pubkey = useEd ? ed25519.getPublicKey(sk) : secp256k1.getPublicKey(sk, true);
    const signature = useEd ? ed25519.sign(message, sk) : secp256k1.sign(message, sk);
    switch (i % 5) {
      case 0:
        out.push({ job: { type, pubkey, message, signature }, valid: true });
        break;
      case 1:
        out.push({ job: { type, pubkey, message: flip(message, 0), signature }, valid: false });
        break;
      case 2:
        out.push({ job: { type, pubkey, message, signature: flip(signature, 10) }, valid: false });
        break;
      case 3:
        // High-S is only an error for secp256k1; for ed25519 keep a valid job.
        if (useEd) out.push({ job: { type, pubkey, message, signature }, valid: true });
        else out.push({ job: { type, pubkey, message, signature: highS(signature) }, valid: false });
        break;
      default:
        out.push({
          job: { type, pubkey: new Uint8Array(pubkey.length).fill(0xff), message, signature },
          valid: false,
        });
    }
  }
  return out;
}

describe.each(["native", "node"] as const)("SignatureVerifierPool (secp256k1 %s)", (secp) => {
  const pool = new SignatureVerifierPool({ threads: 2, secp256k1: secp });
  beforeAll(() => pool.start());
  afterAll(() => pool.stop());

  it("verifies mixed secp256k1/ed25519 jobs across 2 threads, agreeing with verify.ts", async () => {
    const jobs = makeJobs(100);
    const results = await Promise.all(jobs.map(({ job }) => pool.verify(job)));
    expect(results).toEqual(jobs.map((j) => j.valid));
    expect(results).toEqual(
      jobs.map(({ job }) =>
        verifySignature(job.type, job.pubkey, job.message, job.signature, {
          native: secp === "node" ? null : undefined,
        }),
      ),
    );
    expect(pool.stats()).toMatchObject({ threads: 2, queued: 0, inFlight: 0 });
  });

  it("splits more than one batch of jobs and answers each in order", async () => {
    const jobs = makeJobs(40);
    const many = Array.from({ length: 600 }, (_, i) => jobs[i % jobs.length]!);
    const results = await Promise.all(many.map(({ job }) => pool.verify(job)));
    expect(results).toEqual(many.map((j) => j.valid));
  });

  it("answers malformed jobs false without a worker round trip", async () => {
    const { job } = makeJobs(1)[0]!;
    await expect(pool.verify({ ...job, signature: job.signature.subarray(0, 63) })).resolves.toBe(false);
    await expect(pool.verify({ ...job, pubkey: new Uint8Array(300) })).resolves.toBe(false);
    await expect(pool.verify({ ...job, type: "bls" as "ed25519" })).resolves.toBe(false);
  });
});

describe("SignatureVerifierPool lifecycle", () => {
  it("rejects jobs before start and after stop", async () => {
    const pool = new SignatureVerifierPool({ threads: 1 });
    const { job } = makeJobs(1)[0]!;
    await expect(pool.verify(job)).rejects.toBeInstanceOf(CodedError);
    await pool.start();
    await expect(pool.verify(job)).resolves.toBe(true);
    await pool.stop();
    await expect(pool.verify(job)).rejects.toBeInstanceOf(CodedError);
  });

  it("rejects a crashed worker's in-flight jobs and replaces the worker", async () => {
    const pool = new SignatureVerifierPool({ threads: 1 });
    await pool.start();
    try {
      const jobs = makeJobs(10);
      // The worker dies when the batch arrives, so all of these jobs are in flight on it.
      pool.crashWorkerForTest(0);
      const outcomes = await Promise.allSettled(jobs.map(({ job }) => pool.verify(job)));
      for (const o of outcomes) {
        expect(o.status).toBe("rejected");
        if (o.status === "rejected") {
          expect(o.reason).toBeInstanceOf(CodedError);
          expect((o.reason as CodedError).code).toBe(1);
          expect((o.reason as CodedError).log).toMatch(/worker crashed/);
        }
      }
      expect(pool.stats().replaced).toBe(1);
      const results = await Promise.all(jobs.map(({ job }) => pool.verify(job)));
      expect(results).toEqual(jobs.map((j) => j.valid));
    } finally {
      await pool.stop();
    }
  });

  it("stop() rejects queued jobs", async () => {
    const pool = new SignatureVerifierPool({ threads: 1 });
    await pool.start();
    const { job } = makeJobs(1)[0]!;
    // Attach the expectation first: stop() rejects synchronously, before an await could.
    const rejected = expect(pool.verify(job)).rejects.toBeInstanceOf(CodedError);
    await pool.stop();
    await rejected;
  });
});
