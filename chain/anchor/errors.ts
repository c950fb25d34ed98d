/** Failures of anchoring and of checking anchors, each with a stable code and a one-line message. */
export type AnchorErrorCode =
  | "TARGET_UNREACHABLE"
  | "TARGET_CHAIN_MISMATCH"
  | "TARGET_REFUSED"
  | "TARGET_TIMEOUT"
  | "BAD_TARGET_RESPONSE"
  | "INVALID_ANCHOR_QUERY";

export class AnchorError extends Error {
  readonly code: AnchorErrorCode;
  constructor(code: AnchorErrorCode, message: string) {
    super(message);
    this.name = "AnchorError";
    this.code = code;
  }
}

/**
 * How a target is named in logs and errors: its origin only, since providers often put an API
 * key in an RPC URL's path, query or user part.
 */
export function targetName(rpc: string): string {
  try {
    return new URL(rpc).origin;
  } catch {
    return "the target";
  }
}

/** Any failure as an AnchorError: cosmjs's own errors (network, timeouts) get the closest code. */
export function asAnchorError(err: unknown, target: string): AnchorError {
  if (err instanceof AnchorError) return err;
  const e = err instanceof Error ? err : new Error(String(err));
  if (e.name === "TimeoutError")
    return new AnchorError("TARGET_TIMEOUT", `the anchoring tx was not included on ${target} in time`);
  const cause = e.cause as { code?: unknown } | undefined;
  const line = e.message.replace(/\s+/g, " ").slice(0, 300);
  if (
    e.message === "fetch failed" ||
    typeof cause?.code === "string" ||
    /ECONNREFUSED|ECONNRESET|socket/i.test(line)
  )
    return new AnchorError(
      "TARGET_UNREACHABLE",
      `cannot reach ${target}: ${typeof cause?.code === "string" ? cause.code : line}`,
    );
  return new AnchorError("TARGET_REFUSED", `${target}: ${line}`);
}
