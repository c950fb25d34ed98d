/**
 * Anchors an agent's audit log on chain as it grows: every `everyRecords` new records (100), or
 * `everyMs` (60 s) after the last anchor when fewer are waiting, the records not yet anchored are
 * read back from the file, checked (shape, hash, link to the last anchored head) and their Merkle
 * root sent through the agent's own MCP identity (`anchor_audit`). Where the chain's anchors end is
 * asked of the chain (LatestAuditAnchor) at start and after any failure. A failure is logged with
 * its code and retried next round; nothing here ever waits in the path of a decision.
 */
import type { Logger } from "pino";
import {
  QueryLatestAuditAnchorRequest,
  QueryLatestAuditAnchorResponse,
} from "../../contracts/workers/query.js";
import { MAX_ANCHOR_RECORDS } from "../../contracts/workers/validate.js";
import type { ChainQuery } from "../agents/feed/chain.js";
import type { ToolCaller } from "../agents/runtime/mcp-actor.js";
import { WorkersError } from "../errors.js";
import { auditMerkleRoot } from "./merkle.js";
import { readAuditLog } from "./reader.js";
import { type AuditRecord, GENESIS_PREV, recordHash } from "./record.js";

/** What the anchorer needs of an `AuditLog`. */
export interface AnchorableLog {
  readonly file: string;
  readonly head: Readonly<{ seq: number; hash: string }>;
  flush(): Promise<void>;
}

export interface AuditAnchorerDeps {
  readonly log: AnchorableLog;
  /** The log's name on chain: the agent's name, ^[a-z0-9-]{1,32}$. */
  readonly name: string;
  /** The agent's chain address (the tools act as it); asked of `whoami` when not given. */
  readonly signer?: string;
  readonly tools: ToolCaller;
  readonly chain: ChainQuery;
  readonly logger: Logger;
  /** While true (the agent is paused by its operator or governance), no anchor is sent. */
  readonly paused?: () => boolean;
}

export interface AuditAnchorerOptions {
  /** Anchor once this many records wait (default 100). */
  readonly everyRecords?: number;
  /** ...or once this long has passed since the last anchor with any record waiting (default 60 s). */
  readonly everyMs?: number;
  /** How often the thresholds are checked (default 1 s). */
  readonly checkMs?: number;
  /** After a failed round, how long the next waits (default 10 s; `anchorNow` does not wait). */
  readonly retryMs?: number;
  /**
   * The most records one anchor covers (default 10 000, at most the chain's 100 000): the root is
   * computed in this process (~25 ms per 1 000 records), so a long backlog goes in several rounds.
   */
  readonly maxRecords?: number;
  readonly now?: () => number;
}

export interface AnchorRoundResult {
  /** The range anchored this round, if any. */
  readonly anchored?: { readonly fromSeq: number; readonly toSeq: number; readonly txHash?: string };
  /** Why this round failed (logged too). */
  readonly error?: { readonly code: string; readonly message: string };
}

export interface AnchorerStatus {
  /** The last seq known anchored on chain (undefined until learned). */
  readonly anchoredThrough: number | undefined;
  readonly lastAnchorAt: number;
  readonly lastError: { readonly code: string; readonly at: number } | undefined;
}

const LOG_NAME = /^[a-z0-9-]{1,32}$/;
const MAX_MESSAGE = 300;

/** Where the file stands after the last anchored record, so a round reads only what is new. */
interface Resume {
  readonly seq: number;
  readonly hash: string;
  readonly offset: number;
  readonly line: number;
}

export class AuditAnchorer {
  private readonly everyRecords: number;
  private readonly everyMs: number;
  private readonly checkMs: number;
  private readonly retryMs: number;
  private retryAt = 0;
  private readonly maxRecords: number;
  private readonly now: () => number;
  private readonly logger: Logger;
  private signer: string | undefined;
  private anchoredThrough: number | undefined;
  /** The hash of record `anchoredThrough` as the chain holds it (GENESIS_PREV for none). */
  private anchoredHead = GENESIS_PREV;
  private resume: Resume | undefined;
  private lastAnchorAt = 0;
  private lastError: AnchorerStatus["lastError"];
  private timer: NodeJS.Timeout | undefined;
  private inFlight: Promise<AnchorRoundResult> | undefined;
  private stopped = true;

  constructor(
    private readonly deps: AuditAnchorerDeps,
    o: AuditAnchorerOptions = {},
  ) {
    if (!LOG_NAME.test(deps.name))
      throw new WorkersError("UNKNOWN_AGENT", `an audit log name must match ${LOG_NAME.source}`);
    this.everyRecords = Math.max(1, o.everyRecords ?? 100);
    this.everyMs = Math.max(0, o.everyMs ?? 60_000);
    this.checkMs = Math.max(10, o.checkMs ?? 1_000);
    this.retryMs = Math.max(0, o.retryMs ?? 10_000);
    this.maxRecords = Math.min(Math.max(1, o.maxRecords ?? 10_000), Number(MAX_ANCHOR_RECORDS));
    this.now = o.now ?? Date.now;
    this.signer = deps.signer;
    this.logger = deps.logger.child({ component: "audit-anchorer", log: deps.name });
  }

  /** Starts the rounds; the first (learning where the chain's anchors end) runs at once, in the background. */
  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.lastAnchorAt = this.now();
    void this.runRound(false);
    this.timer = setInterval(() => {
      if (this.deps.paused?.()) return;
      if (!this.inFlight && this.now() >= this.retryAt) void this.runRound(false);
    }, this.checkMs);
    this.timer.unref();
  }

  /** Stops the rounds; resolves once the one in flight (if any) is over. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    await this.inFlight;
  }

  /** Anchors whatever is waiting now, whatever the thresholds (after the round in flight). */
  async anchorNow(): Promise<AnchorRoundResult> {
    while (this.inFlight) await this.inFlight;
    return this.runRound(true);
  }

  status(): AnchorerStatus {
    return {
      anchoredThrough: this.anchoredThrough,
      lastAnchorAt: this.lastAnchorAt,
      lastError: this.lastError,
    };
  }

  private runRound(force: boolean): Promise<AnchorRoundResult> {
    const round = this.round(force)
      .catch((err: unknown): AnchorRoundResult => {
        const code = err instanceof WorkersError ? err.code : "AUDIT_ANCHOR_FAILED";
        const message = (err instanceof Error ? err.message : String(err)).slice(0, MAX_MESSAGE);
        this.lastError = { code, at: this.now() };
        this.retryAt = this.now() + this.retryMs;
        // Learn where the chain stands again before the next try (the tx may have committed anyway).
        this.anchoredThrough = undefined;
        this.resume = undefined;
        this.logger.warn({ code, err: message }, "audit anchor round failed; retrying next round");
        return { error: { code, message } };
      })
      .finally(() => {
        this.inFlight = undefined;
      });
    this.inFlight = round;
    return round;
  }

  private async round(force: boolean): Promise<AnchorRoundResult> {
    const signer = await this.learnSigner();
    if (this.anchoredThrough === undefined) await this.learnAnchored(signer);
    const through = this.anchoredThrough ?? 0;
    const head = this.deps.log.head.seq;
    if (head < through) {
      throw new WorkersError(
        "AUDIT_CORRUPT",
        `the chain anchors ${this.deps.name} through seq ${through} but the log ends at ${head}`,
      );
    }
    const waiting = head - through;
    const now = this.now();
    if (waiting === 0) {
      this.lastAnchorAt = now;
      return {};
    }
    if (!force && waiting < this.everyRecords && now - this.lastAnchorAt < this.everyMs) return {};

    const fromSeq = through + 1;
    const toSeq = Math.min(head, through + this.maxRecords);
    await this.deps.log.flush();
    const range = await this.readRange(fromSeq, toSeq);
    const root = auditMerkleRoot(range.hashes);
    const headHash = range.hashes[range.hashes.length - 1]!;
    const out = await this.deps.tools.call("anchor_audit", {
      log: this.deps.name,
      fromSeq,
      toSeq,
      root,
      headHash,
      wait: true,
    });
    if (!out.ok) {
      throw new WorkersError(
        "TOOL_FAILED",
        `anchor_audit refused (${out.code ?? "?"}): ${out.message ?? ""}`,
      );
    }
    const txHash = typeof out.result?.txHash === "string" ? out.result.txHash : undefined;
    if (out.result?.status !== "committed") {
      throw new WorkersError(
        "TOOL_FAILED",
        `anchor_audit did not commit (status ${String(out.result?.status)})`,
      );
    }
    this.anchoredThrough = toSeq;
    this.anchoredHead = headHash;
    this.resume = { seq: toSeq, hash: headHash, offset: range.end, line: range.nextLine };
    this.lastAnchorAt = this.now();
    this.lastError = undefined;
    this.logger.info({ fromSeq, toSeq, txHash }, "audit log anchored");
    return { anchored: { fromSeq, toSeq, ...(txHash ? { txHash } : {}) } };
  }

  private async learnSigner(): Promise<string> {
    if (this.signer) return this.signer;
    const who = await this.deps.tools.call("whoami", {});
    const address = who.ok ? who.result?.address : undefined;
    if (typeof address !== "string" || !/^[a-z0-9]{1,100}$/.test(address))
      throw new WorkersError("NO_IDENTITY", `whoami named no address (${who.code ?? "no code"})`);
    this.signer = address;
    return address;
  }

  private async learnAnchored(signer: string): Promise<void> {
    const { value } = await this.deps.chain.query(
      "/vivim.workers.v1.Query/LatestAuditAnchor",
      QueryLatestAuditAnchorRequest,
      { signer, log: this.deps.name },
      QueryLatestAuditAnchorResponse,
    );
    const through = Number(value.anchor?.toSeq ?? 0n);
    this.anchoredThrough = through;
    this.anchoredHead = value.anchor ? Buffer.from(value.anchor.headHash).toString("hex") : GENESIS_PREV;
    if (this.resume?.seq !== through) this.resume = undefined;
    this.logger.debug({ anchoredThrough: through }, "learned the chain's audit anchors");
  }

  /** The hashes of records from..to, read from the file and checked to continue the anchored head. */
  private async readRange(
    fromSeq: number,
    toSeq: number,
  ): Promise<{ hashes: string[]; end: number; nextLine: number }> {
    const resume = this.resume?.seq === fromSeq - 1 ? this.resume : undefined;
    const hashes: string[] = [];
    let prev = this.anchoredHead;
    let nextSeq = resume ? resume.seq + 1 : 1;
    const lines = readAuditLog(
      this.deps.log.file,
      resume ? { start: resume.offset, firstLine: resume.line } : {},
    );
    for await (const l of lines) {
      if (!("record" in l))
        throw new WorkersError(
          "AUDIT_CORRUPT",
          `${this.deps.name} line ${l.line}: ${l.problem} (${l.message})`,
        );
      const r: AuditRecord = l.record;
      if (r.seq !== nextSeq)
        throw new WorkersError(
          "AUDIT_CORRUPT",
          `${this.deps.name} line ${l.line}: seq ${r.seq} where ${nextSeq} belongs`,
        );
      nextSeq += 1;
      if (r.seq < fromSeq) continue;
      const { hash, ...body } = r;
      if (recordHash(body) !== hash)
        throw new WorkersError(
          "AUDIT_CORRUPT",
          `${this.deps.name} record ${r.seq}: content does not match its hash`,
        );
      if (r.prev !== prev)
        throw new WorkersError(
          "AUDIT_CORRUPT",
          `${this.deps.name} record ${r.seq}: prev does not match the record before it`,
        );
      prev = hash;
      hashes.push(hash);
      if (r.seq === toSeq) return { hashes, end: l.end, nextLine: l.line + 1 };
    }
    throw new WorkersError("AUDIT_CORRUPT", `${this.deps.name} ends before seq ${toSeq}`);
  }
}
