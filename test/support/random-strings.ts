/**
 * Reproducible random strings for codec property tests: printable ASCII, surrogate pairs and the
 * edge units of UTF-8 (lone surrogates included), from a seeded generator so that a failure names
 * a case that can be replayed.
 */

/** Deterministic pseudo-random numbers in [0, 1) (xorshift32). */
export function rng(seed: number): () => number {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) / 0x1_0000_0000;
  };
}

const UNITS = [0x41, 0x7f, 0xe9, 0x7ff, 0x800, 0x4e2d, 0xfffd, 0xffff, 0xd83d, 0xde00, 0xdbff, 0xdc00];

/** Up to `maxLength` UTF-16 units; about one string in five holds a lone surrogate. */
export function randomString(next: () => number, maxLength = 40): string {
  const length = Math.floor(next() * maxLength);
  const units: number[] = [];
  for (let i = 0; i < length; i++) {
    const pick = next();
    if (pick < 0.5) units.push(0x20 + Math.floor(next() * 95));
    else if (pick < 0.8)
      units.push(0xd83d, 0xde00 + Math.floor(next() * 64)); // a surrogate pair
    else units.push(UNITS[Math.floor(next() * UNITS.length)]!); // may leave a lone surrogate
  }
  return String.fromCharCode(...units);
}
