// This machine's raw secp256k1 verification rate on all cores: node:crypto with a cached KeyObject,
// one worker thread per core, each verifying in a tight loop for a fixed time.
import { availableParallelism } from "node:os";
import { Worker } from "node:worker_threads";

const WORKER = `
const { parentPort, workerData } = require("node:worker_threads");
const { createECDH, createHash, createPrivateKey, createPublicKey, sign, verify } = require("node:crypto");
const b64url = (b) => Buffer.from(b).toString("base64url");
const keys = [];
for (let i = 0; i < 64; i++) {
  const d = createHash("sha256").update("sig-rate-" + i).digest();
  const ecdh = createECDH("secp256k1"); ecdh.setPrivateKey(d); const pub = ecdh.getPublicKey();
  const jwk = { kty: "EC", crv: "secp256k1", x: b64url(pub.subarray(1, 33)), y: b64url(pub.subarray(33, 65)) };
  const priv = createPrivateKey({ key: { ...jwk, d: b64url(d) }, format: "jwk" });
  const pubKey = createPublicKey({ key: jwk, format: "jwk" });
  const msg = createHash("sha256").update("msg-" + i).digest();
  const full = Buffer.concat([msg, msg, msg, msg, msg, msg, msg, msg]);
  keys.push({ pubKey, msg: full, sig: sign("sha256", full, { key: priv, dsaEncoding: "ieee-p1363" }) });
}
const end = Date.now() + workerData.ms;
let n = 0;
while (Date.now() < end) {
  for (let i = 0; i < 64; i++) { const k = keys[i]; if (!verify("sha256", k.msg, { key: k.pubKey, dsaEncoding: "ieee-p1363" }, k.sig)) throw new Error("bad"); }
  n += 64;
}
parentPort.postMessage(n);
`;

export async function measureSigVerifyPerSec(ms = 3000) {
  const threads = availableParallelism();
  const counts = await Promise.all(
    Array.from(
      { length: threads },
      () =>
        new Promise((resolve, reject) => {
          const w = new Worker(WORKER, { eval: true, workerData: { ms } });
          w.once("message", resolve);
          w.once("error", reject);
        }),
    ),
  );
  return Math.round(counts.reduce((a, b) => a + b, 0) / (ms / 1000));
}
