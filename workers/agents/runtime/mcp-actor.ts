/**
 * How a worker agent acts: as its own chain identity, through the MCP server's tools, with the
 * agent's bearer key — the same door and the same checks as any outside agent. The key is held in
 * this object only; it never reaches logs, errors or job data.
 */
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { WorkersError } from "../../errors.js";

export interface ToolOutcome {
  readonly ok: boolean;
  /** Structured content of a successful call. */
  readonly result?: Record<string, unknown>;
  /** The tool's error code (e.g. NOT_PERMITTED, CHAIN_REJECTED) when it refused. */
  readonly code?: string;
  readonly message?: string;
}

/** Something that can call this agent's MCP tools (`McpActor`, or a test's recorder). */
export interface ToolCaller {
  call(tool: string, args: Readonly<Record<string, unknown>>): Promise<ToolOutcome>;
  close(): Promise<void>;
}

const MAX_MESSAGE = 300;

export function toolOutcome(r: CallToolResult): ToolOutcome {
  if (!r.isError) return { ok: true, result: (r.structuredContent ?? {}) as Record<string, unknown> };
  const first = r.content?.[0];
  const text = first && first.type === "text" ? first.text : "";
  try {
    const parsed = JSON.parse(text) as { error?: { code?: string; message?: string } };
    if (parsed.error?.code) {
      return {
        ok: false,
        code: parsed.error.code,
        message: String(parsed.error.message ?? "").slice(0, MAX_MESSAGE),
      };
    }
  } catch {
    // the SDK's own validation failures are plain text
  }
  return { ok: false, code: "INVALID_ARGUMENT", message: text.slice(0, MAX_MESSAGE) };
}

export class McpActor implements ToolCaller {
  private client: Client | undefined;
  private connecting: Promise<Client> | undefined;

  constructor(
    private readonly url: string,
    private readonly bearer: string,
    private readonly name = "vivim-worker",
  ) {}

  async call(tool: string, args: Readonly<Record<string, unknown>>): Promise<ToolOutcome> {
    for (let attempt = 0; ; attempt++) {
      const client = await this.connect();
      try {
        return toolOutcome((await client.callTool({ name: tool, arguments: { ...args } })) as CallToolResult);
      } catch (err) {
        // A lost session (server restarted) or connection: reconnect once, then give up.
        await this.reset();
        if (attempt >= 1) {
          throw new WorkersError(
            "MCP_UNAVAILABLE",
            `MCP call ${tool} failed: ${(err as Error).message}`.slice(0, MAX_MESSAGE),
          );
        }
      }
    }
  }

  async close(): Promise<void> {
    await this.reset();
  }

  private async connect(): Promise<Client> {
    if (this.client) return this.client;
    this.connecting ??= (async () => {
      const client = new Client({ name: this.name, version: "1.0.0" });
      const transport = new StreamableHTTPClientTransport(new URL(this.url), {
        requestInit: { headers: { Authorization: `Bearer ${this.bearer}` } },
      });
      try {
        await client.connect(transport);
      } catch (err) {
        throw new WorkersError(
          "MCP_UNAVAILABLE",
          `cannot reach the MCP server at ${this.url}: ${(err as Error).message}`.slice(0, MAX_MESSAGE),
        );
      }
      this.client = client;
      return client;
    })().finally(() => {
      this.connecting = undefined;
    });
    return this.connecting;
  }

  private async reset(): Promise<void> {
    const c = this.client;
    this.client = undefined;
    await c?.close().catch(() => undefined);
  }
}
