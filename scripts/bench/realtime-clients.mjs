// bench:realtime's subscriber process (forked, so the node's process measures alone): holds
// thousands of real `ws` connections to `/v1/stream`, each authenticated with its own ADR-036
// signature over the connection's challenge (node:crypto secp256k1, low-S, the exact bytes an
// amino wallet signs) and subscribed to one community. Every event frame's arrival is stamped with
// Date.now() (one machine clock for every process) and its block height kept; at the end the parent
// sends the node's commit time per height and gets back a latency histogram.
//
// Parent → child: { type: "connect", url, chainId, subs: [{ account, community }], concurrency }
//                 { type: "report", commits: [[height, ms], ...] }   { type: "close" }
// Child → parent: { type: "ready" }, { type: "connected", ... }, { type: "report", ... }

import { sign } from "node:crypto";
import path from "node:path";
import { WebSocket } from "ws";
import { ROOT } from "../lib/setup.mjs";
import { benchAccount } from "./keys.mjs";

const { streamAuthSignBytes } = await import(path.join(ROOT, "dist", "chain", "api", "stream", "auth.js"));

const N = 0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141n;
const EVENT_HEAD = Buffer.from('{"type":"event"');
const HEIGHT_KEY = Buffer.from('"height":"');

/** A base64 low-S r||s secp256k1 signature of the ADR-036 doc over this connection's challenge. */
function signChallenge(account, chainId, nonce) {
  const bytes = streamAuthSignBytes(account.address, chainId, nonce);
  const sig = sign("sha256", bytes, { key: account.key, dsaEncoding: "ieee-p1363" });
  let s = BigInt(`0x${sig.subarray(32).toString("hex")}`);
  if (s > N / 2n) s = N - s;
  const low = Buffer.concat([sig.subarray(0, 32), Buffer.from(s.toString(16).padStart(64, "0"), "hex")]);
  return low.toString("base64");
}

// Arrivals: parallel growable arrays of (height, ms).
let heights = new Float64Array(1 << 20);
let times = new Float64Array(1 << 20);
let received = 0;
function record(height, at) {
  if (received === heights.length) {
    const h = new Float64Array(heights.length * 2);
    h.set(heights);
    heights = h;
    const t = new Float64Array(times.length * 2);
    t.set(times);
    times = t;
  }
  heights[received] = height;
  times[received++] = at;
}

const clients = [];
const counters = { slowConsumer: 0, otherErrors: 0, closed: 0, errorExample: undefined };

/** One subscriber: connect, answer the challenge, subscribe; resolves when subscribed (or failed). */
function open(url, chainId, account, community) {
  return new Promise((resolve) => {
    const ws = new WebSocket(url, { perMessageDeflate: false, skipUTF8Validation: true });
    const c = { ws, subscribed: false, open: true };
    let done = false;
    const finish = (ok, why) => {
      if (done) return;
      done = true;
      resolve({ ok, why });
    };
    ws.on("message", (data) => {
      // Event frames: only the height is read (straight from the bytes); the rest is parsed.
      if (
        data.length > EVENT_HEAD.length &&
        data.compare(EVENT_HEAD, 0, EVENT_HEAD.length, 0, EVENT_HEAD.length) === 0
      ) {
        const at = Date.now();
        let height = 0;
        for (let i = data.indexOf(HEIGHT_KEY) + HEIGHT_KEY.length; data[i] !== 0x22; i++)
          height = height * 10 + data[i] - 0x30;
        record(height, at);
        return;
      }
      const f = JSON.parse(data.toString("utf8"));
      if (f.type === "challenge") {
        ws.send(
          JSON.stringify({
            type: "auth",
            address: account.address,
            pub_key: account.pubkey.toString("base64"),
            signature: signChallenge(account, chainId, f.nonce),
          }),
        );
        ws.send(
          JSON.stringify({
            type: "subscribe",
            id: `c${community}`,
            topic: { kind: "community", id: `${community}` },
          }),
        );
      } else if (f.type === "subscribed") {
        c.subscribed = true;
        finish(true);
      } else if (f.type === "error") {
        if (f.code === "SLOW_CONSUMER") counters.slowConsumer++;
        else counters.otherErrors++;
        counters.errorExample ??= `${f.code}: ${f.message}`;
        finish(false, f.code);
      }
    });
    ws.on("close", () => {
      c.open = false;
      counters.closed++;
      finish(false, "closed");
    });
    ws.on("error", (err) => {
      counters.errorExample ??= String(err.message);
      finish(false, "socket error");
    });
    clients.push(c);
  });
}

async function connectAll({ url, chainId, subs, concurrency }) {
  const accounts = new Map();
  for (const s of subs) if (!accounts.has(s.account)) accounts.set(s.account, benchAccount(s.account));
  const failed = {};
  let next = 0;
  const lane = async () => {
    while (next < subs.length) {
      const s = subs[next++];
      const r = await open(url, chainId, accounts.get(s.account), s.community);
      if (!r.ok) failed[r.why] = (failed[r.why] ?? 0) + 1;
    }
  };
  const started = Date.now();
  await Promise.all(Array.from({ length: concurrency }, lane));
  return { failed, seconds: (Date.now() - started) / 1000 };
}

const held = () => clients.filter((c) => c.open && c.subscribed).length;

function report(commits) {
  const commitAt = new Map(commits);
  const hist = new Map();
  let counted = 0;
  let unknownHeight = 0;
  for (let i = 0; i < received; i++) {
    const at = commitAt.get(heights[i]);
    if (at === undefined) {
      unknownHeight++;
      continue;
    }
    const ms = Math.round(times[i] - at);
    hist.set(ms, (hist.get(ms) ?? 0) + 1);
    counted++;
  }
  return {
    type: "report",
    held: held(),
    received,
    counted,
    unknownHeight,
    hist: [...hist.entries()].sort((a, b) => a[0] - b[0]),
    ...counters,
  };
}

process.on("message", async (msg) => {
  if (msg.type === "connect") {
    const r = await connectAll(msg);
    process.send({ type: "connected", held: held(), ...r, ...counters });
  } else if (msg.type === "status") {
    process.send({ type: "status", held: held(), received, ...counters });
  } else if (msg.type === "report") {
    process.send(report(msg.commits));
  } else if (msg.type === "close") {
    for (const c of clients) c.ws.terminate();
    process.exit(0);
  }
});
process.send({ type: "ready" });
