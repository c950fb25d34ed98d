import { createHash } from "node:crypto";
import { parentPort, workerData } from "node:worker_threads";
import { benchAccount, signedSend, signedTx } from "./keys.mjs";

const keys = new Map();
const out = workerData.specs.map((s) => {
  const from = keys.get(s.from) ?? benchAccount(s.from);
  keys.set(s.from, from);
  const signing = {
    chainId: workerData.chainId,
    accountNumber: s.accountNumber,
    sequence: s.sequence,
    // Multi-Msg txs (bench:realtime's ten posts) need more than the default gas limit.
    ...(s.gas !== undefined ? { gas: BigInt(s.gas) } : {}),
  };
  // A spec carries either a MsgSend recipient or ready-encoded messages ({typeUrl, value: base64})
  // and optionally a gas limit.
  const tx = s.messages
    ? signedTx(
        from,
        s.messages.map((m) => ({ typeUrl: m.typeUrl, value: Buffer.from(m.value, "base64") })),
        signing,
      )
    : signedSend(from, s.to, signing);
  return {
    hash: createHash("sha256").update(tx).digest("hex").toUpperCase(),
    tx: Buffer.from(tx).toString("base64"),
  };
});
parentPort.postMessage(out);
