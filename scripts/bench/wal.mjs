// Consensus WAL throughput (chain/consensus/wal.ts, built: run `npm run build` first): buffered appends
// of 200-byte payloads (peers' votes), synced appends one at a time and 32 at once (own messages;
// concurrent callers share an fsync), replay of one long height, and a scan that keeps nothing.
// Prints JSON.
import { mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { fileURLToPath } from "node:url";

const dist = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../dist");
const { ConsensusWal, WalRecordKind } = await import(path.join(dist, "chain/consensus/wal.js"));

const BUFFERED_RECORDS = 200_000;
const SYNCED_SECONDS = 2;
const CONCURRENT_SYNCS = 32;
const PAYLOAD = new Uint8Array(200).fill(7);

const dir = mkdtempSync(path.join(tmpdir(), "vivim-wal-bench-"));
try {
  const wal = new ConsensusWal(path.join(dir, "cs.wal"), { flushIntervalMs: 0, rotateAtBytes: 2 ** 40 });
  await wal.open();

  let t0 = performance.now();
  for (let i = 0; i < BUFFERED_RECORDS; i++) wal.append(WalRecordKind.Message, 1n, PAYLOAD);
  wal.flush();
  const bufferedSeconds = (performance.now() - t0) / 1000;
  await wal.flushAndSync();

  let synced = 0;
  t0 = performance.now();
  while (performance.now() - t0 < SYNCED_SECONDS * 1000) {
    await wal.appendSync(WalRecordKind.OwnMessage, 1n, PAYLOAD);
    synced++;
  }
  const syncedSeconds = (performance.now() - t0) / 1000;

  let grouped = 0;
  t0 = performance.now();
  while (performance.now() - t0 < SYNCED_SECONDS * 1000) {
    const batch = [];
    for (let i = 0; i < CONCURRENT_SYNCS; i++)
      batch.push(wal.appendSync(WalRecordKind.OwnMessage, 1n, PAYLOAD));
    await Promise.all(batch);
    grouped += CONCURRENT_SYNCS;
  }
  const groupedSeconds = (performance.now() - t0) / 1000;

  const logBytes = statSync(wal.headFile).size;
  t0 = performance.now();
  const replay = wal.readForHeight(1n);
  const replaySeconds = (performance.now() - t0) / 1000;
  t0 = performance.now();
  wal.readForHeight(2n);
  const scanSeconds = (performance.now() - t0) / 1000;
  await wal.close();

  console.info(
    JSON.stringify(
      {
        payloadBytes: PAYLOAD.length,
        bufferedAppendsPerSecond: Math.round(BUFFERED_RECORDS / bufferedSeconds),
        syncedAppendsPerSecond: Math.round(synced / syncedSeconds),
        [`syncedAppendsPerSecond${CONCURRENT_SYNCS}Concurrent`]: Math.round(grouped / groupedSeconds),
        replayedRecords: replay.records.length,
        replayMBPerSecond: Math.round(logBytes / 1e6 / replaySeconds),
        // The usual restart: read the whole log, keep only the few records of the current height.
        scanMBPerSecond: Math.round(logBytes / 1e6 / scanSeconds),
      },
      null,
      2,
    ),
  );
} finally {
  rmSync(dir, { recursive: true, force: true });
}
