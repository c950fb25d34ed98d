// The load's two non-tx clients. MCP: alice's bearer key through the MCP SDK's own client over
// Streamable HTTP, calling chain_status, get_feed and create_post in turn (a failed call reconnects,
// which is how the client lives through the MCP server's restart). DMs: alice and bob as
// client/dm DmAccounts over node0's DM API, signing ADR-036 with their keyring keys as the MCP
// server does, sending end-to-end encrypted messages both ways, one a second at most.
import { mkdirSync } from "node:fs";
import { performance } from "node:perf_hooks";
import { load, sleep } from "./cluster.mjs";

/** An MCP SDK client session for `bearer`. */
export async function mcpSession(url, bearer) {
  const { Client } = await import("@modelcontextprotocol/sdk/client/index.js");
  const { StreamableHTTPClientTransport } = await import(
    "@modelcontextprotocol/sdk/client/streamableHttp.js"
  );
  const client = new Client({ name: "vivim-qa", version: "1.0.0" });
  await client.connect(
    new StreamableHTTPClientTransport(new URL(url), {
      requestInit: { headers: { Authorization: `Bearer ${bearer}` } },
    }),
  );
  return {
    async call(name, args) {
      const r = await client.callTool({ name, arguments: args });
      if (r.isError) throw new Error(`${name}: ${String(r.content?.[0]?.text).slice(0, 200)}`);
      return r.structuredContent;
    },
    close: () => client.close().catch(() => undefined),
  };
}

const MCP_CALLS = [
  ["chain_status", () => ({})],
  ["get_feed", () => ({ sort: "new", scope: "all", limit: 10 })],
  [
    "create_post",
    (k) => ({ community: "general", title: `QA post ${k}`, body: `posted through MCP, call ${k}` }),
  ],
];

/** Calls a tool every `periodMs` until stopped; records latencies, errors and the posts' tx hashes. */
export function startMcpLoad(cluster, { periodMs = 2000 } = {}) {
  const stats = { calls: 0, ok: 0, errors: 0, errorExample: null, reconnects: 0, latencies: {} };
  const posts = []; // { postId, txHash }
  let running = true;
  const done = (async () => {
    let session;
    for (let k = 0; running; k++) {
      const started = Date.now();
      const [tool, args] = MCP_CALLS[k % MCP_CALLS.length];
      stats.calls += 1;
      try {
        if (!session) {
          session = await mcpSession(cluster.mcpUrl, cluster.mcpKeys.alice);
          stats.reconnects += 1;
        }
        const t = performance.now();
        const out = await session.call(tool, args(k));
        stats.latencies[tool] ??= [];
        stats.latencies[tool].push(Math.round(performance.now() - t));
        if (tool === "create_post" && out?.txHash)
          posts.push({ postId: out.postId, txHash: out.txHash.toUpperCase() });
        stats.ok += 1;
      } catch (err) {
        stats.errors += 1;
        stats.errorExample ??= String(err.message).slice(0, 200);
        await session?.close();
        session = undefined;
      }
      await sleep(Math.max(0, started + periodMs - Date.now()));
    }
    await session?.close();
  })();
  return {
    stats,
    posts,
    async stop() {
      running = false;
      await done;
    },
  };
}

/** alice and bob as DM accounts (state under `dir`), with bob's accept of alice's request done. */
async function dmPair(cluster, dir) {
  const { Keyring } = await load("chain", "keys", "keyring.js");
  const { DmAccount } = await load("client", "dm", "account.js");
  const { DmNodeApi } = await load("client", "dm", "node-api.js");
  const { adr036Signer, dmIdentityOfKey } = await load("mcp-server", "dm", "identity.js");
  const { DmVault } = await load("mcp-server", "dm", "vault.js");
  mkdirSync(dir, { recursive: true });
  const home = cluster.devnet.nodes[0].home;
  const keyring = new Keyring({ home, backend: "test" });
  const account = async (name) => {
    const identity = await dmIdentityOfKey(
      keyring,
      name,
      cluster.devnet.accounts.find((a) => a.name === name).address,
    );
    const api = new DmNodeApi({
      baseUrl: cluster.apiUrls[0],
      chainId: cluster.devnet.chainId,
      address: identity.address,
      signArbitrary: adr036Signer(identity),
    });
    return new DmAccount(identity, api, new DmVault(dir, identity), cluster.devnet.chainId);
  };
  return { alice: await account("alice"), bob: await account("bob") };
}

const nowSeconds = () => Math.floor(Date.now() / 1000);

/**
 * Sends a DM every `periodMs` (alternating alice → bob and bob → alice, each in a second of its
 * own so the conversation has one order). `verify()` syncs both sides and counts every text sent
 * that the other side can read.
 */
export async function startDmLoad(cluster, dir, { periodMs = 3000 } = {}) {
  const { alice, bob } = await dmPair(cluster, dir);
  const stats = { sent: 0, errors: 0, errorExample: null };
  const texts = { alice: [], bob: [] }; // what each one sent
  const who = { alice: { me: alice, peer: bob }, bob: { me: bob, peer: alice } };
  await bob.ensurePrekey(nowSeconds());
  await alice.ensurePrekey(nowSeconds());
  const first = "qa dm 0: hello bob";
  await alice.send(bob.identity.address, first, "sessions", nowSeconds());
  texts.alice.push(first);
  await sleep(1100);
  const conversation = bob.conversationWith(alice.identity.address);
  await bob.sync(conversation, alice.identity.address, nowSeconds());
  await bob.api.control("accept", alice.identity.address);
  let running = true;
  const done = (async () => {
    for (let k = 1; running; k++) {
      const from = k % 2 === 0 ? "alice" : "bob";
      const { me, peer } = who[from];
      const text = `qa dm ${k} from ${from}`;
      try {
        await me.sync(me.conversationWith(peer.identity.address), peer.identity.address, nowSeconds());
        await me.send(peer.identity.address, text, "sessions", nowSeconds());
        texts[from].push(text);
        stats.sent += 1;
      } catch (err) {
        stats.errors += 1;
        stats.errorExample ??= String(err.message).slice(0, 200);
      }
      await sleep(periodMs);
    }
  })();
  return {
    stats,
    async stop() {
      running = false;
      await done;
    },
    /** For each direction: texts sent, and those the recipient could not read after a sync. */
    async verify() {
      const out = {};
      for (const [from, to] of [
        ["alice", "bob"],
        ["bob", "alice"],
      ]) {
        const me = who[to].me;
        const peer = who[from].me.identity.address;
        const c = me.conversationWith(peer);
        await me.sync(c, peer, nowSeconds());
        const got = new Set(
          (await me.messages(c, 10_000, nowSeconds())).filter((m) => m.dir === "in").map((m) => m.text),
        );
        out[`${from}->${to}`] = { sent: texts[from].length, missing: texts[from].filter((t) => !got.has(t)) };
      }
      return out;
    },
  };
}
