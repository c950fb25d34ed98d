/** The anchoring service's Prometheus metrics, registered on the node's registry (served at /metrics). */
import { Counter, Gauge, type Registry } from "prom-client";

export class AnchorMetrics {
  readonly anchors: Counter;
  readonly failures: Counter;
  readonly lastHeight: Gauge;
  readonly records: Counter;

  constructor(registry: Registry) {
    const registers = [registry];
    this.anchors = new Counter({
      name: "vivim_anchors_total",
      help: "Checkpoints of this chain included on the anchoring target",
      registers,
    });
    this.failures = new Counter({
      name: "vivim_anchor_failures_total",
      help: "Failed anchoring attempts (target down, refused, timed out), by code",
      labelNames: ["code"],
      registers,
    });
    this.lastHeight = new Gauge({
      name: "vivim_anchor_last_height",
      help: "Height of the latest checkpoint included on the anchoring target",
      registers,
    });
    this.records = new Counter({
      name: "vivim_anchor_records_total",
      help: "MsgRecordAnchor txs admitted to this node's mempool",
      registers,
    });
  }
}
