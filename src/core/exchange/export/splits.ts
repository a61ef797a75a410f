// Train/dev/test splits by document (`export --split train=0.8,dev=0.1,test=0.1 --seed N`).
//
// Assignment: document-level iterative stratification (after Sechidis, Tsoumakas & Vlahavas 2011,
// "On the stratification of multi-label data"), made greedy and deterministic:
//  - each split's size is fixed first: ratio × documents, rounded by largest remainder, at least
//    one document for every split with a ratio above 0 when there are enough documents;
//  - the label with the fewest unplaced documents is taken first (ties: label name); each of its
//    documents, in seeded order (FNV-1a of seed and name, so the order does not depend on how the
//    documents were listed), goes to a split with room left that does not have the label yet, else
//    to the one that wants the label most (ratio × the label's documents − those it has), then to
//    the one furthest below its share of documents, then the first in the spec;
//  - documents without any label fill the room left, in seeded order.
// So each split gets every label that has at least as many documents as there are splits, as far
// as the sizes allow. Documents already assigned (a splits file from an earlier export) keep their
// split and count towards sizes and labels; only the new ones are placed.
import { fnv1a } from '../../suggest/recommender/hash';

export interface SplitPart {
  name: string;
  ratio: number;
}

/** What the splits file holds: the spec and seed used, and every document's split. */
export interface SplitAssignment {
  seed: number;
  splits: SplitPart[];
  /** Document (its path relative to what was exported) → split name, sorted by document. */
  documents: Record<string, string>;
}

export class SplitSpecError extends Error {}

const SPLIT_NAME = /^[A-Za-z0-9_-]+$/;

/** `train=0.8,dev=0.1,test=0.1` (ratios or percentages summing to 1 or 100). */
export function parseSplitSpec(spec: string): SplitPart[] {
  const parts: SplitPart[] = [];
  for (const raw of spec.split(',')) {
    const item = raw.trim();
    const m = /^([^=]*)=(.*)$/.exec(item);
    if (!m) throw new SplitSpecError(`'${item}' is not NAME=RATIO (e.g. train=0.8,dev=0.1,test=0.1)`);
    const name = (m[1] as string).trim();
    const value = (m[2] as string).trim();
    if (!SPLIT_NAME.test(name)) throw new SplitSpecError(`split name '${name}' must be letters, digits, _ or - (it becomes part of a file name)`);
    if (parts.some((p) => p.name === name)) throw new SplitSpecError(`split '${name}' is given twice`);
    const ratio = value.endsWith('%') ? Number(value.slice(0, -1)) / 100 : Number(value);
    if (value === '' || !Number.isFinite(ratio) || ratio < 0) throw new SplitSpecError(`split '${name}': '${value}' is not a ratio (a number from 0 to 1, or a percentage)`);
    parts.push({ name, ratio });
  }
  const total = parts.reduce((s, p) => s + p.ratio, 0);
  const asPercent = parts.every((p) => !String(p.ratio).includes('.')) && Math.abs(total - 100) < 1e-6;
  if (asPercent) for (const p of parts) p.ratio /= 100;
  const sum = asPercent ? 1 : total;
  if (Math.abs(sum - 1) > 1e-6) throw new SplitSpecError(`the ratios sum to ${+total.toFixed(6)}, not 1 (e.g. train=0.8,dev=0.1,test=0.1)`);
  if (parts.length < 2) throw new SplitSpecError('give at least two splits (e.g. train=0.9,test=0.1)');
  return parts;
}

/** One document to place: its key (relative path) and the labels of its exported entities. */
export interface SplitDocument {
  name: string;
  labels: ReadonlySet<string>;
}

/**
 * Every document's split. `existing`: documents placed before (kept; any of them not in `docs`
 * stays in the result too, so a later export with it keeps its split). Throws SplitSpecError
 * when an existing document names a split the spec does not have.
 */
export function assignSplits(docs: readonly SplitDocument[], splits: readonly SplitPart[], seed: number, existing: Readonly<Record<string, string>> = {}): Record<string, string> {
  const index = new Map(splits.map((s, i) => [s.name, i]));
  const result = new Map<string, string>(Object.entries(existing));
  for (const [doc, split] of result) {
    if (!index.has(split)) throw new SplitSpecError(`document ${doc} is in split '${split}', which --split does not name (${splits.map((s) => s.name).join(', ')})`);
  }
  const k = splits.length;
  const count = new Array<number>(k).fill(0);
  const labelTotal = new Map<string, number>();
  const labelCount = new Map<string, number[]>();
  const countOf = (label: string) => {
    let c = labelCount.get(label);
    if (!c) labelCount.set(label, (c = new Array<number>(k).fill(0)));
    return c;
  };
  const unplaced: SplitDocument[] = [];
  const seen = new Set<string>();
  for (const d of docs) {
    if (seen.has(d.name)) continue;
    seen.add(d.name);
    for (const l of d.labels) labelTotal.set(l, (labelTotal.get(l) ?? 0) + 1);
    const placed = result.get(d.name);
    if (placed === undefined) {
      unplaced.push(d);
      continue;
    }
    const i = index.get(placed) as number;
    count[i]!++;
    for (const l of d.labels) countOf(l)[i]!++;
  }
  const size = splitSizes(seen.size, splits);
  const order = (d: SplitDocument) => fnv1a(`${seed}\u0000${d.name}`);
  unplaced.sort((a, b) => order(a) - order(b) || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));

  const place = (d: SplitDocument, label: string | undefined) => {
    const wanted = (i: number) => (label === undefined ? 0 : (splits[i] as SplitPart).ratio * (labelTotal.get(label) ?? 0) - countOf(label)[i]!);
    const lacks = (i: number) => label !== undefined && countOf(label)[i] === 0 && (splits[i] as SplitPart).ratio > 0;
    let candidates = splits.map((_, i) => i).filter((i) => count[i]! < size[i]!);
    // sizes are exact only for a fresh split; with documents kept from before, the one furthest below its ratio
    if (!candidates.length) candidates = splits.map((_, i) => i).filter((i) => (splits[i] as SplitPart).ratio > 0);
    let best = candidates[0] as number;
    for (const i of candidates.slice(1)) {
      const key = (j: number) => [lacks(j) ? 1 : 0, wanted(j), (splits[j] as SplitPart).ratio * seen.size - count[j]!];
      const a = key(i);
      const b = key(best);
      for (let n = 0; n < a.length; n++) {
        if (Math.abs(a[n]! - b[n]!) < 1e-9) continue;
        if (a[n]! > b[n]!) best = i;
        break;
      }
    }
    result.set(d.name, (splits[best] as SplitPart).name);
    count[best]!++;
    for (const l of d.labels) countOf(l)[best]!++;
  };

  const left = new Set(unplaced);
  for (;;) {
    // the label with the fewest unplaced documents
    const pending = new Map<string, number>();
    for (const d of left) for (const l of d.labels) pending.set(l, (pending.get(l) ?? 0) + 1);
    let label: string | undefined;
    for (const [l, n] of pending) {
      if (label === undefined || n < (pending.get(label) as number) || (n === pending.get(label) && l < label)) label = l;
    }
    if (label === undefined) break;
    for (const d of unplaced) {
      if (left.has(d) && d.labels.has(label)) {
        place(d, label);
        left.delete(d);
      }
    }
  }
  for (const d of unplaced) if (left.has(d)) place(d, undefined);
  return Object.fromEntries([...result].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/** Documents per split: ratio × n by largest remainder, every split with a ratio > 0 at least one when n allows. */
export function splitSizes(n: number, splits: readonly SplitPart[]): number[] {
  const exact = splits.map((s) => s.ratio * n);
  const size = exact.map(Math.floor);
  const byRemainder = splits.map((_, i) => i).sort((a, b) => exact[b]! - size[b]! - (exact[a]! - size[a]!) || a - b);
  for (let r = n - size.reduce((s, x) => s + x, 0), j = 0; r > 0; r--, j++) size[byRemainder[j % splits.length] as number]!++;
  // a split with a ratio above 0 but rounded to nothing takes one from the largest
  for (const [i, s] of splits.entries()) {
    if (s.ratio > 0 && size[i] === 0) {
      const largest = size.indexOf(Math.max(...size));
      if (size[largest]! > 1) {
        size[largest]!--;
        size[i] = 1;
      }
    }
  }
  return size;
}

/** The splits file: JSON, one document a line, sorted (diffs well in git). */
export function formatSplitAssignment(a: SplitAssignment): string {
  const docs = Object.entries(a.documents);
  const body = docs.map(([d, s]) => `    ${JSON.stringify(d)}: ${JSON.stringify(s)}`).join(',\n');
  return `{\n  "seed": ${a.seed},\n  "splits": {${a.splits.map((s) => ` ${JSON.stringify(s.name)}: ${s.ratio}`).join(',')} },\n  "documents": {${docs.length ? `\n${body}\n  ` : ''}}\n}\n`;
}

/** Reads a splits file; throws SplitSpecError naming what is wrong. */
export function parseSplitAssignment(json: string): SplitAssignment {
  let value: unknown;
  try {
    value = JSON.parse(json.replace(/^\uFEFF/, ''));
  } catch (e) {
    throw new SplitSpecError(`not valid JSON (${e instanceof Error ? e.message : String(e)})`);
  }
  const o = value as { seed?: unknown; splits?: unknown; documents?: unknown };
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new SplitSpecError('expected an object with "seed", "splits" and "documents"');
  if (typeof o.seed !== 'number' || !Number.isSafeInteger(o.seed)) throw new SplitSpecError('"seed" must be an integer');
  if (typeof o.splits !== 'object' || o.splits === null || Array.isArray(o.splits)) throw new SplitSpecError('"splits" must be an object of split name → ratio');
  const splits = parseSplitSpec(Object.entries(o.splits).map(([k, v]) => `${k}=${String(v)}`).join(','));
  if (typeof o.documents !== 'object' || o.documents === null || Array.isArray(o.documents)) throw new SplitSpecError('"documents" must be an object of document → split name');
  const documents: Record<string, string> = {};
  for (const [d, s] of Object.entries(o.documents)) {
    if (typeof s !== 'string' || !splits.some((p) => p.name === s)) throw new SplitSpecError(`document ${d}: split ${JSON.stringify(s)} is not one of "splits" (${splits.map((p) => p.name).join(', ')})`);
    documents[d] = s;
  }
  return { seed: o.seed, splits, documents };
}

/** The output of one split: `train.jsonl` → `train.dev.jsonl`, a brat folder → `folder/dev`. */
export function splitOutputPath(out: string, split: string, directory: boolean): string {
  if (directory) return `${out.replace(/[\\/]+$/, '')}/${split}`;
  const m = /^(.*?)(\.[^./\\]*)?$/.exec(out) as RegExpExecArray;
  return `${m[1] as string}.${split}${m[2] ?? ''}`;
}
