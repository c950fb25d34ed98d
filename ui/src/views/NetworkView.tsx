/**
 * Network: the chain as its node's RPC sees it — height, validators (moniker, power, status, last
 * signed block), a block-time chart of the last ~100 blocks (SVG), peers and the mempool. Live over
 * /v1/stream's blocks topic (new_block), with the RPC polled again every few seconds.
 */
import { useCallback, useEffect, useRef, useState } from "react";
import { EmptyState, ErrorState, messageOf, PostSkeleton } from "../components/common.js";
import { rpc } from "../gov/ops-api.js";
import { useSession } from "../lib/session.js";

interface Status {
  node_info: { moniker: string; network: string; version: string; id: string };
  sync_info: { latest_block_height: string; latest_block_time: string; catching_up: boolean };
  validator_info: { address: string; voting_power: string };
}
interface Validator {
  address: string;
  voting_power: string;
  proposer_priority?: string;
}
interface BlockMeta {
  header: { height: string; time: string; proposer_address?: string };
  num_txs?: string;
}
interface Net {
  n_peers: string;
  peers: Array<{ node_info: { id: string; moniker?: string }; remote_ip?: string }>;
}
interface Mempool {
  n_txs: string;
  total?: string;
  total_bytes?: string;
}
interface Signature {
  validator_address: string;
  block_id_flag: number | string;
}

interface Snapshot {
  status: Status;
  validators: Validator[];
  net: Net | null;
  mempool: Mempool | null;
  signatures: Signature[];
}

const BLOCKS = 100;

async function loadBlocks(base: string, top: number, signal: AbortSignal): Promise<BlockMeta[]> {
  const min = Math.max(1, top - BLOCKS + 1);
  const ranges: Array<[number, number]> = [];
  for (let hi = top; hi >= min; hi -= 20) ranges.push([Math.max(min, hi - 19), hi]);
  const parts = await Promise.all(
    ranges.map(([a, b]) =>
      rpc<{ block_metas: BlockMeta[] }>(
        base,
        "blockchain",
        { minHeight: String(a), maxHeight: String(b) },
        signal,
      )
        .then((r) => r.block_metas ?? [])
        .catch(() => [] as BlockMeta[]),
    ),
  );
  return parts.flat().sort((x, y) => Number(x.header.height) - Number(y.header.height));
}

export default function NetworkView() {
  const { config, stream } = useSession();
  const [snap, setSnap] = useState<Snapshot | null>(null);
  const [blocks, setBlocks] = useState<Array<{ height: number; time: number; txs: number }>>([]);
  const [error, setError] = useState("");
  const [nonce, setNonce] = useState(0);
  const reload = useCallback(() => setNonce((n) => n + 1), []);
  const firstLoad = useRef(true);

  useEffect(() => {
    void nonce;
    const ctrl = new AbortController();
    const s = ctrl.signal;
    (async () => {
      const status = await rpc<Status>(config.rpc, "status", {}, s);
      const height = Number(status.sync_info.latest_block_height);
      const [vals, net, mempool, block] = await Promise.all([
        rpc<{ validators: Validator[] }>(config.rpc, "validators", { per_page: "100" }, s),
        rpc<Net>(config.rpc, "net_info", {}, s).catch(() => null),
        rpc<Mempool>(config.rpc, "num_unconfirmed_txs", {}, s).catch(() => null),
        rpc<{ block: { last_commit?: { signatures?: Signature[] } } }>(config.rpc, "block", {}, s).catch(
          () => null,
        ),
      ]);
      const snapshot: Snapshot = {
        status,
        validators: vals.validators ?? [],
        net,
        mempool,
        signatures: block?.block?.last_commit?.signatures ?? [],
      };
      if (!s.aborted) setSnap(snapshot);
      if (firstLoad.current && height > 0) {
        firstLoad.current = false;
        const metas = await loadBlocks(config.rpc, height, s);
        if (!s.aborted)
          setBlocks(
            metas.map((m) => ({
              height: Number(m.header.height),
              time: Date.parse(m.header.time),
              txs: Number(m.num_txs ?? 0),
            })),
          );
      }
      setError("");
    })().catch((err) => {
      if (!s.aborted) setError(messageOf(err));
    });
    return () => ctrl.abort();
  }, [config.rpc, nonce]);

  // Live: each new block extends the chart; the rest is polled again every few seconds.
  useEffect(() => {
    if (!stream) return;
    return stream.subscribe({ kind: "blocks" }, (e) => {
      if (e.type !== "new_block") return;
      const height = Number(e.attributes.height ?? e.height);
      const time = Date.parse(e.attributes.time ?? "");
      const txs = Number(e.attributes.num_txs ?? 0);
      if (!Number.isFinite(height) || !Number.isFinite(time)) return;
      setBlocks((bs) =>
        bs.some((b) => b.height === height) ? bs : [...bs, { height, time, txs }].slice(-BLOCKS),
      );
      setSnap((s) =>
        s && Number(s.status.sync_info.latest_block_height) < height
          ? {
              ...s,
              status: {
                ...s.status,
                sync_info: {
                  ...s.status.sync_info,
                  latest_block_height: String(height),
                  latest_block_time: e.attributes.time ?? "",
                },
              },
            }
          : s,
      );
    });
  }, [stream]);

  useEffect(() => {
    const t = setInterval(reload, 3000);
    return () => clearInterval(t);
  }, [reload]);

  if (error && !snap)
    return (
      <section className="ops-page">
        <h1 className="ops-h1">Network</h1>
        <ErrorState message={error} onRetry={reload} />
      </section>
    );
  if (!snap)
    return (
      <section className="ops-page" aria-busy="true">
        <h1 className="ops-h1">Network</h1>
        <PostSkeleton rows={2} />
      </section>
    );

  const { status } = snap;
  const totalPower = snap.validators.reduce((a, v) => a + Number(v.voting_power), 0);
  const signed = new Set(
    snap.signatures
      .filter((x) => Number(x.block_id_flag) === 2 || x.block_id_flag === "BLOCK_ID_FLAG_COMMIT")
      .map((x) => x.validator_address),
  );
  const intervals = blocks
    .slice(1)
    .map((b, i) => ({ height: b.height, secs: (b.time - blocks[i]!.time) / 1000 }));
  const avg = intervals.length ? intervals.reduce((a, x) => a + x.secs, 0) / intervals.length : 0;
  const height = Number(status.sync_info.latest_block_height);

  return (
    <section className="ops-page" aria-labelledby="net-title" data-testid="network">
      <header className="ops-header">
        <h1 id="net-title">Network</h1>
        <p className="ops-sub">
          {status.node_info.network} · node {status.node_info.moniker}
          {status.sync_info.catching_up ? " · catching up" : ""}
        </p>
      </header>
      <div className="ops-stats">
        <div className="card ops-stat">
          <span className="ops-stat-label">Height</span>
          <span className="ops-stat-value" data-testid="height" aria-live="polite">
            {height.toLocaleString("en-US").replace(/,/g, " ")}
          </span>
        </div>
        <div className="card ops-stat">
          <span className="ops-stat-label">Block time</span>
          <span className="ops-stat-value">{avg ? `${avg.toFixed(2)} s` : "—"}</span>
        </div>
        <div className="card ops-stat">
          <span className="ops-stat-label">Peers</span>
          <span className="ops-stat-value" data-testid="peers">
            {snap.net ? snap.net.n_peers : "—"}
          </span>
        </div>
        <div className="card ops-stat">
          <span className="ops-stat-label">Mempool</span>
          <span className="ops-stat-value" data-testid="mempool">
            {snap.mempool ? `${snap.mempool.n_txs} tx` : "—"}
          </span>
        </div>
      </div>

      <section className="card" aria-labelledby="chart-title">
        <h2 id="chart-title">Block time, last {intervals.length} blocks</h2>
        {intervals.length < 2 ? (
          <p className="ops-muted">Collecting blocks…</p>
        ) : (
          <BlockChart intervals={intervals} avg={avg} />
        )}
      </section>

      <section className="card" aria-labelledby="vals-title">
        <h2 id="vals-title">Validators</h2>
        {snap.validators.length === 0 ? (
          <EmptyState title="No validators">The node reports no validator set.</EmptyState>
        ) : (
          <div className="ops-table-wrap">
            <table className="ops-table" data-testid="validators">
              <thead>
                <tr>
                  <th scope="col">Validator</th>
                  <th scope="col">Power</th>
                  <th scope="col">Status</th>
                  <th scope="col">Last signed</th>
                </tr>
              </thead>
              <tbody>
                {snap.validators.map((v) => {
                  const mine = v.address === status.validator_info.address;
                  const didSign = signed.has(v.address);
                  return (
                    <tr key={v.address}>
                      <td>
                        <span className="ops-strong">{mine ? status.node_info.moniker : "Validator"}</span>
                        <span className="mono ops-muted"> {v.address.slice(0, 12)}…</span>
                      </td>
                      <td>
                        {Number(v.voting_power).toLocaleString()}
                        {totalPower ? (
                          <span className="ops-muted">
                            {" "}
                            ({Math.round((100 * Number(v.voting_power)) / totalPower)}%)
                          </span>
                        ) : null}
                      </td>
                      <td>
                        <span
                          className={`ops-pill ${didSign || snap.signatures.length === 0 ? "ok" : "warn"}`}
                        >
                          {didSign || snap.signatures.length === 0 ? "Active" : "Missed last block"}
                        </span>
                      </td>
                      <td>{didSign ? `#${height - 1}` : "—"}</td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
        )}
      </section>

      <section className="card" aria-labelledby="peers-title">
        <h2 id="peers-title">Peers</h2>
        {!snap.net ? (
          <p className="ops-muted">This node does not share its peers.</p>
        ) : snap.net.peers.length === 0 ? (
          <p className="ops-muted">No peers: this node runs the network alone (a single-validator devnet).</p>
        ) : (
          <ul className="ops-list">
            {snap.net.peers.map((p) => (
              <li key={p.node_info.id} className="mono">
                {p.node_info.moniker ? `${p.node_info.moniker} · ` : ""}
                {p.node_info.id.slice(0, 16)}…{p.remote_ip ? ` · ${p.remote_ip}` : ""}
              </li>
            ))}
          </ul>
        )}
      </section>
    </section>
  );
}

function BlockChart({ intervals, avg }: { intervals: Array<{ height: number; secs: number }>; avg: number }) {
  const W = 600;
  const H = 140;
  const max = Math.max(avg * 2, ...intervals.map((x) => x.secs), 0.5);
  const step = W / Math.max(1, intervals.length - 1);
  const y = (s: number) => H - (Math.max(0, s) / max) * (H - 10);
  const points = intervals.map((x, i) => `${(i * step).toFixed(1)},${y(x.secs).toFixed(1)}`).join(" ");
  const last = intervals[intervals.length - 1];
  return (
    <svg
      className="net-chart"
      viewBox={`0 0 ${W} ${H}`}
      preserveAspectRatio="none"
      role="img"
      aria-label={`Block times from block ${intervals[0]?.height} to ${last?.height}: average ${avg.toFixed(2)} seconds, longest ${Math.max(...intervals.map((x) => x.secs)).toFixed(2)} seconds`}
    >
      <line x1="0" x2={W} y1={y(avg)} y2={y(avg)} className="net-chart-avg" />
      <polyline points={points} className="net-chart-line" fill="none" />
    </svg>
  );
}
