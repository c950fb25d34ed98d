/**
 * The moderation agent's processor for `moderation` queue jobs (one per block with new posts,
 * comments or edits, from the block bridge): each content id of the block is read once from the
 * chain (QueryContent, reads of a block in parallel), scanned for leaked secrets and prompt
 * injection, classified by the AI provider chain (offline rules unless a model is configured), and
 * every resulting decision goes to the runtime (autonomy gate, approvals, audit, label_content on
 * the agent's own identity). A replayed job reaches the same decisions with the same action ids, so
 * the runtime records duplicates instead of labelling twice.
 */

import type { Logger } from "pino";
import { LabelPolicy } from "../../../contracts/social/enums.js";
import { SOCIAL_QUERY_PATHS as Q } from "../../../contracts/social/query.js";
import {
  type ContentView,
  QueryContentRequest,
  QueryContentResponse,
} from "../../../contracts/social/query-types.js";
import type { ProviderChain } from "../../ai/chain.js";
import { DEFAULT_INTERESTS } from "../../bridge/interests.js";
import { WorkersError } from "../../errors.js";
import type { ChainQuery } from "../feed/chain.js";
import { checkJob } from "../feed/plan.js";
import { clientsOf, type JobSourceContext, wholeJob } from "../job-source.js";
import type { ActStatus, AgentDecision } from "../runtime/decision.js";
import { type AgentRuntime, hashInputs } from "../runtime/runtime.js";
import { type ContentToScan, planModeration } from "./plan.js";
import {
  AI_MAX_TOKENS,
  type ContentDecisionInput,
  type ContentText,
  contentDecisions,
  MAX_AI_CHARS,
  MODERATION_SYSTEM_PROMPT,
  parseClassification,
  scanText,
  textOf,
} from "./rules.js";

/** `nodeRpcUrl` (or `chain`/`node`): where content is read. */
export interface ModerationContext extends JobSourceContext {
  readonly runtime: Pick<AgentRuntime, "decide">;
  readonly ai: Pick<ProviderChain, "complete">;
  readonly logger: Logger;
}

export interface ModerationJobResult {
  readonly height: number;
  /** Posts and comments looked at. */
  readonly contents: number;
  readonly decisions: number;
  /** Decisions that proposed a label. */
  readonly labels: number;
  /** Decisions by the runtime's outcome (no-action, executed, queued, duplicate, ...). */
  readonly outcomes: Partial<Record<ActStatus, number>>;
  /** Contents not scanned: deleted, withheld or refused by the node. */
  readonly skipped: number;
  /** Malformed events left out. */
  readonly rejected: number;
}

const MODERATION_INTEREST = DEFAULT_INTERESTS.find((i) => i.queue === "moderation")!;
/** Contents read, scanned and classified at once (one QueryContent and one AI call each). */
const BATCH = 16;

type Read = { ok: true; view: ContentView } | { ok: false; reason: string };

async function readContent(chain: ChainQuery, id: string): Promise<Read> {
  try {
    const r = await chain.query(
      Q.Content,
      QueryContentRequest,
      { id: BigInt(id), labelPolicy: LabelPolicy.SHOW },
      QueryContentResponse,
    );
    return r.value.item ? { ok: true, view: r.value.item } : { ok: false, reason: "read: no content" };
  } catch (err) {
    // Refused (not found, bad id): decided as "nothing to do". Unreachable: the job is retried.
    if (err instanceof WorkersError && err.code === "BLOCK_UNAVAILABLE")
      return { ok: false, reason: "read: refused" };
    throw err;
  }
}

/** The decisions about one content id (reads, scans and classifies; no side effect). */
async function look(
  item: ContentToScan,
  height: number,
  chain: ChainQuery,
  ai: ModerationContext["ai"],
  log: Logger,
): Promise<{ decisions: AgentDecision[]; skipped: boolean }> {
  const subject = `content:${item.id}`;
  const read = await readContent(chain, item.id);
  const skip = (reason: string): { decisions: AgentDecision[]; skipped: boolean } => ({
    decisions: [
      { height, subject, inputsHash: hashInputs({ id: item.id, reason }), ai: null, reason, action: null },
    ],
    skipped: true,
  });
  if (!read.ok) return skip(read.reason);
  const v = read.view;
  if (v.content?.deleted) return skip("content deleted");
  if (v.expired || v.hidden) return skip("content withheld");
  const content: ContentText = { id: item.id, title: v.title, body: v.body, link: v.link };
  const text = textOf(content);
  const inputsHash = hashInputs({ ...content, editCount: v.content?.editCount ?? 0 });
  const scan = scanText(text);
  const input: { -readonly [K in keyof ContentDecisionInput]: ContentDecisionInput[K] } = {
    height,
    content,
    inputsHash,
    scan,
    ai: null,
  };
  try {
    const r = await ai.complete({
      system: MODERATION_SYSTEM_PROMPT,
      messages: [{ role: "user", content: text.slice(0, MAX_AI_CHARS) || "(empty)" }],
      maxTokens: AI_MAX_TOKENS,
      temperature: 0,
    });
    input.ai = {
      classification: parseClassification(r.text, r.decidedBy === "offline"),
      usage: {
        provider: r.decidedBy,
        model: r.model,
        inputTokens: r.inputTokens,
        outputTokens: r.outputTokens,
        costMicroUsd: r.costMicroUsd,
      },
    };
  } catch (err) {
    const code = (err as { code?: unknown })?.code;
    input.aiFailure = `ai: failed ${typeof code === "string" ? code.slice(0, 40) : "PROVIDER_FAILED"}`;
    log.warn(
      { subject, code: typeof code === "string" ? code : "PROVIDER_FAILED" },
      "moderation classifier failed",
    );
  }
  return { decisions: contentDecisions(input), skipped: false };
}

export async function processModerationJob(
  data: unknown,
  ctx: ModerationContext,
): Promise<ModerationJobResult> {
  let job = checkJob(data);
  const log = ctx.logger;
  const { chain, node } = clientsOf(ctx);
  if (job.truncated) {
    if (node) job = await wholeJob(job, node, MODERATION_INTEREST);
    else
      log.warn(
        { height: job.height, code: "JOB_TRUNCATED" },
        "moderation job truncated and no node to read the block",
      );
  }
  const plan = planModeration(job);
  if (plan.items.length > 0 && !chain) {
    throw new WorkersError("NODE_UNAVAILABLE", "the moderation agent has no node to read content from");
  }
  const outcomes: Partial<Record<ActStatus, number>> = {};
  let decisions = 0;
  let labels = 0;
  let skipped = 0;
  for (let i = 0; i < plan.items.length; i += BATCH) {
    const looked = await Promise.all(
      plan.items.slice(i, i + BATCH).map((item) => look(item, job.height, chain!, ctx.ai, log)),
    );
    // Decided in block order, one after the other: the audit log's order is the block's.
    for (const l of looked) {
      if (l.skipped) skipped += 1;
      for (const d of l.decisions) {
        const out = await ctx.runtime.decide(d);
        decisions += 1;
        if (d.action) labels += 1;
        outcomes[out.status] = (outcomes[out.status] ?? 0) + 1;
      }
    }
  }
  const result: ModerationJobResult = {
    height: job.height,
    contents: plan.items.length,
    decisions,
    labels,
    outcomes,
    skipped,
    rejected: plan.rejected,
  };
  log.debug(result, "moderation job decided");
  if (plan.rejected > 0) {
    log.warn(
      { height: job.height, rejected: plan.rejected, code: "BAD_EVENT" },
      "malformed moderation events skipped",
    );
  }
  return result;
}
