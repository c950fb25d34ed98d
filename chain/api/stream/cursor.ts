/**
 * Stream cursors: `<height>.<index>`, the position of an event in commit order. Index 0 of a height
 * is its block event; the events of its txs follow in tx order, then its end-block events.
 */

export interface Cursor {
  readonly height: bigint;
  readonly index: number;
}

const CURSOR = /^([1-9]\d{0,18})\.(0|[1-9]\d{0,8})$/;

/** The cursor a text names, or undefined when it is not `<height>.<index>` (decimal, no sign). */
export function parseCursor(text: string): Cursor | undefined {
  const m = CURSOR.exec(text);
  if (!m) return undefined;
  const height = BigInt(m[1]!);
  if (height > 0x7fff_ffff_ffff_ffffn) return undefined;
  return { height, index: Number(m[2]!) };
}

export function formatCursor(c: Cursor): string {
  return `${c.height}.${c.index}`;
}

/** Negative when `a` comes before `b` in commit order, 0 when equal, positive after. */
export function compareCursors(a: Cursor, b: Cursor): number {
  if (a.height !== b.height) return a.height < b.height ? -1 : 1;
  return a.index - b.index;
}
