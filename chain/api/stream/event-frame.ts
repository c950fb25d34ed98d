/**
 * An event's delivered frame for many subscriptions (pure). A block's event often goes to
 * thousands of subscriptions, and building and framing it for each one was most of the fan-out's
 * JavaScript time. So the event is serialized once, each subscription's `sub` id spliced in, and
 * the complete WebSocket frame for each distinct `sub` id built once and shared by every session
 * whose subscription uses that id (apps tend to name the same topic the same way). The payload is
 * exactly `eventFrame(sub, e)` (block-events.ts) in UTF-8.
 */
import { eventFrame, type StreamEvent } from "./block-events.js";

const HEAD = '{"type":"event","sub":';

/**
 * A complete WebSocket text frame (RFC 6455 §5.2: FIN, opcode 1, unmasked as a server sends it,
 * no extension bits) carrying `text`.
 */
export function wsTextFrame(text: string): Buffer {
  const n = Buffer.byteLength(text, "utf8");
  const head = n < 126 ? 2 : n < 65_536 ? 4 : 10;
  const frame = Buffer.allocUnsafe(head + n);
  frame[0] = 0x81;
  if (n < 126) frame[1] = n;
  else if (n < 65_536) {
    frame[1] = 126;
    frame.writeUInt16BE(n, 2);
  } else {
    frame[1] = 127;
    frame.writeBigUInt64BE(BigInt(n), 2);
  }
  frame.write(text, head, "utf8");
  return frame;
}

/**
 * `sub => wsTextFrame(eventFrame(sub, e))`, serializing `e` once and framing once per `sub` id
 * (the same Buffer for the same id: it is shared, never to be modified).
 */
export function eventFramer(e: StreamEvent): (sub: string) => Buffer {
  const empty = eventFrame("", e);
  // `eventFrame` puts `sub` right after the type; should that ever change, build each frame whole.
  const tail = empty.startsWith(`${HEAD}""`) ? empty.slice(HEAD.length + 2) : undefined;
  const bySub = new Map<string, Buffer>();
  return (sub) => {
    let frame = bySub.get(sub);
    if (!frame) {
      frame = wsTextFrame(tail === undefined ? eventFrame(sub, e) : HEAD + JSON.stringify(sub) + tail);
      bySub.set(sub, frame);
    }
    return frame;
  };
}
