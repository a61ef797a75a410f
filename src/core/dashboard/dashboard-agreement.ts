// The dashboard's inter-annotator agreement: annotators' folders, each a copy of the corpus's
// sidecars under the same article names, compared pair by pair. Per pair, over the documents both
// have a readable sidecar for: exact-span F1 overall and per label (core/review/agreement.ts's matching,
// counts summed over documents: micro), and Cohen's κ on tokens over the documents whose article
// text is known and fits both sidecars. A sidecar that cannot be read is left out and named, never
// fatal: the lead still sees the other figures. Pure: the adapters list and read the files through
// an AgreementSource.
import { Token, exactMatchesByLabel, tokenize, tokenLabels } from '../review/agreement';
import { decodeArticle } from '../model/article';
import { articlePathOf, cmp, Entity } from '../model/model';
import { hasErrors } from '../model/problems';
import { readSidecar } from '../sidecar/sidecar-read';
import { withoutSuggestions } from '../suggest/suggest';

export interface AnnotatorFolder {
  /** Shown in the heat map's headers (e.g. the folder's last segment). */
  readonly name: string;
  /** The folder as configured, prefixed to the files named in notes. */
  readonly folder: string;
}

/** A file of an annotator's folder left out of the agreement, and why. */
export interface SkippedFile {
  /** Index into `annotators`. */
  readonly annotator: number;
  /** `folder/relative/path.txt.ann.yaml`. */
  readonly file: string;
  readonly reason: string;
}

/** The agreement of annotators i and j (symmetric: the same figures for j and i). */
export interface PairAgreement {
  /** Documents both have a readable sidecar for. */
  readonly documents: number;
  /** Exact-span F1 (same start, end and label, one-to-one), micro over documents; null: no entity on either side. */
  readonly f1: number | null;
  /** Per label of `AgreementFigures.labels`, in that order; null where neither side used the label. */
  readonly labelF1: ReadonlyArray<number | null>;
  /** Cohen's κ on tokens; null: no article text, or κ undefined (both sides one label everywhere). */
  readonly kappa: number | null;
  /** Documents whose tokens count in κ (their article was found and fits both sidecars). */
  readonly kappaDocuments: number;
  /** Documents of one annotator the other has no sidecar for. */
  readonly unpaired: number;
  /** The files of either annotator left out because they could not be read. */
  readonly skipped: readonly SkippedFile[];
}

/** Pairwise agreement between annotators' versions of the corpus. */
export interface AgreementFigures {
  readonly annotators: readonly AnnotatorFolder[];
  /** Labels used by any annotator: configured ones first (in order), then others by name. */
  readonly labels: readonly string[];
  /** pairs[i][j] for i ≠ j; undefined on the diagonal. */
  readonly pairs: ReadonlyArray<ReadonlyArray<PairAgreement | undefined>>;
  /** Every file left out, by annotator then path. */
  readonly skipped: readonly SkippedFile[];
  /** Folders that could not be listed (missing, not a folder…): their annotator has no document. */
  readonly folderErrors: ReadonlyArray<{ readonly annotator: number; readonly reason: string }>;
}

/** What the adapters provide: the folders' files (paths relative to a folder, with `/`). */
export interface AgreementSource {
  /** The sidecars under annotator i's folder, recursively; throws when the folder cannot be listed. */
  listSidecars(annotator: number): Promise<string[]>;
  readFile(annotator: number, relative: string): Promise<Uint8Array>;
  /** The article a document's sidecars annotate (`relative`: the article's path), or undefined when none is found. */
  readArticle(relative: string, holders: readonly number[]): Promise<Uint8Array | undefined>;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

interface PairTally {
  documents: number;
  unpaired: number;
  countA: number;
  countB: number;
  matched: number;
  /** label → [entities of i, of j, exact matches] */
  labels: Map<string, [number, number, number]>;
  kappa: KappaTally;
  kappaDocuments: number;
}

/** Cohen's κ gathered document by document (the same figure as cohenKappa over the tokens concatenated). */
export class KappaTally {
  tokens = 0;
  agreed = 0;
  private readonly a = new Map<string, number>();
  private readonly b = new Map<string, number>();

  add(a: readonly string[], b: readonly string[]): void {
    for (let k = 0; k < a.length && k < b.length; k++) {
      const x = a[k] as string;
      const y = b[k] as string;
      this.tokens++;
      if (x === y) this.agreed++;
      this.a.set(x, (this.a.get(x) ?? 0) + 1);
      this.b.set(y, (this.b.get(y) ?? 0) + 1);
    }
  }

  /** (pₒ − pₑ) / (1 − pₑ); null with no token, or pₑ = 1. */
  kappa(): number | null {
    if (!this.tokens) return null;
    let expected = 0;
    for (const [k, v] of this.a) expected += (v / this.tokens) * ((this.b.get(k) ?? 0) / this.tokens);
    if (Math.abs(1 - expected) < 1e-12) return null;
    return (this.agreed / this.tokens - expected) / (1 - expected);
  }
}

/** The figures gathered one document at a time (all annotators' versions of it), then `result()`. */
export class AgreementTally {
  private readonly pairs: PairTally[][];
  private readonly skipped: SkippedFile[] = [];
  private readonly folderErrors: Array<{ annotator: number; reason: string }> = [];
  private readonly used = new Set<string>();

  constructor(private readonly annotators: readonly AnnotatorFolder[]) {
    this.pairs = annotators.map(() => annotators.map(() => ({ documents: 0, unpaired: 0, countA: 0, countB: 0, matched: 0, labels: new Map(), kappa: new KappaTally(), kappaDocuments: 0 })));
  }

  folderError(annotator: number, reason: string): void {
    this.folderErrors.push({ annotator, reason });
  }

  /**
   * One document: per annotator, its sidecar's bytes (undefined: no sidecar in that folder; an
   * Error: it could not be read); `article`, the article's bytes when found (for κ).
   */
  addDocument(sidecarPath: string, versions: ReadonlyArray<Uint8Array | Error | undefined>, article?: Uint8Array): void {
    const entities = versions.map((bytes, i) => (bytes === undefined ? undefined : this.read(i, sidecarPath, bytes)));
    let text: string | undefined;
    if (article !== undefined) {
      try {
        text = decodeArticle(article).text;
      } catch {
        text = undefined; // κ needs the text; F1 does not
      }
    }
    const tokens = text !== undefined ? tokenize(text) : undefined;
    const codePoints = text !== undefined ? [...text] : [];
    const fitting = entities.map((es) => es !== undefined && text !== undefined && fits(es, codePoints));
    const labelsOf = new Map<number, string[]>();
    const tokenLabelsOf = (i: number, es: readonly Entity[], toks: readonly Token[]) => {
      let l = labelsOf.get(i);
      if (!l) labelsOf.set(i, (l = tokenLabels(toks, es)));
      return l;
    };
    const present = versions.map((v) => v !== undefined);
    for (let i = 0; i < versions.length; i++) {
      for (let j = i + 1; j < versions.length; j++) {
        const p = (this.pairs[i] as PairTally[])[j] as PairTally;
        const a = entities[i];
        const b = entities[j];
        if (present[i] !== present[j]) p.unpaired++;
        if (!a || !b) continue;
        p.documents++;
        p.countA += a.length;
        p.countB += b.length;
        for (const e of a) this.labelCounts(p, e.label)[0]++;
        for (const e of b) this.labelCounts(p, e.label)[1]++;
        for (const [label, n] of exactMatchesByLabel(a, b)) {
          p.matched += n;
          this.labelCounts(p, label)[2] += n;
        }
        if (tokens && fitting[i] && fitting[j]) {
          p.kappa.add(tokenLabelsOf(i, a, tokens), tokenLabelsOf(j, b, tokens));
          p.kappaDocuments++;
        }
      }
    }
  }

  /** `labelOrder`: the configured labels, listed first. */
  result(labelOrder: readonly string[] = []): AgreementFigures {
    const others = [...this.used].filter((l) => !labelOrder.includes(l)).sort(cmp);
    const labels = [...labelOrder.filter((l) => this.used.has(l)), ...others];
    const skipped = [...this.skipped].sort((x, y) => x.annotator - y.annotator || cmp(x.file, y.file));
    const pairs = this.annotators.map((_, i) =>
      this.annotators.map((__, j): PairAgreement | undefined => {
        if (i === j) return undefined;
        const p = (this.pairs[Math.min(i, j)] as PairTally[])[Math.max(i, j)] as PairTally;
        return {
          documents: p.documents,
          f1: f1(p.matched, p.countA, p.countB),
          labelF1: labels.map((l) => {
            const c = p.labels.get(l);
            return c ? f1(c[2], c[0], c[1]) : null;
          }),
          kappa: p.kappa.kappa(),
          kappaDocuments: p.kappaDocuments,
          unpaired: p.unpaired,
          skipped: skipped.filter((s) => s.annotator === i || s.annotator === j),
        };
      }),
    );
    return { annotators: this.annotators, labels, pairs, skipped, folderErrors: [...this.folderErrors] };
  }

  private labelCounts(p: PairTally, label: string): [number, number, number] {
    let c = p.labels.get(label);
    if (!c) p.labels.set(label, (c = [0, 0, 0]));
    return c;
  }

  /** The annotations of a sidecar (suggestions left out), or undefined (and a note) when it cannot be read. */
  private read(annotator: number, sidecarPath: string, bytes: Uint8Array | Error): Entity[] | undefined {
    const file = joinPath((this.annotators[annotator] as AnnotatorFolder).folder, sidecarPath);
    if (bytes instanceof Error) {
      this.skipped.push({ annotator, file, reason: bytes.message });
      return undefined;
    }
    let source: string;
    try {
      source = utf8.decode(bytes);
    } catch {
      this.skipped.push({ annotator, file, reason: 'not valid UTF-8' });
      return undefined;
    }
    const parsed = readSidecar(source);
    if (!parsed.sidecar || hasErrors(parsed.problems)) {
      const first = parsed.problems.find((p) => p.severity === 'error');
      this.skipped.push({ annotator, file, reason: first ? `line ${first.line}: ${first.message}` : 'cannot be read' });
      return undefined;
    }
    const entities = withoutSuggestions(parsed.sidecar.entities);
    for (const e of entities) this.used.add(e.label);
    return entities;
  }
}

/**
 * Reads every annotator's folder through `source`, one document (all versions of it) at a time.
 * An unreadable folder or file is noted in the figures, never thrown.
 */
export async function collectAgreement(annotators: readonly AnnotatorFolder[], source: AgreementSource, labelOrder: readonly string[] = []): Promise<AgreementFigures> {
  const tally = new AgreementTally(annotators);
  const holders = new Map<string, number[]>();
  for (let i = 0; i < annotators.length; i++) {
    let listed: string[];
    try {
      listed = await source.listSidecars(i);
    } catch (e) {
      tally.folderError(i, e instanceof Error ? e.message : String(e));
      continue;
    }
    for (const rel of listed) {
      let h = holders.get(rel);
      if (!h) holders.set(rel, (h = []));
      h.push(i);
    }
  }
  for (const rel of [...holders.keys()].sort(cmp)) {
    const who = holders.get(rel) as number[];
    const versions: Array<Uint8Array | Error | undefined> = annotators.map(() => undefined);
    for (const i of who) versions[i] = await source.readFile(i, rel).catch((e: unknown) => (e instanceof Error ? e : new Error(String(e))));
    const article = await source.readArticle(articlePathOf(rel), who).catch(() => undefined);
    tally.addDocument(rel, versions, article);
  }
  return tally.result(labelOrder);
}

/** 2·matched / (a + b); null when neither side has an entity. */
function f1(matched: number, a: number, b: number): number | null {
  return a + b ? (2 * matched) / (a + b) : null;
}

/** Every entity lies within the text and reads what it says it does: else its tokens would be wrong. */
function fits(entities: readonly Entity[], codePoints: readonly string[]): boolean {
  return entities.every((e) => e.end <= codePoints.length && codePoints.slice(e.start, e.end).join('') === e.text);
}

function joinPath(folder: string, relative: string): string {
  return folder === '' || folder === '.' ? relative : `${folder.replace(/[\\/]+$/, '')}/${relative}`;
}

/** `annotators/alice` → alice; where two folders end alike, each is named by its whole path. */
export function annotatorFolders(folders: readonly string[]): AnnotatorFolder[] {
  const last = folders.map((f) => {
    const trimmed = f.replace(/[\\/]+$/, '');
    return trimmed.split(/[\\/]/).pop() || trimmed || f;
  });
  return folders.map((folder, i) => ({ name: last.filter((n) => n === last[i]).length > 1 ? folder : (last[i] as string), folder }));
}
