// Which article of the corpus a source document belongs to: the one its name designates (brat's
// X.txt, meta.document) when the texts are identical, else the one with an identical text.
// Offsets only make sense on the very same text, so a name alone never decides.
import { Article } from '../../model/article';
import { baseName, cmp } from '../../model/model';
import { sha256Hex } from '../../model/sha256';
import { ImportRecord } from './common';

export interface Candidate<K> {
  key: K;
  /** Path relative to the corpus directory, `/`-separated. */
  relPath: string;
}

export type MatchResult<K> =
  | { key: K; relPath: string; article: Article; by: 'name' | 'text' }
  | { key?: undefined; reason: string };

const encoder = new TextEncoder();

function textKey(text: string): string {
  return `${text.length}:${sha256Hex(encoder.encode(text))}`;
}

/** `items` grouped by `key`, each group in the order of `items`. */
function groupBy<T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    const list = out.get(k);
    if (list) list.push(item);
    else out.set(k, [item]);
  }
  return out;
}

export class ArticleMatcher<K> {
  private byText: Promise<Map<string, Array<Candidate<K>>>> | undefined;
  /** Candidates by relative path and by file name, built on first use: a scan per record is quadratic on a large corpus. */
  private byName: { path: Map<string, Array<Candidate<K>>>; base: Map<string, Array<Candidate<K>>> } | undefined;

  /** `load` reads and decodes an article (undefined when it cannot). */
  constructor(private readonly candidates: ReadonlyArray<Candidate<K>>, private readonly load: (key: K) => Promise<Article | undefined>) {}

  async match(record: ImportRecord): Promise<MatchResult<K>> {
    let namedButDifferent: string[] = [];
    if (record.document !== undefined) {
      for (const c of this.named(record.document)) {
        const article = await this.load(c.key);
        if (article && article.text === record.text) return { key: c.key, relPath: c.relPath, article, by: 'name' };
        namedButDifferent.push(c.relPath);
      }
    }
    const index = await this.textIndex();
    const same = index.get(textKey(record.text)) ?? [];
    const loaded: Array<{ c: Candidate<K>; article: Article }> = [];
    for (const c of same) {
      const article = await this.load(c.key);
      if (article && article.text === record.text) loaded.push({ c, article });
    }
    const only = loaded.length === 1 ? loaded[0] : undefined;
    if (only) return { key: only.c.key, relPath: only.c.relPath, article: only.article, by: 'text' };
    if (loaded.length > 1) {
      return { reason: `${loaded.length} articles have exactly this text (${loaded.map((l) => l.c.relPath).join(', ')}); name the document (meta.document) to choose` };
    }
    namedButDifferent = [...new Set(namedButDifferent)];
    if (namedButDifferent.length) {
      return { reason: `${namedButDifferent.join(', ')} has this name but a different text (changed since the export?), and no article has this exact text` };
    }
    return { reason: `no article has this ${record.document !== undefined ? `name ("${record.document}") or ` : ''}exact text` };
  }

  /** Candidates whose relative path is the document's, then those with its file name (also without the `.txt` brat adds). */
  private named(document: string): Array<Candidate<K>> {
    const doc = document.replace(/\\/g, '/').replace(/^\.\//, '');
    const names = [doc];
    if (doc.endsWith('.txt')) names.push(doc.slice(0, -4));
    this.byName ??= { path: groupBy(this.candidates, (c) => c.relPath), base: groupBy(this.candidates, (c) => baseName(c.relPath)) };
    const out: Array<Candidate<K>> = [];
    for (const n of names) out.push(...(this.byName.path.get(n) ?? []));
    for (const n of names) {
      for (const c of this.byName.base.get(baseName(n)) ?? []) if (!out.includes(c)) out.push(c);
    }
    return out;
  }

  private textIndex(): Promise<Map<string, Array<Candidate<K>>>> {
    this.byText ??= (async () => {
      const index = new Map<string, Array<Candidate<K>>>();
      const sorted = [...this.candidates].sort((a, b) => cmp(a.relPath, b.relPath));
      for (const c of sorted) {
        const article = await this.load(c.key);
        if (!article) continue;
        const k = textKey(article.text);
        const list = index.get(k);
        if (list) list.push(c);
        else index.set(k, [c]);
      }
      return index;
    })();
    return this.byText;
  }
}
