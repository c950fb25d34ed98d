/** Options of `vivim workers …`: the Redis URL and a connection for one command, URLs, the agents' MCP keys file. */
import { readFileSync, statSync } from "node:fs";
import { Option } from "commander";
import type { Redis } from "ioredis";
import { AGENT_NAMES, type AgentName } from "../../../workers/agents/registry.js";
import { connectRedis } from "../../../workers/redis/connection.js";
import { CliError } from "./output.js";

const MAX_KEYS_FILE = 256 * 1024;
const MCP_KEY = /^vmcp_[A-Za-z0-9_-]{1,200}$/;

export function httpUrl(text: string, option: string): string {
  if (!/^https?:\/\/\S{1,500}$/.test(text)) {
    throw new CliError(
      "INVALID_URL",
      `${option} must be an http(s) URL, got ${JSON.stringify(text.slice(0, 100))}`,
    );
  }
  return text;
}

/**
 * Each agent's MCP bearer key from `file`: an object `{ "<agent>": "vmcp_…" }`, or a devnet.json,
 * whose `mcpKeys["operator/<agent>"]` hold them. No file: no keys (the agents audit but cannot act).
 */
export function readAgentMcpKeys(file: string | undefined): Partial<Record<AgentName, string>> {
  if (!file) return {};
  let parsed: unknown;
  try {
    if (statSync(file).size > MAX_KEYS_FILE) throw new Error("larger than 256 KiB");
    parsed = JSON.parse(readFileSync(file, "utf8"));
  } catch (err) {
    throw new CliError("INVALID_MCP_KEYS", `--mcp-keys ${file}: ${(err as Error).message}`);
  }
  const o = (parsed ?? {}) as Record<string, unknown>;
  const devnet =
    typeof o.mcpKeys === "object" && o.mcpKeys !== null ? (o.mcpKeys as Record<string, unknown>) : undefined;
  const out: Partial<Record<AgentName, string>> = {};
  for (const agent of AGENT_NAMES) {
    const key = devnet ? devnet[`operator/${agent}`] : o[agent];
    if (key === undefined) continue;
    if (typeof key !== "string" || !MCP_KEY.test(key)) {
      throw new CliError(
        "INVALID_MCP_KEYS",
        `--mcp-keys ${file}: the key of ${agent} is not an MCP key (vmcp_…)`,
      );
    }
    out[agent] = key;
  }
  return out;
}

export function redisOption(): Option {
  return new Option("--redis <url>", "Redis URL").env("REDIS_URL").default("redis://127.0.0.1:6379");
}

export function redisUrl(text: string): string {
  if (!/^rediss?:\/\/[^\s]{1,500}$/.test(text)) {
    throw new CliError(
      "INVALID_REDIS",
      `--redis must be a redis:// URL, got ${JSON.stringify(text.slice(0, 100))}`,
    );
  }
  return text;
}

export async function withRedis<T>(url: string, f: (r: Redis) => Promise<T>): Promise<T> {
  const redis = connectRedis(redisUrl(url), "producer");
  try {
    return await f(redis);
  } finally {
    redis.disconnect();
  }
}
