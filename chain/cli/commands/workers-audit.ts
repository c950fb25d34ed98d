/**
 * `vivim workers audit`: the AI workers' audit logs.
 *
 *   vivim workers audit verify --agent moderation --signer vivim1… [--home H | --file F] [--node rpc]
 *
 * Checks the log (`<home>/audit/<agent>.jsonl`) record by record — hash, link to the record before,
 * seq order — and against every anchor the chain holds for (signer, agent): Merkle root and head.
 * Exit code 0 when all holds, 1 when anything does not (each problem named with its seq and code).
 */
import path from "node:path";
import { Command, Option } from "commander";
import { auditFile } from "../../../workers/audit/log.js";
import { type AuditVerification, verifyAuditLog } from "../../../workers/audit/verify.js";
import { defaultHome } from "../../config/home.js";
import { decodeAddress } from "../../crypto/address.js";
import { CliError, fail, nodeOption, nodeUrl, type OutputFormat, outputOption } from "./output.js";

const AGENT = /^[a-z0-9-]{1,32}$/;

interface VerifyOpts {
  agent: string;
  signer: string;
  file?: string;
  home?: string;
  node: string;
  output: OutputFormat;
}

/** The report as printed with `--output text`. */
export function auditReportText(agent: string, file: string, v: AuditVerification): string {
  const out = [
    `audit log ${agent} (${file}): ${v.ok ? "OK" : `${v.problemCount} PROBLEM${v.problemCount === 1 ? "" : "S"}`}`,
    `records: ${v.records}${v.lastSeq > 0 ? ` (last seq ${v.lastSeq})` : ""}; anchored through seq ${v.anchoredThrough} in ${v.anchors.length} anchor${v.anchors.length === 1 ? "" : "s"}; ${Math.max(0, v.lastSeq - v.anchoredThrough)} not anchored yet`,
  ];
  for (const a of v.anchors) {
    out.push(
      `  anchor ${a.fromSeq}..${a.toSeq} at height ${a.height}: ${a.ok ? "ok" : "MISMATCH"}  root ${a.root.slice(0, 16)}…`,
    );
  }
  if (v.problems.length > 0) out.push("problems:");
  for (const p of v.problems) out.push(`  seq ${String(p.seq).padEnd(8)} ${p.code.padEnd(16)} ${p.message}`);
  if (v.problemCount > v.problems.length) out.push(`  … and ${v.problemCount - v.problems.length} more`);
  return `${out.join("\n")}\n`;
}

export function workersAuditCommand(): Command {
  const audit = new Command("audit").description(
    "The AI workers' hash-chained audit logs, anchored on chain",
  );

  const verify = new Command("verify")
    .description("Check an agent's audit log record by record and against its anchors on chain")
    .requiredOption("--agent <name>", "the agent (the log's name): moderation, feed, ...")
    .requiredOption("--signer <address>", "the agent's chain address (the account that anchors its log)")
    .option("--file <path>", "the log file (default: <home>/audit/<agent>.jsonl)")
    .addOption(new Option("--home <dir>", "the workers' home").env("VIVIM_HOME"))
    .addOption(nodeOption())
    .addOption(outputOption());
  verify.action(async () => {
    const o = verify.optsWithGlobals<VerifyOpts>();
    let v: AuditVerification;
    let file: string;
    try {
      if (!AGENT.test(o.agent)) throw new CliError("INVALID_AGENT", `--agent must match ${AGENT.source}`);
      try {
        decodeAddress(o.signer);
      } catch {
        throw new CliError("INVALID_ADDRESS", "--signer must be a vivim1… address");
      }
      file = path.resolve(o.file ?? auditFile(path.join(o.home ?? defaultHome(), "audit"), o.agent));
      v = await verifyAuditLog({ file, signer: o.signer, log: o.agent, node: nodeUrl(o.node) });
    } catch (err) {
      fail(verify, err, o.node);
    }
    if (o.output === "json") {
      process.stdout.write(`${JSON.stringify({ agent: o.agent, signer: o.signer, file, ...v }, null, 2)}\n`);
    } else {
      process.stdout.write(auditReportText(o.agent, file, v));
    }
    if (!v.ok) {
      verify.error(`Error [AUDIT_PROBLEMS]: ${v.problemCount} problem(s) in the audit log of ${o.agent}`, {
        exitCode: 1,
        code: "AUDIT_PROBLEMS",
      });
    }
  });

  return audit.addCommand(verify);
}
