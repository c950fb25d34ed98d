/**
 * One request, one response over a libp2p stream: the requester writes its request and closes its
 * write side; the responder reads to that end, answers and closes. Both sides cap what they read
 * and give up after a deadline, so a slow or hostile peer can hold neither memory nor a handler.
 */
import type { Stream } from "@libp2p/interface";

export type StreamErrorCode = "P2P_MESSAGE_TOO_LARGE" | "P2P_TIMEOUT";

export class StreamError extends Error {
  constructor(
    readonly code: StreamErrorCode,
    message: string,
  ) {
    super(message);
    this.name = "StreamError";
  }
}

const WRITE_CHUNK_BYTES = 64 * 1024;

/** Reads until the remote closes its write side; aborts the stream past `maxBytes` or `deadlineMs`. */
export async function readToEnd(stream: Stream, maxBytes: number, deadlineMs: number): Promise<Uint8Array> {
  const timer = setTimeout(
    () => stream.abort(new StreamError("P2P_TIMEOUT", `no complete message within ${deadlineMs} ms`)),
    deadlineMs,
  );
  try {
    const chunks: Uint8Array[] = [];
    let total = 0;
    for await (const chunk of stream) {
      const bytes = chunk instanceof Uint8Array ? chunk : chunk.subarray();
      total += bytes.length;
      if (total > maxBytes) {
        const err = new StreamError("P2P_MESSAGE_TOO_LARGE", `message exceeds ${maxBytes} bytes`);
        stream.abort(err);
        throw err;
      }
      chunks.push(bytes);
    }
    return chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks);
  } finally {
    clearTimeout(timer);
  }
}

/** Writes `bytes` with backpressure, then closes the write side. */
export async function writeAndClose(stream: Stream, bytes: Uint8Array): Promise<void> {
  for (let offset = 0; offset < bytes.length; offset += WRITE_CHUNK_BYTES) {
    if (!stream.send(bytes.subarray(offset, offset + WRITE_CHUNK_BYTES))) await stream.onDrain();
  }
  await stream.close();
}
