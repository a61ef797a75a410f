// Binary search over ascending arrays of numbers.

/** How many of the ascending `xs` are < v (the index of the first one >= v). */
export function countBelow(xs: readonly number[], v: number): number {
  let lo = 0;
  let hi = xs.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((xs[mid] as number) < v) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** How many of the ascending `xs` are <= v (the index of the first one > v). */
export function countAtOrBelow(xs: readonly number[], v: number): number {
  let lo = 0;
  let hi = xs.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((xs[mid] as number) <= v) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
