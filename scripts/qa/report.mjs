// The QA report: qa-report.json (everything), qa-report.md (for a person), qa-txs.json (every tx
// hash seen committed) and qa-plot.svg (committed load txs per second and each validator's height
// over time, perturbations shaded), the SVG written by hand so the report needs no dependency.
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";

const W = 960;
const H = 420;
const PAD = { left: 60, right: 60, top: 30, bottom: 40 };
const COLORS = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728"];
const esc = (s) => String(s).replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

/** Committed load txs per `binS` seconds, from the commits' seen-at times, relative to `t0`. */
export function throughputSeries(committed, t0, binS = 5) {
  const bins = new Map();
  for (const c of committed.values()) {
    const b = Math.floor((c.seenAt - t0) / 1000 / binS);
    if (b >= 0) bins.set(b, (bins.get(b) ?? 0) + 1);
  }
  const last = Math.max(0, ...bins.keys());
  return Array.from({ length: last + 1 }, (_, b) => ({ t: b * binS, perSec: (bins.get(b) ?? 0) / binS }));
}

export function plotSvg({ throughput, samples: all, t0, perturbations }) {
  const samples = all.filter((s) => s.t >= t0);
  const tMax = Math.max(1, (samples.at(-1)?.t ?? t0) - t0) / 1000;
  const hMax = Math.max(1, ...samples.flatMap((s) => s.heights.filter((h) => h !== null)));
  const rMax = Math.max(1, ...throughput.map((p) => p.perSec));
  const x = (t) => PAD.left + (t / tMax) * (W - PAD.left - PAD.right);
  const yH = (h) => H - PAD.bottom - (h / hMax) * (H - PAD.top - PAD.bottom);
  const yR = (r) => H - PAD.bottom - (r / rMax) * (H - PAD.top - PAD.bottom);
  const parts = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" font-family="sans-serif" font-size="11">`,
    // Screen readers announce the plot by its title.
    "<title>QA run: committed txs per second and each validator's height over time, with the perturbations shaded</title>",
    `<rect width="${W}" height="${H}" fill="white"/>`,
  ];
  for (const p of perturbations) {
    if (!p.appliedAt) continue;
    const a = (p.appliedAt - t0) / 1000;
    const b = ((p.healedAt ?? p.appliedAt) + (p.chainRecoveryMs ?? 0) - t0) / 1000;
    parts.push(
      `<rect x="${x(a)}" y="${PAD.top}" width="${Math.max(2, x(b) - x(a))}" height="${H - PAD.top - PAD.bottom}" fill="#ddd" opacity="0.6"/>`,
    );
    parts.push(`<text x="${x(a) + 2}" y="${PAD.top + 10}" fill="#555">${esc(p.name)}</text>`);
  }
  // Axes: time (bottom), height (left), throughput (right).
  parts.push(
    `<line x1="${PAD.left}" y1="${H - PAD.bottom}" x2="${W - PAD.right}" y2="${H - PAD.bottom}" stroke="black"/>`,
  );
  parts.push(
    `<line x1="${PAD.left}" y1="${PAD.top}" x2="${PAD.left}" y2="${H - PAD.bottom}" stroke="black"/>`,
  );
  parts.push(
    `<line x1="${W - PAD.right}" y1="${PAD.top}" x2="${W - PAD.right}" y2="${H - PAD.bottom}" stroke="black"/>`,
  );
  for (let i = 0; i <= 5; i++) {
    const t = (tMax * i) / 5;
    parts.push(`<text x="${x(t)}" y="${H - PAD.bottom + 15}" text-anchor="middle">${Math.round(t)} s</text>`);
    parts.push(
      `<text x="${PAD.left - 5}" y="${yH((hMax * i) / 5) + 4}" text-anchor="end">${Math.round((hMax * i) / 5)}</text>`,
    );
    parts.push(
      `<text x="${W - PAD.right + 5}" y="${yR((rMax * i) / 5) + 4}">${((rMax * i) / 5).toFixed(1)}</text>`,
    );
  }
  parts.push(`<text x="${PAD.left}" y="${PAD.top - 10}">height (lines, one per validator)</text>`);
  parts.push(
    `<text x="${W - PAD.right}" y="${PAD.top - 10}" text-anchor="end">committed load tx/s (bars, 5 s bins)</text>`,
  );
  const binW = throughput.length > 1 ? x(throughput[1].t) - x(throughput[0].t) : 10;
  for (const p of throughput)
    parts.push(
      `<rect x="${x(p.t)}" y="${yR(p.perSec)}" width="${Math.max(1, binW - 1)}" height="${H - PAD.bottom - yR(p.perSec)}" fill="#9ecae1" opacity="0.7"/>`,
    );
  const nodes = samples[0]?.heights.length ?? 0;
  for (let i = 0; i < nodes; i++) {
    const pts = samples
      .filter((s) => s.heights[i] !== null)
      .map((s) => `${x((s.t - t0) / 1000).toFixed(1)},${yH(s.heights[i]).toFixed(1)}`);
    parts.push(
      `<polyline points="${pts.join(" ")}" fill="none" stroke="${COLORS[i % COLORS.length]}" stroke-width="1.5"/>`,
    );
    parts.push(
      `<text x="${PAD.left + 10 + i * 90}" y="${H - 8}" fill="${COLORS[i % COLORS.length]}">validator-${i}</text>`,
    );
  }
  parts.push("</svg>");
  return parts.join("\n");
}

const ms = (v) => (v === null || v === undefined ? "—" : `${(v / 1000).toFixed(1)} s`);

export function markdown(r) {
  const lines = [
    `# VIVIM QA run — ${r.pass ? "PASS" : "FAIL"}`,
    "",
    `${r.startedAt} · ${r.minutes} min of load · ${r.validators} validators · rate ${r.rate} tx/s · ${r.accounts} load accounts · heights 1..${r.chain.commonHeight}`,
    "",
    "## Load",
    "",
    "| | value |",
    "| --- | --- |",
    `| offered (scheduled) | ${r.load.scheduled} txs = ${r.load.offeredPerSec} tx/s |`,
    `| sent (an account was free) | ${r.load.sent} (skipped: ${r.load.skippedBusy}) |`,
    `| accepted by CheckTx | ${r.load.accepted} |`,
    `| committed (seen in a block) | ${r.load.committed} = ${r.load.achievedPerSec} tx/s |`,
    `| commit latency p50 / p99 / max | ${r.load.latency.p50} / ${r.load.latency.p99} / ${r.load.latency.max} ms |`,
    `| rejected at broadcast (code: count) | ${JSON.stringify(r.load.rejected)} ${r.load.rejectedExample ? `e.g. \`${esc(r.load.rejectedExample).slice(0, 120)}\`` : ""} |`,
    `| given up after 45 s uncommitted / still pending at the end | ${r.load.timedOut} / ${r.load.stillPending} |`,
    `| committed per kind | ${Object.entries(r.load.perKind)
      .map(([k, n]) => `${k} ${n}`)
      .join(", ")} |`,
    `| governance | proposal ${r.gov.proposalId ?? "—"}, ${r.gov.hashes.length} txs${r.gov.error ? `, error: ${esc(r.gov.error)}` : ""} |`,
    `| MCP (alice, SDK client) | ${r.mcp.ok}/${r.mcp.calls} calls ok, ${r.mcp.reconnects} sessions, ${r.mcp.posts} posts; p50 ms ${JSON.stringify(r.mcp.p50)} |`,
    `| DMs (alice ⇄ bob) | ${r.dm.sent} sent, ${r.dm.errors} errors |`,
    `| worker agent restarts by the supervisor (incl. the one killed on purpose) | ${Object.entries(
      r.workerRestarts,
    )
      .map(([a, n]) => `${a} ${n}`)
      .join(", ")} |`,
    "",
    "*Committed* counts every tx of the load seen in a block; it can exceed *accepted*, since a broadcast that timed out may still have reached a mempool.",
    "",
    "![throughput and height](qa-plot.svg)",
    "",
    "## Perturbations",
    "",
    "| perturbation | target | action | chain recovery | component recovery | recovery bound | others' blocks during fault | target's blocks during fault |",
    "| --- | --- | --- | --- | --- | --- | --- | --- |",
    ...r.perturbations.map(
      (p) =>
        `| ${p.name} | ${p.target ?? "—"} | ${esc(p.action ?? p.error ?? "")} | ${ms(p.chainRecoveryMs)} | ${ms(p.componentRecoveryMs)} | ${r.recoveryBoundMs / 1000} s, ${p.recovered ? "met" : "**missed**"} | ${p.othersAdvancedDuringFault ?? "—"} | ${p.targetAdvancedDuringFault ?? "—"} |`,
    ),
    "",
    `Recovery = from the heal until every validator is past the highest height any had at the heal (chain), and until the perturbed component works again (component); each must end within the bound, ${r.recoveryBoundMs / 1000} s, for every perturbation.`,
    "",
    "## Invariants",
    "",
    "| invariant | result |",
    "| --- | --- |",
    ...r.invariants.map((i) => `| ${esc(i.name)} | ${i.pass ? "pass" : "**FAIL**"} |`),
    "",
    ...r.invariants.flatMap((i) => [
      `### ${esc(i.name)}: ${i.pass ? "pass" : "FAIL"}`,
      "",
      "```json",
      JSON.stringify(i.evidence, null, 1).slice(0, 4000),
      "```",
      "",
    ]),
  ];
  return lines.join("\n");
}

/** `txs`: every tx hash the run saw committed, with its height and kind (qa-txs.json). */
export function writeReport(outDir, report, plot, txs) {
  mkdirSync(outDir, { recursive: true });
  writeFileSync(path.join(outDir, "qa-txs.json"), `${JSON.stringify(txs)}\n`);
  writeFileSync(path.join(outDir, "qa-report.json"), `${JSON.stringify(report, null, 2)}\n`);
  writeFileSync(path.join(outDir, "qa-report.md"), `${markdown(report)}\n`);
  writeFileSync(path.join(outDir, "qa-plot.svg"), `${plotSvg(plot)}\n`);
}
