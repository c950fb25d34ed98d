// This machine's raw secp256k1 verification rate on all cores, one worker thread per core, each
// verifying in a tight loop for a fixed time: with node:crypto and a cached KeyObject, or with
// libsecp256k1 (the `secp256k1` package's native binding, what the node uses when it loads).
import { availableParallelism } from "node:os";
import { Worker } from "node:worker_threads";
// The node's own loader (built by ensureBuild before this module is imported).
import { activeNativeSecp256k1Path } from "../../dist/chain/crypto/secp256k1-native.js";

const WORKER = `
const { parentPort, workerData } = require("node:worker_threads");
const { createECDH, createHash, createPrivateKey, createPublicKey, hash, sign, verify } = require("node:crypto");
const b64url = (b) => Buffer.from(b).toString("base64url");
const N = BigInt("0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141");
// node:crypto may sign with a high S; Cosmos (and libsecp256k1) accept only the low-S form.
function lowS(sig) {
  const s = BigInt("0x" + sig.subarray(32).toString("hex"));
  if (s <= N / 2n) return sig;
  return Buffer.concat([sig.subarray(0, 32), Buffer.from((N - s).toString(16).padStart(64, "0"), "hex")]);
}
const keys = [];
for (let i = 0; i < 64; i++) {
  const d = createHash("sha256").update("sig-rate-" + i).digest();
  const ecdh = createECDH("secp256k1"); ecdh.setPrivateKey(d); const pub = ecdh.getPublicKey();
  const jwk = { kty: "EC", crv: "secp256k1", x: b64url(pub.subarray(1, 33)), y: b64url(pub.subarray(33, 65)) };
  const priv = createPrivateKey({ key: { ...jwk, d: b64url(d) }, format: "jwk" });
  const pubKey = createPublicKey({ key: jwk, format: "jwk" });
  const msg = createHash("sha256").update("msg-" + i).digest();
  const full = Buffer.concat([msg, msg, msg, msg, msg, msg, msg, msg]);
  const sig = lowS(sign("sha256", full, { key: priv, dsaEncoding: "ieee-p1363" }));
  keys.push({ pubKey, pub33: ecdh.getPublicKey(null, "compressed"), msg: full, sig });
}
const native = workerData.nativePath ? require(workerData.nativePath) : null;
const end = Date.now() + workerData.ms;
let n = 0;
while (Date.now() < end) {
  for (let i = 0; i < 64; i++) {
    const k = keys[i];
    // Each verify hashes its sign bytes, as the node does.
    const ok = native
      ? native.ecdsaVerify(k.sig, hash("sha256", k.msg, "buffer"), k.pub33)
      : verify("sha256", k.msg, { key: k.pubKey, dsaEncoding: "ieee-p1363" }, k.sig);
    if (!ok) throw new Error("bad");
  }
  n += 64;
}
parentPort.postMessage(n);
`;

/** The native binding's path, or undefined when it is not installed or does not load here. */
export const nativeSecp256k1Path = activeNativeSecp256k1Path;

/** backend: "node" (node:crypto) or "native" (libsecp256k1; throws when it does not load). */
export async function measureSigVerifyPerSec({ ms = 3000, backend = "node" } = {}) {
  const nativePath = backend === "native" ? nativeSecp256k1Path() : undefined;
  if (backend === "native" && !nativePath) throw new Error("libsecp256k1's binding does not load here");
  const threads = availableParallelism();
  const counts = await Promise.all(
    Array.from(
      { length: threads },
      () =>
        new Promise((resolve, reject) => {
          const w = new Worker(WORKER, { eval: true, workerData: { ms, nativePath } });
          w.once("message", resolve);
          w.once("error", reject);
        }),
    ),
  );
  return Math.round(counts.reduce((a, b) => a + b, 0) / (ms / 1000));
}
