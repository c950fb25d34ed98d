/**
 * A minimal CometBFT JSON-RPC client (HTTP POST, one request per call) for light verification and
 * the CLI: raw JSON results, so the strict decoders in rpc/json.ts see exactly what the node sent.
 */

export type RpcClientErrorCode = "NODE_UNREACHABLE" | "RPC_HTTP" | "RPC_ERROR" | "RPC_BAD_RESPONSE";

export class RpcClientError extends Error {
  readonly code: RpcClientErrorCode;
  constructor(code: RpcClientErrorCode, message: string) {
    super(message);
    this.name = "RpcClientError";
    this.code = code;
  }
}

export interface RpcClientOptions {
  readonly timeoutMs?: number;
  /** Larger responses are refused rather than buffered. */
  readonly maxResponseBytes?: number;
}

const DEFAULT_TIMEOUT_MS = 15_000;
const DEFAULT_MAX_RESPONSE = 64 << 20;

/** Why a fetch failed, in one line: the socket error code when there is one. */
function networkReason(err: unknown): string {
  if (err instanceof Error && err.name === "TimeoutError") return "timed out";
  const cause =
    err instanceof Error ? (err.cause as { code?: unknown; message?: unknown } | undefined) : undefined;
  if (typeof cause?.code === "string") return cause.code;
  if (typeof cause?.message === "string" && cause.message) return cause.message;
  return err instanceof Error ? err.message : String(err);
}

export class RpcClient {
  private nextId = 1;
  private readonly timeoutMs: number;
  private readonly maxResponseBytes: number;

  constructor(
    readonly url: string,
    opts: RpcClientOptions = {},
  ) {
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      throw new RpcClientError("NODE_UNREACHABLE", `invalid node URL ${JSON.stringify(url)}`);
    }
    if (parsed.protocol !== "http:" && parsed.protocol !== "https:") {
      throw new RpcClientError(
        "NODE_UNREACHABLE",
        `node URL must be http:// or https://, got ${parsed.protocol}`,
      );
    }
    this.timeoutMs = opts.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.maxResponseBytes = opts.maxResponseBytes ?? DEFAULT_MAX_RESPONSE;
  }

  async call(method: string, params: Record<string, unknown> = {}): Promise<unknown> {
    const id = this.nextId++;
    let res: Response;
    try {
      res = await fetch(this.url, {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ jsonrpc: "2.0", id, method, params }),
        signal: AbortSignal.timeout(this.timeoutMs),
      });
    } catch (err) {
      throw new RpcClientError("NODE_UNREACHABLE", `cannot reach node at ${this.url}: ${networkReason(err)}`);
    }
    const declared = Number(res.headers.get("content-length") ?? "0");
    if (declared > this.maxResponseBytes) {
      await res.body?.cancel();
      throw new RpcClientError(
        "RPC_BAD_RESPONSE",
        `${method}: response larger than ${this.maxResponseBytes} bytes`,
      );
    }
    let text: string;
    try {
      text = await res.text();
    } catch (err) {
      throw new RpcClientError(
        "NODE_UNREACHABLE",
        `${method}: reading the response failed: ${networkReason(err)}`,
      );
    }
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      if (!res.ok) throw new RpcClientError("RPC_HTTP", `${method}: HTTP ${res.status} from ${this.url}`);
      throw new RpcClientError("RPC_BAD_RESPONSE", `${method}: response is not JSON`);
    }
    const o = typeof body === "object" && body !== null ? (body as Record<string, unknown>) : {};
    if (typeof o.error === "object" && o.error !== null) {
      const e = o.error as { code?: unknown; message?: unknown; data?: unknown };
      const data = typeof e.data === "string" && e.data ? `: ${e.data}` : "";
      throw new RpcClientError("RPC_ERROR", `${method}: ${String(e.message ?? "error")}${data}`);
    }
    if (!res.ok) throw new RpcClientError("RPC_HTTP", `${method}: HTTP ${res.status} from ${this.url}`);
    if (!("result" in o)) throw new RpcClientError("RPC_BAD_RESPONSE", `${method}: response has no result`);
    return o.result;
  }
}
