import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import {
  ConfigError,
  defaultConfig,
  formatDuration,
  loadConfig,
  MAX_CONFIG_BYTES,
  parseConfig,
  parseDuration,
  parseGasPrices,
  parseListenAddress,
  parsePersistentPeers,
  renderConfig,
} from "./config.js";

function configError(fn: () => unknown): ConfigError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return err as ConfigError;
  }
  throw new Error("expected a ConfigError");
}

describe("defaults", () => {
  it("mirror CometBFT and the design's ports", () => {
    const c = defaultConfig();
    expect(c.log_level).toBe("info");
    expect(c.minimum_gas_prices).toBe("0uvivim");
    expect(c.rpc).toEqual({
      laddr: "tcp://127.0.0.1:26657",
      cors_allowed_origins: ["*"],
      max_body_bytes: 1_000_000,
      max_subscription_clients: 100,
      max_subscriptions_per_client: 5,
      timeout_broadcast_tx_commit: 10_000,
    });
    expect(c.api).toEqual({
      enable: true,
      address: "tcp://127.0.0.1:1317",
      workers_redis: "",
      workers_operators: "",
    });
    expect(c.p2p).toEqual({ laddr: "tcp://0.0.0.0:26656", persistent_peers: "", allowed_node_ids: "" });
    expect(c.mempool).toEqual({
      size: 5000,
      max_txs_bytes: 67108864,
      max_tx_bytes: 65536,
      cache_size: 10000,
      max_txs_per_account: 64,
    });
    expect(c.consensus).toEqual({
      timeout_propose: 3000,
      timeout_propose_delta: 500,
      timeout_prevote: 1000,
      timeout_prevote_delta: 500,
      timeout_precommit: 1000,
      timeout_precommit_delta: 500,
      timeout_commit: 300,
      create_empty_blocks: true,
      create_empty_blocks_interval: 5000,
    });
    expect(c.tx_index.indexer).toBe("kv");
    expect(c.instrumentation.prometheus).toBe(true);
    expect(c.verify.threads).toBe(0);
    expect(c.verify.secp256k1).toBe("native");
  });

  it("fill keys missing from a partial file", () => {
    const c = parseConfig('moniker = "n1"\n[mempool]\nsize = 100\n');
    expect(c.moniker).toBe("n1");
    expect(c.mempool.size).toBe(100);
    expect(c.mempool.max_tx_bytes).toBe(65536);
    expect(c.rpc.laddr).toBe("tcp://127.0.0.1:26657");
  });

  it("are fresh objects each time", () => {
    const a = defaultConfig();
    a.rpc.cors_allowed_origins.push("x");
    expect(defaultConfig().rpc.cors_allowed_origins).toEqual(["*"]);
  });
});

describe("render", () => {
  it("round-trips the defaults and a changed config", () => {
    expect(parseConfig(renderConfig(defaultConfig()))).toEqual(defaultConfig());
    const c = defaultConfig();
    c.moniker = 'quote " and \\ and ünïcode';
    c.consensus.timeout_propose = 90_000;
    c.consensus.timeout_commit = 1500;
    c.consensus.timeout_prevote_delta = 0;
    c.rpc.cors_allowed_origins = ["http://localhost:3000", "https://vivim.example"];
    c.p2p.persistent_peers = `${"ab".repeat(20)}@10.0.0.2:26656,${"cd".repeat(20)}@node1:26656`;
    c.minimum_gas_prices = "0.025uvivim";
    c.log_format = "json";
    c.api.enable = false;
    const text = renderConfig(c);
    expect(parseConfig(text)).toEqual(c);
    expect(text).toContain('timeout_propose = "1m30s"');
    expect(text).toContain('timeout_commit = "1.5s"');
  });

  it("writes commented sections like CometBFT", () => {
    const text = renderConfig(defaultConfig());
    for (const s of ["rpc", "api", "p2p", "mempool", "consensus", "tx_index", "instrumentation", "verify"]) {
      expect(text).toContain(`\n[${s}]\n`);
    }
    expect(text).toMatch(/# TCP address for the CometBFT-compatible JSON-RPC server to listen on\nladdr = /);
    expect(text.indexOf("minimum_gas_prices")).toBeLessThan(text.indexOf("[rpc]"));
  });
});

describe("durations", () => {
  it("parse Go-style strings to milliseconds", () => {
    const ok: [string, number][] = [
      ["500ms", 500],
      ["1s", 1000],
      ["1m30s", 90_000],
      ["1.5s", 1500],
      ["1.001s", 1001],
      ["2h", 7_200_000],
      ["1h1m1s1ms", 3_661_001],
      ["0", 0],
      ["0s", 0],
    ];
    for (const [text, ms] of ok) expect(parseDuration(text), text).toBe(ms);
    for (const bad of ["", "5", "1d", "-1s", "1.0005s", "s", "1s ", " 1s", "1.s", "1e3ms", "0.5ms"]) {
      expect(parseDuration(bad), bad).toBeUndefined();
    }
  });

  it("format back to what they parse from", () => {
    for (const ms of [0, 1, 500, 999, 1000, 1001, 1500, 60_000, 90_000, 3_600_000, 3_661_001]) {
      expect(parseDuration(formatDuration(ms))).toBe(ms);
    }
  });
});

describe("bad input names its field", () => {
  const cases: [string, string, RegExp][] = [
    ["[mempool]\nsize = 0", "mempool.size", /between 1 and 1000000, got 0/],
    ['[mempool]\nsize = "big"', "mempool.size", /must be an integer, got string "big"/],
    ["[mempool]\nsize = 1.5", "mempool.size", /must be an integer/],
    ["[mempool]\nsizee = 1", "mempool.sizee", /unknown key/],
    ["[mempool]\nmax_tx_bytes = 2000\nmax_txs_bytes = 1024", "mempool.max_tx_bytes", /max_txs_bytes/],
    ["[mempool]\nsize = 10\nmax_txs_per_account = 11", "mempool.max_txs_per_account", /mempool.size/],
    ["[bogus]\nx = 1", "bogus", /unknown section/],
    ["extra = 1", "extra", /unknown key/],
    ["rpc = 5", "rpc", /must be a table/],
    ['[consensus]\ntimeout_propose = "3 seconds"', "consensus.timeout_propose", /duration like "500ms"/],
    ["[consensus]\ntimeout_propose = 3000", "consensus.timeout_propose", /duration/],
    ['[consensus]\ntimeout_commit = "2h"', "consensus.timeout_commit", /between 0s and 1h/],
    ['[consensus]\ntimeout_prevote = "0s"', "consensus.timeout_prevote", /between 1ms and 1h/],
    ['[consensus]\ncreate_empty_blocks = "yes"', "consensus.create_empty_blocks", /true or false/],
    ['[rpc]\nladdr = "127.0.0.1:26657"', "rpc.laddr", /listen address like "tcp:\/\/127.0.0.1:26657"/],
    ['[rpc]\nladdr = "tcp://127.0.0.1:99999"', "rpc.laddr", /listen address/],
    ['[rpc]\ncors_allowed_origins = "*"', "rpc.cors_allowed_origins", /array of non-empty strings/],
    ["[rpc]\nmax_body_bytes = 10", "rpc.max_body_bytes", /between 1024/],
    ['[rpc]\ntimeout_broadcast_tx_commit = "-1s"', "rpc.timeout_broadcast_tx_commit", /duration/],
    ['[api]\nenable = "yes"', "api.enable", /true or false/],
    ['[api]\naddress = "tcp://127.0.0.1:26657"', "api.address", /same port 26657 as rpc.laddr/],
    ['[api]\nworkers_operators = "vivim1nope"', "api.workers_operators", /vivim1… addresses/],
    ['[p2p]\npersistent_peers = "abc@host"', "p2p.persistent_peers", /node id>@host:port/],
    ['log_level = "trace"', "log_level", /one of "error", "warn", "info", "debug"/],
    ['log_format = "xml"', "log_format", /one of/],
    ['moniker = ""', "moniker", /1 to 70 printable/],
    ['moniker = "a\\u0000b"', "moniker", /printable/],
    ['minimum_gas_prices = "cheap"', "minimum_gas_prices", /coins like/],
    ["[verify]\nthreads = -1", "verify.threads", /between 0 and 1024/],
    ['[verify]\nsecp256k1 = "openssl"', "verify.secp256k1", /"native", "node"/],
    ['[tx_index]\nindexer = "psql"', "tx_index.indexer", /"kv", "null"/],
    ["[instrumentation]\nprometheus = 1", "instrumentation.prometheus", /true or false/],
  ];
  for (const [toml, field, message] of cases) {
    it(`${field}: ${toml.split("\n").at(-1)}`, () => {
      const err = configError(() => parseConfig(toml));
      expect(err.code).toBe("CONFIG_INVALID");
      expect(err.field).toBe(field);
      expect(err.message).toContain(`${field}:`);
      expect(err.message).toMatch(message);
    });
  }

  it("reports TOML syntax errors with their position", () => {
    const err = configError(() => parseConfig('moniker = "x"\nlog_level = \n'));
    expect(err.code).toBe("CONFIG_INVALID");
    expect(err.field).toBe("");
    expect(err.message).toMatch(/line 2, column/);
  });
});

describe("value syntaxes", () => {
  it("listen addresses", () => {
    expect(parseListenAddress("tcp://0.0.0.0:26656")).toEqual({ host: "0.0.0.0", port: 26656 });
    expect(parseListenAddress("tcp://[::1]:0")).toEqual({ host: "::1", port: 0 });
    expect(parseListenAddress("tcp://node-1.local:1317")).toEqual({ host: "node-1.local", port: 1317 });
    for (const bad of [
      "http://x:1",
      "tcp://x",
      "tcp://:1",
      "tcp://x:65536",
      "tcp://a b:1",
      "unix:///tmp/s",
    ]) {
      expect(parseListenAddress(bad), bad).toBeUndefined();
    }
  });

  it("persistent peers", () => {
    const id = "0123456789abcdef0123456789abcdef01234567";
    expect(parsePersistentPeers("")).toEqual([]);
    expect(parsePersistentPeers(`${id}@10.0.0.1:26656, ${id}@[::1]:26657`)).toEqual([
      { id, host: "10.0.0.1", port: 26656 },
      { id, host: "::1", port: 26657 },
    ]);
    expect(parsePersistentPeers(`${id}@host:0`)).toBeUndefined();
    expect(parsePersistentPeers(`${id.toUpperCase()}@host:1`)).toBeUndefined();
  });

  it("gas prices", () => {
    expect(parseGasPrices("")).toEqual([]);
    expect(parseGasPrices("0.025uvivim, 1ufoo")).toEqual([
      { amount: "0.025", denom: "uvivim" },
      { amount: "1", denom: "ufoo" },
    ]);
    expect(parseGasPrices("1uvivim,2uvivim")).toBeUndefined();
    expect(parseGasPrices("uvivim")).toBeUndefined();
  });
});

describe("loadConfig", () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), "vivim-config-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("loads a file", () => {
    const file = path.join(dir, "config.toml");
    writeFileSync(file, renderConfig({ ...defaultConfig(), moniker: "loaded" }));
    expect(loadConfig(file).moniker).toBe("loaded");
  });

  it("says clearly that a file is missing", () => {
    const err = configError(() => loadConfig(path.join(dir, "nope.toml")));
    expect(err.code).toBe("CONFIG_UNREADABLE");
    expect(err.message).toContain("nope.toml does not exist");
  });

  it("refuses a directory and a file over 1 MiB", () => {
    expect(configError(() => loadConfig(dir)).message).toMatch(/not a regular file/);
    const big = path.join(dir, "big.toml");
    writeFileSync(big, `#${"x".repeat(MAX_CONFIG_BYTES)}\n`);
    const err = configError(() => loadConfig(big));
    expect(err.code).toBe("CONFIG_UNREADABLE");
    expect(err.message).toMatch(/larger than 1048576 bytes/);
  });
});

describe("[anchor]", () => {
  const enabled = [
    "[anchor]",
    "enabled = true",
    'target_rpc = "http://127.0.0.1:36657"',
    'target_chain_id = "vivim-target-1"',
    'key = "anchorer"',
  ].join("\n");

  it("is off by default, and an enabled section with a target, a key and a schedule parses", () => {
    expect(defaultConfig().anchor).toEqual({
      enabled: false,
      target_rpc: "",
      target_chain_id: "",
      target_prefix: "vivim",
      mode: "memo",
      every_blocks: 100,
      every_minutes: 10,
      key: "",
      keyring_backend: "file",
      gas_limit: 200_000,
      gas_price: "0.025uvivim",
      record_gas_price: "",
      retry_initial: 2000,
      retry_max: 300_000,
      broadcast_timeout: 30_000,
    });
    const c = parseConfig(`${enabled}\nmode = "vivim"\nevery_blocks = 0\nretry_initial = "100ms"`);
    expect(c.anchor).toMatchObject({ enabled: true, mode: "vivim", every_blocks: 0, every_minutes: 10 });
    expect(parseConfig(renderConfig(c))).toEqual(c);
    expect(renderConfig(c)).toContain("\n[anchor]\n");
  });

  const cases: [string, string, RegExp][] = [
    ['[anchor]\nenabled = true\ntarget_chain_id = "b"\nkey = "k"', "anchor.target_rpc", /must be set/],
    ['[anchor]\nenabled = true\ntarget_rpc = "http://x"\nkey = "k"', "anchor.target_chain_id", /must be set/],
    ['[anchor]\nenabled = true\ntarget_rpc = "http://x"\ntarget_chain_id = "b"', "anchor.key", /must be set/],
    [`${enabled}\nevery_blocks = 0\nevery_minutes = 0`, "anchor.every_blocks", /both be 0/],
    [`${enabled}\nretry_initial = "10m"`, "anchor.retry_initial", /anchor.retry_max \(5m\)/],
    ['[anchor]\ntarget_rpc = "ftp://x"', "anchor.target_rpc", /http\(s\):\/\/ URL/],
    ['[anchor]\ntarget_chain_id = "a:b"', "anchor.target_chain_id", /must match/],
    ['[anchor]\nmode = "ibc"', "anchor.mode", /one of "memo", "vivim"/],
    ['[anchor]\ntarget_prefix = "Cosmos1"', "anchor.target_prefix", /lowercase letters/],
    ["[anchor]\nevery_blocks = -1", "anchor.every_blocks", /between 0/],
    ['[anchor]\nkey = "my key"', "anchor.key", /key name/],
    ['[anchor]\nkeyring_backend = "os"', "anchor.keyring_backend", /one of "file", "test"/],
    ["[anchor]\ngas_limit = 0", "anchor.gas_limit", /between 1/],
    ['[anchor]\ngas_price = "1uatom,2uosmo"', "anchor.gas_price", /one coin/],
    ['[anchor]\nrecord_gas_price = "free"', "anchor.record_gas_price", /one coin/],
    ['[anchor]\nbroadcast_timeout = "1ms"', "anchor.broadcast_timeout", /between 100ms/],
    ["[anchor]\nevery_blok = 1", "anchor.every_blok", /unknown key/],
  ];
  for (const [toml, field, message] of cases) {
    it(`${field}: ${toml.split("\n").at(-1)}`, () => {
      const err = configError(() => parseConfig(toml));
      expect([err.code, err.field]).toEqual(["CONFIG_INVALID", field]);
      expect(err.message).toMatch(message);
    });
  }
});
