// Document summaries sent from the thread that read and summarised the sidecars (a worker of the
// first pass over a large corpus) to the thread that shows them, compactly: a million mentions as
// structured-clone objects would be three million strings to copy and intern again on the UI
// thread, the very work the worker was for. Here each distinct string (label, surface form, kb id,
// annotator, source) crosses once per run, as an index into a table both sides grow in the same
// order; the mentions' columns cross as typed arrays (transferable), their ids as one string per document.
// Pure: no thread or file API.
import { Status } from '../model/model';
import { Problem } from '../model/problems';
import { DocumentState, DocumentSummary, MentionLink, Mentions, StringPool } from './corpus-index';

/** One document's summary, its strings as table indexes; its mentions are the batch columns' next `mentions` rows. */
export interface EncodedSummary {
  readonly state: DocumentState;
  readonly status?: Status;
  readonly entities: number;
  readonly suggestions: number;
  readonly errors: number;
  /** [label, count, label, count…]: labels as table indexes, in the summary's order. */
  readonly labels: number[];
  readonly annotators?: number[];
  readonly sources?: number[];
  readonly problems?: readonly Problem[];
  /** How many mentions (-1: the summary has none, as counts-only summaries). */
  readonly mentions: number;
  /** [mention, kb, canonical…] per linked mention; -1 for an attribute it lacks. */
  readonly links?: number[];
}

/** Summaries encoded together (a worker's message). */
export interface SummaryBatch {
  /** The strings the table gained with this batch, in order. */
  readonly strings: string[];
  readonly summaries: EncodedSummary[];
  /** Each document's (with mentions) Mentions.idText, in order. */
  readonly idTexts: string[];
  /** Mentions.idEnds of each, one after the other. */
  readonly idEnds: Int32Array;
  readonly labels: Int32Array;
  readonly texts: Int32Array;
  readonly starts: Int32Array;
  readonly ends: Int32Array;
  readonly suggested: Uint8Array;
}

/** The buffers of a batch, to transfer rather than copy. */
export function batchBuffers(b: SummaryBatch): ArrayBuffer[] {
  return [b.idEnds.buffer, b.labels.buffer, b.texts.buffer, b.starts.buffer, b.ends.buffer, b.suggested.buffer] as ArrayBuffer[];
}

/** The sending side: one per receiver, for the whole run (the table carries over from batch to batch). */
export class SummaryEncoder {
  private readonly table = new Map<string, number>();
  private strings: string[] = [];
  private summaries: EncodedSummary[] = [];
  private idTexts: string[] = [];
  private idEnds = new Columns(Int32Array);
  private labels = new Columns(Int32Array);
  private texts = new Columns(Int32Array);
  private starts = new Columns(Int32Array);
  private ends = new Columns(Int32Array);
  private suggested = new Columns(Uint8Array);

  /** Mentions added since the last batch. */
  get pending(): number {
    return this.starts.length;
  }

  add(s: DocumentSummary): void {
    const m = s.mentions;
    let links: number[] | undefined;
    if (m) {
      this.idTexts.push(m.idText);
      for (let k = 0; k < m.length; k++) {
        this.idEnds.push(m.idEnds[k] as number);
        this.labels.push(this.index(m.labels[k] as string));
        this.texts.push(this.index(m.texts[k] as string));
        this.starts.push(m.starts[k] as number);
        this.ends.push(m.ends[k] as number);
        this.suggested.push(m.suggested[k] as number);
      }
      if (m.links) {
        links = [];
        for (const [k, l] of m.links) links.push(k, l.kb === undefined ? -1 : this.index(l.kb), l.canonical === undefined ? -1 : this.index(l.canonical));
      }
    }
    this.summaries.push({
      state: s.state,
      ...(s.status !== undefined ? { status: s.status } : {}),
      entities: s.entities,
      suggestions: s.suggestions,
      errors: s.errors,
      labels: this.pairs(s.labels),
      ...(s.annotators ? { annotators: this.pairs(s.annotators) } : {}),
      ...(s.suggestionSources ? { sources: this.pairs(s.suggestionSources) } : {}),
      ...(s.problems ? { problems: s.problems } : {}),
      mentions: m ? m.length : -1,
      ...(links ? { links } : {}),
    });
  }

  /** What was added since the last batch, and a fresh start for the next (the table stays). */
  take(): SummaryBatch {
    const batch: SummaryBatch = {
      strings: this.strings,
      summaries: this.summaries,
      idTexts: this.idTexts,
      idEnds: this.idEnds.take(),
      labels: this.labels.take(),
      texts: this.texts.take(),
      starts: this.starts.take(),
      ends: this.ends.take(),
      suggested: this.suggested.take(),
    };
    this.strings = [];
    this.summaries = [];
    this.idTexts = [];
    return batch;
  }

  private index(s: string): number {
    let i = this.table.get(s);
    if (i === undefined) {
      i = this.table.size;
      this.table.set(s, i);
      this.strings.push(s);
    }
    return i;
  }

  private pairs(m: ReadonlyMap<string, number>): number[] {
    const out: number[] = [];
    for (const [k, n] of m) out.push(this.index(k), n);
    return out;
  }
}

/** The receiving side: one per sender, for the whole run; its strings go through the receiver's pool. */
export class SummaryDecoder {
  private readonly table: string[] = [];
  constructor(private readonly pool: StringPool) {}

  /** The batch's summaries, in the order they were added; throws on a batch that does not add up. */
  decode(b: SummaryBatch): DocumentSummary[] {
    // (Strings that crossed threads are copies of their own: nothing to detach from.)
    for (const s of b.strings) this.table.push(this.pool.adopt(s));
    const rows = b.starts.length;
    if (b.ends.length !== rows || b.suggested.length !== rows || b.labels.length !== rows || b.texts.length !== rows || b.idEnds.length !== rows) throw new Error('summary batch: columns of different lengths');
    const out: DocumentSummary[] = [];
    let row = 0;
    let doc = 0;
    for (const e of b.summaries) {
      let mentions: Mentions | undefined;
      if (e.mentions >= 0) {
        const n = e.mentions;
        if (row + n > b.starts.length) throw new Error(`summary batch: ${row + n} mentions announced, ${b.starts.length} sent`);
        const idText = b.idTexts[doc++];
        const idEnds = b.idEnds.subarray(row, row + n);
        if (idText === undefined || (n > 0 ? idEnds[n - 1] : 0) !== idText.length) throw new Error(`summary batch: the ids of document ${doc} do not add up`);
        const labels = new Array<string>(n);
        const texts = new Array<string>(n);
        for (let k = 0; k < n; k++) {
          labels[k] = this.string(b.labels[row + k] as number);
          texts[k] = this.string(b.texts[row + k] as number);
        }
        let links: Map<number, MentionLink> | undefined;
        if (e.links) {
          links = new Map();
          for (let i = 0; i + 2 < e.links.length; i += 3) {
            if (!((e.links[i] as number) >= 0 && (e.links[i] as number) < n)) throw new Error(`summary batch: a link of document ${doc} out of range`);
            const kb = e.links[i + 1] as number;
            const canonical = e.links[i + 2] as number;
            links.set(e.links[i] as number, { ...(kb >= 0 ? { kb: this.string(kb) } : {}), ...(canonical >= 0 ? { canonical: this.string(canonical) } : {}) });
          }
        }
        mentions = { length: n, idText, idEnds, labels, texts, starts: b.starts.subarray(row, row + n), ends: b.ends.subarray(row, row + n), suggested: b.suggested.subarray(row, row + n), links };
        row += n;
      }
      out.push({
        state: e.state,
        ...(e.status !== undefined ? { status: e.status } : {}),
        entities: e.entities,
        suggestions: e.suggestions,
        labels: this.map(e.labels),
        errors: e.errors,
        // (The keys in the order the summaries are made in: the same shape for V8 either way.)
        ...(e.annotators ? { annotators: this.map(e.annotators) } : {}),
        ...(e.sources ? { suggestionSources: this.map(e.sources) } : {}),
        ...(e.problems ? { problems: e.problems } : {}),
        ...(mentions ? { mentions } : {}),
      });
    }
    if (row !== rows) throw new Error(`summary batch: ${rows} mentions sent, ${row} announced`);
    if (doc !== b.idTexts.length) throw new Error(`summary batch: ${b.idTexts.length} id lists sent, ${doc} used`);
    return out;
  }

  private string(i: number): string {
    const s = this.table[i];
    if (s === undefined) throw new Error(`summary batch: string ${i} of ${this.table.length} unknown`);
    return s;
  }

  private map(pairs: readonly number[]): Map<string, number> {
    const m = new Map<string, number>();
    for (let i = 0; i + 1 < pairs.length; i += 2) m.set(this.string(pairs[i] as number), pairs[i + 1] as number);
    return m;
  }
}

/** A growing column of numbers, taken as a typed array of its length. */
class Columns<T extends Int32Array | Uint8Array> {
  private data: T;
  private n = 0;
  constructor(private readonly make: { new (n: number): T }) {
    this.data = new make(1024);
  }
  push(v: number): void {
    if (this.n === this.data.length) {
      const bigger = new this.make(this.data.length * 2);
      bigger.set(this.data);
      this.data = bigger;
    }
    this.data[this.n++] = v;
  }
  get length(): number {
    return this.n;
  }
  take(): T {
    const out = this.data.slice(0, this.n) as T;
    this.n = 0;
    return out;
  }
}
