/**
 * Operator commands for the service workers over the app API: pause or resume one agent or all of
 * them, and the emergency stop. A command carries an ADR-036 signature (Keplr's signArbitrary) by
 * an account listed in `[api] workers_operators`, over
 *
 *   vivim-workers-control\n<chain id>\n<action>\n<agent|all>\n<issued at, ms since epoch>
 *
 * It is accepted within CONTROL_MAX_AGE_MS of its issue time, and only once: the backend remembers
 * each accepted signature for twice that long, so a captured request cannot be replayed.
 */
import { type AgentName, isAgentName } from "../../workers/agents/names.js";
import type { ControlCommand } from "../../workers/supervisor/protocol.js";
import { parseAccountList } from "../config/config.js";
import { type Adr036Signature, verifyAdr036 } from "../crypto/adr036.js";
import { ApiError, badRequest } from "./http.js";
import { adr036Fields, stringField } from "./params.js";

export const CONTROL_ACTIONS = ["pause", "resume", "stop"] as const;
export type ControlAction = (typeof CONTROL_ACTIONS)[number];

/** How far a command's issue time may be from the node's clock, either way. */
export const CONTROL_MAX_AGE_MS = 5 * 60_000;

export interface WorkersControlRequest {
  readonly action: ControlAction;
  /** The emergency stop always names "all". */
  readonly agent: AgentName | "all";
  readonly issuedAt: number;
  readonly sig: Adr036Signature;
}

/** What an operator signs for a command. */
export function workersControlText(
  chainId: string,
  action: ControlAction,
  agent: AgentName | "all",
  issuedAt: number,
): string {
  return `vivim-workers-control\n${chainId}\n${action}\n${agent}\n${issuedAt}`;
}

/** The supervisor's control command for an accepted request. */
export function controlCommand(req: WorkersControlRequest): ControlCommand {
  return req.action === "stop" ? { cmd: "stop" } : { cmd: req.action, agent: req.agent };
}

/** Validates the JSON body of POST /vivim/workers/v1/control. */
export function parseControlRequest(b: Record<string, unknown>): WorkersControlRequest {
  const action = b.action;
  if (typeof action !== "string" || !(CONTROL_ACTIONS as readonly string[]).includes(action))
    throw badRequest('action must be "pause", "resume" or "stop"');
  const agent = b.agent ?? "all";
  if (agent !== "all" && !(typeof agent === "string" && isAgentName(agent)))
    throw badRequest('agent must be "all", feed, moderation, reputation or health');
  if (action === "stop" && agent !== "all") throw badRequest('the emergency stop is for "all" agents');
  const issuedAt = Number(stringField(b.issued_at, "issued_at", 16));
  if (!/^\d{1,16}$/.test(String(b.issued_at)) || !Number.isSafeInteger(issuedAt))
    throw badRequest("issued_at must be milliseconds since the epoch, as a decimal string");
  return {
    action: action as ControlAction,
    agent: agent as AgentName | "all",
    issuedAt,
    sig: adr036Fields(b),
  };
}

/**
 * Throws PERMISSION_DENIED unless the signer is one of `operators`, the command is fresh, and the
 * signature verifies for exactly this chain, action, agent and issue time.
 */
export function authorizeControl(
  req: WorkersControlRequest,
  chainId: string,
  operatorsText: string,
  now: number,
): void {
  const operators = parseAccountList(operatorsText) ?? [];
  if (operators.length === 0)
    throw new ApiError(
      "PERMISSION_DENIED",
      "this node accepts no worker commands from the app ([api] workers_operators is empty); use `vivim workers`",
    );
  if (!operators.includes(req.sig.signer))
    throw new ApiError("PERMISSION_DENIED", "only this node's workers operators may command the workers");
  if (Math.abs(now - req.issuedAt) > CONTROL_MAX_AGE_MS)
    throw new ApiError(
      "PERMISSION_DENIED",
      "the command was issued more than 5 minutes from the node's clock; sign it again",
    );
  const signed = workersControlText(chainId, req.action, req.agent, req.issuedAt);
  if (!verifyAdr036(req.sig, new TextEncoder().encode(signed)))
    throw new ApiError(
      "PERMISSION_DENIED",
      "the signature does not verify for this signer, chain, action, agent and time",
    );
}
