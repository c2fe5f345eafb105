// A small seeded pseudo-random number generator, so that a test that gives
// the emulator a seed sees the same faults on every run.

/** Returns uniformly distributed numbers in [0, 1). */
export type RandomSource = () => number;

/**
 * Mixes a 32-bit value with the SplitMix32 finalizer. Nearby seeds, such as
 * 1 and 2, then start unrelated sequences.
 */
function mix32(value: number): number {
  let z = (value + 0x9e3779b9) | 0;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  return (z ^ (z >>> 16)) >>> 0;
}

/**
 * Creates a Mulberry32 generator for one named stream of `seed`. Each fault
 * draws from its own stream, so turning one fault on or off does not change
 * the decisions of the others.
 */
export function seededRandom(seed: number, stream: string): RandomSource {
  let state = mix32(seed >>> 0);
  for (let index = 0; index < stream.length; index++) {
    state = mix32(state ^ stream.charCodeAt(index));
  }
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
