// Decoding a linear chain: Viterbi for the best valid tag sequence, and forward-backward over the
// same scores (as log-potentials, divided by a temperature) for a span's pseudo-probability.
import { TagSet, TokenSpan } from './tags';

/**
 * The highest-scoring tag sequence that the tag set allows. `emissions[i * T + t]` scores tag t at
 * token i; `transitions[a * T + b]` scores a→b. Disallowed transitions are never taken, whatever
 * the scores (NaN and ±Infinity included), so the result always decodes to well-formed spans.
 */
export function viterbi(emissions: Float64Array, n: number, transitions: Float64Array, tags: TagSet): Int32Array {
  const T = tags.size;
  const out = new Int32Array(n);
  if (n === 0) return out;
  let prev = new Float64Array(T);
  let cur = new Float64Array(T);
  const back = new Int32Array(n * T);
  for (let t = 0; t < T; t++) prev[t] = tags.allowedStart[t] ? clean(emissions[t] as number) : -Infinity;
  for (let i = 1; i < n; i++) {
    for (let t = 0; t < T; t++) {
      let best = -Infinity;
      let arg = -1;
      for (let s = 0; s < T; s++) {
        if (!tags.allowed[s * T + t] || prev[s] === -Infinity) continue;
        const v = (prev[s] as number) + clean(transitions[s * T + t] as number);
        if (arg < 0 || v > best) { best = v; arg = s; }
      }
      back[i * T + t] = arg;
      cur[t] = arg < 0 ? -Infinity : best + clean(emissions[i * T + t] as number);
    }
    const swap = prev; prev = cur; cur = swap;
  }
  let best = -Infinity;
  let arg = -1;
  for (let t = 0; t < T; t++) {
    if (!tags.allowedEnd[t] || prev[t] === -Infinity) continue;
    if (arg < 0 || (prev[t] as number) > best) { best = prev[t] as number; arg = t; }
  }
  // Every position can be O, so a path always exists; the guard keeps a NaN from breaking it.
  if (arg < 0) return out;
  for (let i = n - 1; i >= 0; i--) {
    out[i] = arg;
    arg = i > 0 ? (back[i * T + arg] as number) : arg;
    if (arg < 0) { out.fill(0); return out; }
  }
  return out;
}

/** Scores a decoder can use: finite, never NaN (a broken weight must not break validity). */
function clean(v: number): number {
  if (Number.isNaN(v)) return 0;
  if (v === Infinity) return 1e300;
  if (v === -Infinity) return -1e300;
  return v;
}

/**
 * Forward-backward tables of one sentence, for span probabilities. Scaled (each position's
 * forward vector sums to 1, its log kept apart) rather than in log space: no exp in the inner loop.
 */
export class Marginals {
  private readonly alpha: Float64Array;
  private readonly beta: Float64Array;
  /** exp(emission / temperature - rowMax), per position and tag. */
  private readonly psi: Float64Array;
  /** exp(transition / temperature), allowed transitions only. */
  private readonly phi: Float64Array;
  /** log of the scale of each position: alpha[i] was divided by exp(logScale[i]) … */
  private readonly logScale: Float64Array;
  private readonly rowMax: Float64Array;
  private readonly logZ: number;

  constructor(emissions: Float64Array, private readonly n: number, transitions: Float64Array, private readonly tags: TagSet, temperature: number) {
    const T = tags.size;
    const k = 1 / temperature;
    this.phi = new Float64Array(T * T);
    let tmax = -Infinity;
    for (let i = 0; i < T * T; i++) if (tags.allowed[i]) tmax = Math.max(tmax, k * clean(transitions[i] as number));
    // Transitions are shifted by their maximum too (added back in logZ and span scores alike).
    for (let i = 0; i < T * T; i++) this.phi[i] = tags.allowed[i] ? Math.exp(k * clean(transitions[i] as number) - tmax) : 0;
    this.psi = new Float64Array(n * T);
    this.rowMax = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      let m = -Infinity;
      for (let t = 0; t < T; t++) m = Math.max(m, k * clean(emissions[i * T + t] as number));
      this.rowMax[i] = m;
      for (let t = 0; t < T; t++) this.psi[i * T + t] = Math.exp(k * clean(emissions[i * T + t] as number) - m);
    }
    this.alpha = new Float64Array(n * T);
    this.beta = new Float64Array(n * T);
    this.logScale = new Float64Array(n);
    let logZ = 0;
    for (let i = 0; i < n; i++) {
      let sum = 0;
      for (let t = 0; t < T; t++) {
        let v = 0;
        if (i === 0) v = tags.allowedStart[t] ? 1 : 0;
        else for (let s = 0; s < T; s++) v += (this.alpha[(i - 1) * T + s] as number) * (this.phi[s * T + t] as number);
        v *= this.psi[i * T + t] as number;
        this.alpha[i * T + t] = v;
        sum += v;
      }
      if (!(sum > 0)) sum = 1e-300;
      for (let t = 0; t < T; t++) this.alpha[i * T + t] = (this.alpha[i * T + t] as number) / sum;
      this.logScale[i] = Math.log(sum);
      logZ += Math.log(sum);
    }
    // beta is scaled by the same factors, shifted by one position.
    for (let t = 0; t < T; t++) this.beta[(n - 1) * T + t] = tags.allowedEnd[t] ? 1 : 0;
    for (let i = n - 2; i >= 0; i--) {
      const scale = Math.exp(this.logScale[i + 1] as number);
      for (let s = 0; s < T; s++) {
        let v = 0;
        for (let t = 0; t < T; t++) v += (this.phi[s * T + t] as number) * (this.psi[(i + 1) * T + t] as number) * (this.beta[(i + 1) * T + t] as number);
        this.beta[i * T + s] = v / scale;
      }
    }
    let end = 0;
    for (let t = 0; t < T; t++) end += (this.alpha[(n - 1) * T + t] as number) * (tags.allowedEnd[t] ? 1 : 0);
    this.logZ = logZ + Math.log(end > 0 ? end : 1e-300);
  }

  /** The probability that exactly this span is an entity with its label (its tokens tagged B…L or U). */
  spanProbability(span: TokenSpan): number {
    const T = this.tags.size;
    const { start, end, label } = span;
    if (start < 0 || end > this.n || end <= start) return 0;
    // P(tags[start..end) = the span's) = alpha'[start](first) · Π phi·psi · beta'[end-1](last), with
    // alpha' and beta' the unscaled tables expressed through the scaled ones.
    const first = this.tags.tag(label, end - start === 1 ? 'U' : 'B');
    let logp = Math.log(this.alpha[start * T + first] as number);
    for (let i = 0; i <= start; i++) logp += this.logScale[i] as number;
    let prev = first;
    for (let i = start + 1; i < end; i++) {
      const t = this.tags.tag(label, i === end - 1 ? 'L' : 'I');
      logp += Math.log((this.phi[prev * T + t] as number) * (this.psi[i * T + t] as number));
      prev = t;
    }
    logp += Math.log(this.beta[(end - 1) * T + prev] as number);
    for (let i = end; i < this.n; i++) logp += this.logScale[i] as number;
    return clamp01(Math.exp(logp - this.logZ));
  }
}

function clamp01(p: number): number {
  return Number.isFinite(p) ? Math.min(1, Math.max(0, p)) : 0;
}
