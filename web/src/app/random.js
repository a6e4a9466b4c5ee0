// mulberry32: a small deterministic generator of numbers in [0, 1). The landing page's sample, the
// differential tests' random records and the benchmarks' generated data all draw from it, so each
// reproduces from its seed.

/** A generator seeded with `seed` (any 32-bit integer). */
export function mulberry32(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
