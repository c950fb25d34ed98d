/**
 * What the client commands (status, query, tx, verify) share: the --node and --output options,
 * printing JSON or readable text, and turning any failure — ours, cosmjs's, the network's — into
 * one coded line on stderr and exit code 1.
 */
import { type Command, Option } from "commander";

export type OutputFormat = "json" | "text";

export const DEFAULT_NODE = "http://127.0.0.1:26657";

/** A client-side failure with a stable code; the message is one line meant for operators. */
export class CliError extends Error {
  readonly code: string;
  constructor(code: string, message: string) {
    super(message);
    this.name = "CliError";
    this.code = code;
  }
}

export function nodeOption(): Option {
  return new Option("--node <url>", "CometBFT RPC endpoint of the node")
    .env("VIVIM_NODE")
    .default(DEFAULT_NODE);
}

/** `--keyring-backend test|file` (also $VIVIM_KEYRING_BACKEND), encrypted `file` by default as in Cosmos. */
export function keyringBackendOption(): Option {
  return new Option(
    "--keyring-backend <backend>",
    "where keys live: file (encrypted) or test (plain, devnets only)",
  )
    .choices(["test", "file"])
    .env("VIVIM_KEYRING_BACKEND")
    .default("file");
}

export function outputOption(dflt: OutputFormat = "text"): Option {
  return new Option("--output <format>", "output format").choices(["json", "text"]).default(dflt);
}

/** `tcp://host:port` (CometBFT's --node habit) is taken as `http://host:port`. */
export function nodeUrl(text: string): string {
  const url = text.startsWith("tcp://") ? `http://${text.slice("tcp://".length)}` : text;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new CliError(
      "INVALID_NODE",
      `--node must be a URL like ${DEFAULT_NODE}, got ${JSON.stringify(text)}`,
    );
  }
  if (parsed.protocol !== "http:" && parsed.protocol !== "https:") {
    throw new CliError(
      "INVALID_NODE",
      `--node must be an http:// or https:// URL, got ${JSON.stringify(text)}`,
    );
  }
  return url;
}

type Printable = null | boolean | number | string | bigint | Printable[] | { [key: string]: Printable };

function scalarText(v: Printable): string {
  if (v === null) return "null";
  if (typeof v === "string") return v === "" || /[:#\n]|^\s|\s$/.test(v) ? JSON.stringify(v) : v;
  return String(v);
}

/** A YAML-like rendering, the shape Cosmos CLIs print with `--output text`. */
export function toText(v: Printable, indent = ""): string {
  if (Array.isArray(v)) {
    if (v.length === 0) return "[]\n";
    return v
      .map((item) => {
        const body = toText(item, `${indent}  `);
        return typeof item === "object" && item !== null
          ? `${indent}- ${body.trimStart()}`
          : `${indent}- ${body}`;
      })
      .join("");
  }
  if (typeof v === "object" && v !== null) {
    const entries = Object.entries(v);
    if (entries.length === 0) return "{}\n";
    return entries
      .map(([k, val]) => {
        if (
          typeof val === "object" &&
          val !== null &&
          (Array.isArray(val) ? val.length > 0 : Object.keys(val).length > 0)
        ) {
          return `${indent}${k}:\n${toText(val, `${indent}  `)}`;
        }
        return `${indent}${k}: ${toText(val, "").trimEnd()}\n`;
      })
      .join("");
  }
  return `${scalarText(v)}\n`;
}

export function print(format: OutputFormat, value: Printable): void {
  const text =
    format === "json"
      ? `${JSON.stringify(value, (_k, v: unknown) => (typeof v === "bigint" ? v.toString() : v), 2)}\n`
      : toText(value);
  process.stdout.write(text);
}

const oneLine = (s: string): string => {
  const line = s.replace(/\s+/g, " ").trim();
  return line.length > 500 ? `${line.slice(0, 497)}...` : line;
};

/** cosmjs throws JSON-RPC errors as `Error(JSON.stringify(error))`. */
function rpcErrorText(message: string): string | undefined {
  if (!message.startsWith("{")) return undefined;
  try {
    const e = JSON.parse(message) as { message?: unknown; data?: unknown };
    if (typeof e.message !== "string") return undefined;
    return typeof e.data === "string" && e.data ? `${e.message}: ${e.data}` : e.message;
  } catch {
    return undefined;
  }
}

/** Classifies anything thrown into a code and a one-line message. */
export function describeError(err: unknown, node?: string): { code: string; message: string } {
  if (!(err instanceof Error)) return { code: "ERROR", message: oneLine(String(err)) };
  const code = (err as { code?: unknown }).code;
  if (typeof code === "string" && code !== "") return { code, message: oneLine(err.message) };
  const cause = err.cause as { code?: unknown; message?: unknown } | undefined;
  if (err.message === "fetch failed" || typeof cause?.code === "string") {
    const why =
      typeof cause?.code === "string"
        ? cause.code
        : typeof cause?.message === "string"
          ? cause.message
          : err.message;
    return { code: "NODE_UNREACHABLE", message: `cannot reach node${node ? ` at ${node}` : ""}: ${why}` };
  }
  if (err.name === "BroadcastTxError") return { code: "TX_REJECTED", message: oneLine(err.message) };
  if (err.name === "TimeoutError") return { code: "TX_TIMEOUT", message: oneLine(err.message) };
  if (/^Bad status on response: \d+/.test(err.message)) return { code: "RPC_HTTP", message: err.message };
  const rpc = rpcErrorText(err.message);
  if (rpc) return { code: "RPC_ERROR", message: oneLine(rpc) };
  if (/does not exist on chain/.test(err.message))
    return { code: "ACCOUNT_NOT_FOUND", message: oneLine(err.message) };
  return { code: "ERROR", message: oneLine(err.message) };
}

/** Ends the command: `Error [CODE]: message` on stderr, exit code 1, never a stack trace. */
export function fail(cmd: Command, err: unknown, node?: string): never {
  const { code, message } = describeError(err, node);
  cmd.error(`Error [${code}]: ${message}`, { exitCode: 1, code });
}
