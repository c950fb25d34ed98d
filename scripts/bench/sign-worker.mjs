import { createHash } from "node:crypto";
import { parentPort, workerData } from "node:worker_threads";
import { benchAccount, signedSend } from "./keys.mjs";

const keys = new Map();
const out = workerData.specs.map((s) => {
  const from = keys.get(s.from) ?? benchAccount(s.from);
  keys.set(s.from, from);
  const tx = signedSend(from, s.to, {
    chainId: workerData.chainId,
    accountNumber: s.accountNumber,
    sequence: s.sequence,
  });
  return {
    hash: createHash("sha256").update(tx).digest("hex").toUpperCase(),
    tx: Buffer.from(tx).toString("base64"),
  };
});
parentPort.postMessage(out);
