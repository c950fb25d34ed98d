/**
 * The events of a committed block as CometBFT's event bus publishes them: NewBlock, NewBlockHeader,
 * NewBlockEvents and one Tx event per tx, each with its composite-key map (`tm.event`, `tx.hash`,
 * `message.sender`, ...) that subscription queries are matched against.
 *
 * NewBlock carries the whole block and every tx result; a subscriber that only needs to know a
 * block committed (a height, a header) should take NewBlockHeader, which costs the node and the
 * client a fraction of it.
 */
import type { AbciEvent } from "../../contracts/types.js";
import type { CommittedBlock } from "../consensus/engine.js";
import { toBase64, toHexUpper } from "../crypto/hash.js";
import { matchesValue, type QueryCondition } from "../query/tx-query.js";
import { blockIdJson, blockJson, eventJson, headerJson, type Json } from "./json.js";
import { txResultJson } from "./results-json.js";

export interface PublishedEvent {
  readonly events: Record<string, string[]>;
  /** Built on first use and kept: most events match no subscription and never need their JSON. */
  data(): Json;
}

function lazy(build: () => Json): () => Json {
  let value: Json | undefined;
  return () => {
    value ??= build();
    return value;
  };
}

function compositeMap(
  base: Record<string, string[]>,
  events: readonly AbciEvent[],
): Record<string, string[]> {
  const out: Record<string, string[]> = { ...base };
  for (const e of events) {
    for (const a of e.attributes) {
      const k = `${e.type}.${a.key}`;
      out[k] = [...(out[k] ?? []), a.value];
    }
  }
  return out;
}

/** Whether a subscription can match Tx events (no `tm.event` condition excluding them). */
export function wantsTxEvents(conditions: readonly QueryCondition[]): boolean {
  return !conditions.some((c) => c.key === "tm.event" && c.op === "=" && c.value?.text !== "Tx");
}

/**
 * A block's NewBlock, NewBlockHeader and NewBlockEvents events, and its Tx events when `withTxs`
 * (someone listens for them).
 */
export function eventsOfBlock(committed: CommittedBlock, withTxs: boolean): PublishedEvent[] {
  const { block, blockId, results, txHashes, endBlockEvents } = committed;
  const height = block.header.height.toString();
  const out: PublishedEvent[] = [
    {
      events: compositeMap({ "tm.event": ["NewBlock"], "block.height": [height] }, endBlockEvents),
      data: lazy(() => ({
        type: "tendermint/event/NewBlock",
        value: {
          block: blockJson(block),
          block_id: blockIdJson(blockId),
          result_finalize_block: {
            events: endBlockEvents.map(eventJson),
            tx_results: results.map(txResultJson),
            app_hash: toBase64(block.header.appHash),
          },
        },
      })),
    },
    {
      events: { "tm.event": ["NewBlockHeader"], "block.height": [height] },
      data: lazy(() => ({
        type: "tendermint/event/NewBlockHeader",
        value: { header: headerJson(block.header) },
      })),
    },
    {
      events: compositeMap({ "tm.event": ["NewBlockEvents"], "block.height": [height] }, endBlockEvents),
      data: lazy(() => ({
        type: "tendermint/event/NewBlockEvents",
        value: {
          height,
          events: endBlockEvents.map(eventJson),
          num_txs: String(block.txs.length),
        },
      })),
    },
  ];
  if (!withTxs) return out;
  results.forEach((result, index) => {
    const hash = toHexUpper(txHashes[index]!);
    out.push({
      events: compositeMap({ "tm.event": ["Tx"], "tx.hash": [hash], "tx.height": [height] }, result.events),
      data: lazy(() => ({
        type: "tendermint/event/Tx",
        value: { TxResult: { height, index, tx: toBase64(block.txs[index]!), result: txResultJson(result) } },
      })),
    });
  });
  return out;
}

export function eventMatches(
  conditions: readonly QueryCondition[],
  events: Record<string, string[]>,
): boolean {
  return conditions.every((c) => (events[c.key] ?? []).some((v) => matchesValue(c, v)));
}
