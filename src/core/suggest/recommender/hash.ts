// Feature hashing and the seeded random numbers of training: both must give the same result on
// every host (Node, browser worker), so no Math.random and no platform hashing.

export const FNV_OFFSET = 0x811c9dc5;

/** 32-bit FNV-1a over the UTF-16 units of a string. */
export function fnv1a(s: string): number {
  return fnvMore(FNV_OFFSET, s);
}

/** FNV-1a continued over more text: fnvMore(fnv1a(a), b) === fnv1a(a + b), without building a + b. */
export function fnvMore(h: number, s: string): number {
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** mulberry32: a small, fast, seedable generator of floats in [0, 1). */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Fisher–Yates shuffle in place with the given generator. */
export function shuffle<T>(items: T[], random: () => number): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    const t = items[i] as T;
    items[i] = items[j] as T;
    items[j] = t;
  }
  return items;
}
