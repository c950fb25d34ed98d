/**
 * A compact trace of a run: the last `capacity` lines (printed only when a run fails) and a running
 * digest of every line (two runs of one seed must produce the same digest).
 */
import { fnv1a } from "./prng.js";

export class Trace {
  private readonly lines: string[] = [];
  private next = 0;
  digest = 0x811c9dc5;
  count = 0;

  constructor(
    private readonly clock: () => number,
    private readonly capacity = 200,
  ) {}

  add(text: string): void {
    const line = `${String(this.clock()).padStart(6)} ${text}`;
    this.digest = fnv1a(line, this.digest);
    this.count++;
    if (this.lines.length < this.capacity) this.lines.push(line);
    else this.lines[this.next] = line;
    this.next = (this.next + 1) % this.capacity;
  }

  /** Oldest first. */
  tail(): string[] {
    return this.lines.length < this.capacity
      ? [...this.lines]
      : [...this.lines.slice(this.next), ...this.lines.slice(0, this.next)];
  }
}
