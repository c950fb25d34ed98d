/**
 * How a VIVIM tool is declared and registered: a name, a scope, zod input and output shapes and a
 * handler that returns the structured result. Registration wraps every handler with the same
 * gate — key still active, scope granted, per-key rate limit — and turns failures into MCP
 * `isError` results whose text is `{"error":{"code","message",...}}` (never a stack).
 */
import type { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import type { CallToolResult, ToolAnnotations } from "@modelcontextprotocol/sdk/types.js";
import { z } from "zod";
import { hasScope, type Scope } from "../auth/scopes.js";
import type { McpServices, McpSession } from "../context.js";
import { McpToolError } from "../errors.js";
import { rememberResultJson } from "../result-json.js";

export interface ToolCall {
  readonly session: McpSession;
  readonly services: McpServices;
  /**
   * Asks the human at the client to approve an action (MCP elicitation). Resolves true/false, or
   * undefined when the client cannot ask (no elicitation capability).
   */
  approve(message: string): Promise<boolean | undefined>;
}

export interface ToolDef<I extends z.ZodRawShape = z.ZodRawShape, O extends z.ZodRawShape = z.ZodRawShape> {
  readonly name: string;
  readonly title: string;
  readonly description: string;
  /** `read` tools never change chain state. */
  readonly scope: Scope;
  readonly input: I;
  readonly output: O;
  readonly annotations?: ToolAnnotations;
  /**
   * For read tools whose result depends only on the chain and these arguments (not on the caller):
   * the result is shared by all sessions for one block. Return undefined to skip caching a call.
   */
  blockCacheKey?(args: z.infer<z.ZodObject<I>>, call: ToolCall): string | undefined;
  run(args: z.infer<z.ZodObject<I>>, call: ToolCall): Promise<z.infer<z.ZodObject<O>>>;
}

/** Identity function that keeps a tool's argument and result types checked. */
export function defineTool<I extends z.ZodRawShape, O extends z.ZodRawShape>(
  def: ToolDef<I, O>,
): ToolDef<I, O> {
  return def;
}

/** The text part of a result: the structured content as JSON (what text-only clients show). */
export function toolResult(structured: Record<string, unknown>): CallToolResult {
  const text = JSON.stringify(structured, bigintJson);
  rememberResultJson(text);
  return { content: [{ type: "text", text }], structuredContent: structured };
}

export function toolError(e: unknown, log: McpServices["log"], tool: string): CallToolResult {
  const err =
    e instanceof McpToolError
      ? e
      : new McpToolError("CHAIN_UNAVAILABLE", "the server could not complete the call; try again");
  if (!(e instanceof McpToolError))
    log.error({ tool, err: (e as Error)?.name, msg: (e as Error)?.message }, "mcp tool failed");
  const error = { code: err.code, message: err.message, ...err.details };
  // No structuredContent: clients validate it against the tool's (success) output schema. The
  // text is the coded error as JSON, which models and programs read alike.
  return { isError: true, content: [{ type: "text", text: JSON.stringify({ error }) }] };
}

function bigintJson(_key: string, value: unknown): unknown {
  return typeof value === "bigint" ? value.toString() : value;
}

/** Runs the gate shared by every tool, resource and prompt: active key, scope, rate limit. */
export function gate(session: McpSession, scope: Scope): void {
  const { services, key } = session;
  if (!services.keys.isActive(key.id)) throw new McpToolError("UNAUTHORIZED", "this MCP key was revoked");
  if (!hasScope(key.scopes, scope)) {
    throw new McpToolError(
      "FORBIDDEN_SCOPE",
      `this key lacks the "${scope}" scope (it has: ${key.scopes.join(", ")}); ask its owner for a key with it`,
    );
  }
  const wait = services.limiter.take(key.id, scope === "read" ? "read" : "write");
  if (wait > 0) {
    throw new McpToolError("RATE_LIMITED", `too many calls with this key; retry in ${wait} s`, {
      retryAfter: wait,
    });
  }
}

export function registerTools(server: McpServer, session: McpSession, tools: readonly ToolDef[]): void {
  const call: ToolCall = {
    session,
    services: session.services,
    async approve(message) {
      if (!server.server.getClientCapabilities()?.elicitation) return undefined;
      const r = await server.server.elicitInput({
        message,
        requestedSchema: {
          type: "object",
          properties: {
            approve: { type: "boolean", title: "Approve", description: "Sign and send this action" },
          },
          required: ["approve"],
        },
      });
      return r.action === "accept" && r.content?.approve === true;
    },
  };
  for (const tool of tools) {
    server.registerTool(
      tool.name,
      {
        title: tool.title,
        description: tool.description,
        inputSchema: tool.input,
        outputSchema: tool.output,
        annotations: {
          readOnlyHint: tool.scope === "read",
          openWorldHint: false,
          ...tool.annotations,
        },
      },
      async (args: Record<string, unknown>) => {
        const execute = async () => {
          try {
            return toolResult((await tool.run(args as never, call)) as Record<string, unknown>);
          } catch (e) {
            return toolError(e, session.services.log, tool.name);
          }
        };
        try {
          gate(session, tool.scope);
        } catch (e) {
          return toolError(e, session.services.log, tool.name);
        }
        const height = session.services.watcher.latestHeight;
        const key = height === undefined ? undefined : tool.blockCacheKey?.(args as never, call);
        return key === undefined
          ? execute()
          : session.services.results.get(height!, `${tool.name}|${key}`, execute);
      },
    );
  }
}

export { z };
