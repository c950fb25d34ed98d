/**
 * Virtual time: a priority queue of callbacks ordered by (time, insertion order). Nothing in a
 * simulation waits on a real clock; equal times run in the order they were scheduled, so a run is
 * reproducible to the event.
 */
interface Entry {
  readonly at: number;
  readonly seq: number;
  readonly run: () => void;
}

export class EventQueue {
  private readonly heap: Entry[] = [];
  private seq = 0;
  /** Virtual milliseconds since the start of the run. */
  now = 0;

  get size(): number {
    return this.heap.length;
  }

  /** Runs `run` `delayMs` from now (never in the past). */
  after(delayMs: number, run: () => void): void {
    this.push({ at: this.now + Math.max(0, delayMs), seq: this.seq++, run });
  }

  at(timeMs: number, run: () => void): void {
    this.push({ at: Math.max(this.now, timeMs), seq: this.seq++, run });
  }

  /** Advances the clock to the next event and runs it; false when nothing is left. */
  step(): boolean {
    const entry = this.pop();
    if (!entry) return false;
    this.now = entry.at;
    entry.run();
    return true;
  }

  private before(a: Entry, b: Entry): boolean {
    return a.at < b.at || (a.at === b.at && a.seq < b.seq);
  }

  private push(entry: Entry): void {
    const heap = this.heap;
    heap.push(entry);
    let i = heap.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.before(heap[i]!, heap[parent]!)) break;
      [heap[i], heap[parent]] = [heap[parent]!, heap[i]!];
      i = parent;
    }
  }

  private pop(): Entry | undefined {
    const heap = this.heap;
    const top = heap[0];
    const last = heap.pop();
    if (heap.length > 0 && last) {
      heap[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let smallest = i;
        if (l < heap.length && this.before(heap[l]!, heap[smallest]!)) smallest = l;
        if (r < heap.length && this.before(heap[r]!, heap[smallest]!)) smallest = r;
        if (smallest === i) break;
        [heap[i], heap[smallest]] = [heap[smallest]!, heap[i]!];
        i = smallest;
      }
    }
    return top;
  }
}
