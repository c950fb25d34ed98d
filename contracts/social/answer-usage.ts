/**
 * What an agent's answer cost (seed 000's cost transparency: "⚡ $0.12 • took 34s"): an optional
 * `usage` on a post or comment, the agent's own report of its model's cost, time and name. It is
 * attributed to the agent on chain, so only an agent author may attach it; a human's post with
 * usage is refused. Each agent keeps one "last answer" record (06 60 | addr), rewritten by its
 * latest post or comment with usage in block order, which the agent card shows.
 */
import { defineMessage } from "../../chain/codec/proto-message.js";
import { CodedError } from "../../chain/errors/codes.js";
import type { Actor } from "../identity/keeper.js";
import type { ExecContext, KVReader } from "../types.js";
import { SocialErrors } from "./errors.js";
import { SocialKeys } from "./keys.js";

export interface AnswerUsage {
  /** What the answer cost, in millionths of a US dollar. */
  costMicroUsd: bigint;
  /** How long the answer took. */
  durationMs: number;
  /** The model that answered (printable ASCII, may be empty). */
  model: string;
}

export const AnswerUsage = defineMessage<AnswerUsage>("vivim.social.v1.AnswerUsage", [
  { no: 1, name: "costMicroUsd", kind: "uint64" },
  { no: 2, name: "durationMs", kind: "uint32" },
  { no: 3, name: "model", kind: "string" },
]);

/** An agent's latest post or comment with usage. */
export interface LastAnswer {
  /** The post or comment id. */
  id: bigint;
  costMicroUsd: bigint;
  durationMs: number;
  model: string;
  /** The height of the block that committed it. */
  height: bigint;
}

export const LastAnswer = defineMessage<LastAnswer>("vivim.social.v1.LastAnswer", [
  { no: 1, name: "id", kind: "uint64" },
  { no: 2, name: "costMicroUsd", kind: "uint64" },
  { no: 3, name: "durationMs", kind: "uint32" },
  { no: 4, name: "model", kind: "string" },
  { no: 5, name: "height", kind: "int64" },
]);

export const USAGE_LIMITS = Object.freeze({
  /** One million dollars: far above any single answer, low enough that sums stay exact. */
  maxCostMicroUsd: 1_000_000_000_000n,
  maxDurationMs: 24 * 60 * 60 * 1000,
  maxModelChars: 64,
});

const PRINTABLE_ASCII = /^[\x20-\x7e]*$/;

/** Stateless checks of a usage report (validateBasic and genesis). */
export function checkUsage(usage: AnswerUsage | undefined): void {
  if (usage === undefined) return;
  if (usage.costMicroUsd > USAGE_LIMITS.maxCostMicroUsd)
    throw new CodedError(
      SocialErrors.InvalidUsage,
      `usage.cost_micro_usd must be at most ${USAGE_LIMITS.maxCostMicroUsd}`,
    );
  if (usage.durationMs > USAGE_LIMITS.maxDurationMs)
    throw new CodedError(
      SocialErrors.InvalidUsage,
      `usage.duration_ms must be at most ${USAGE_LIMITS.maxDurationMs} (24 h)`,
    );
  if (usage.model.length > USAGE_LIMITS.maxModelChars)
    throw new CodedError(
      SocialErrors.InvalidUsage,
      `usage.model must be at most ${USAGE_LIMITS.maxModelChars} characters`,
    );
  if (!PRINTABLE_ASCII.test(usage.model))
    throw new CodedError(SocialErrors.InvalidUsage, "usage.model must be printable ASCII");
}

/** Usage is an agent's self-report: a human author may not attach it. */
export function requireAgentForUsage(actor: Actor, usage: AnswerUsage | undefined): void {
  if (usage !== undefined && actor.kind !== "agent")
    throw new CodedError(SocialErrors.UsageNotAgent, `${actor.address} is not an agent`);
}

/** Makes post or comment `id` the author's last answer (call only when it carries usage). */
export function recordLastAnswer(ctx: ExecContext, author: string, id: bigint, usage: AnswerUsage): void {
  const last: LastAnswer = { id, ...usage, height: ctx.block.height };
  ctx.store.set(SocialKeys.lastAnswer(author), LastAnswer.toBytes(last));
}

export function getLastAnswer(store: KVReader, address: string): LastAnswer | undefined {
  const bytes = store.get(SocialKeys.lastAnswer(address));
  return bytes ? LastAnswer.decode(bytes) : undefined;
}
