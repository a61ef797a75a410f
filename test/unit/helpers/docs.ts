// Test corpora shared by export.test.ts and export-cli.test.ts: the demo corpus, and generated
// documents (emoji, 𝔸, NFD accents, Arabic, CRLF, a BOM, nested entities, notes and attributes).
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Article, decodeArticle } from '../../../src/core/model/article';
import { articlePathOf, compareEntities, Entity, Sidecar } from '../../../src/core/model/model';
import { readSidecar } from '../../../src/core/sidecar/sidecar-read';
import { DEMO_CORPUS } from './corpus';
import { seededRandom } from '../../../src/core/suggest/recommender/hash';

export interface TestDoc {
  /** File name of the article. */
  name: string;
  /** The article's bytes (with a BOM for some generated ones). */
  bytes: Uint8Array;
  article: Article;
  sidecar: Sidecar;
}

export function demoDocs(): TestDoc[] {
  return fs.readdirSync(DEMO_CORPUS).filter((f) => f.endsWith('.ann.yaml')).sort().map((f) => {
    const sidecar = readSidecar(fs.readFileSync(path.join(DEMO_CORPUS, f), 'utf8')).sidecar;
    if (!sidecar) throw new Error(`demo sidecar ${f} does not read`);
    const bytes = fs.readFileSync(path.join(DEMO_CORPUS, articlePathOf(f)));
    return { name: articlePathOf(f), bytes, article: decodeArticle(bytes), sidecar };
  });
}

/** A small deterministic generator (mulberry32), the recommender's. */
const prng = seededRandom;

const PEOPLE = ['Abdellatif Hammouchi', 'Abdelouafi Laftit', 'Mohammed 𝔸li', 'Jose\u0301 Martí', 'محمد بن علي', 'Zoé Ðurić'];
const ORGS = ['Interpol', 'DGSN', 'Raja Casablanca', 'الأمن الوطني', 'Sûrete\u0301 nationale'];
const PLACES = ['Rabat', 'Casablanca', 'Fe\u0301s', 'المغرب', 'Marrakech', '𝔸ncona'];
const DECOR = ['🎉', '👩🏽‍💻', '𝔸', '🇲🇦', 'e\u0301', '😊😊', 'ﷺ'];
const KB = ['wikidata:Q1028', 'wikidata:Q3551', 'geonames:2538475'];

type Piece = string | { text: string; label: string; note?: string; attrs?: Record<string, string>; inner?: Piece[] };

/**
 * Generated articles: French sentences with entities after emoji, 𝔸, NFD accents, Arabic;
 * some with CRLF line ends, some with a BOM; nested entities (an ORG in an EVENT), notes,
 * knowledge-base ids and other attributes.
 */
export function generatedDocs(seed = 7, count = 8): TestDoc[] {
  const rand = prng(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)] as T;
  const docs: TestDoc[] = [];
  for (let d = 0; d < count; d++) {
    const crlf = d % 2 === 1;
    const bom = d % 3 === 0;
    const pieces: Piece[] = [];
    const nl = crlf ? '\r\n' : '\n';
    pieces.push(`${pick(DECOR)} Dépêche n° ${d + 1}`, nl);
    for (let s = 0; s < 6; s++) {
      const org = pick(ORGS);
      switch (Math.floor(rand() * 4)) {
        case 0:
          pieces.push(`${pick(DECOR)} `, { text: pick(PEOPLE), label: 'PER', ...(rand() < 0.3 ? { attrs: { kb: pick(KB) } } : {}) },
            ' a rencontré le directeur de ', { text: org, label: 'ORG' }, ' à ', { text: pick(PLACES), label: 'LOC' }, '. ');
          break;
        case 1:
          pieces.push('La ', { text: '', label: 'EVENT', inner: ['93e session d’', { text: 'Interpol', label: 'ORG' }] },
            ` s’est tenue à «\u00A0`, { text: pick(PLACES), label: 'LOC', note: 'ville hôte\nà vérifier' }, '\u00A0» ', pick(DECOR), ' ! ');
          break;
        case 2:
          pieces.push('M. ', { text: pick(PEOPLE), label: 'PER', attrs: { kb: pick(KB), role: 'directeur' } }, ' (', { text: 'DGSN', label: 'ORG' }, '-',
            { text: 'DGST', label: 'ORG' }, ') a parlé de 32,3 % et de 3.000 agents. ');
          break;
        default:
          pieces.push(`Le 3 mars, ${pick(DECOR)} `, { text: org, label: 'ORG', note: 'sigle' }, ` et l’`, { text: pick(ORGS), label: 'ORG' }, ' ont signé.');
          pieces.push(nl);
      }
    }
    pieces.push(nl);
    let text = '';
    let cp = 0;
    const entities: Entity[] = [];
    let n = 0;
    const emit = (p: Piece) => {
      if (typeof p === 'string') {
        text += p;
        cp += [...p].length;
        return;
      }
      const start = cp;
      if (p.inner) p.inner.forEach(emit);
      else emit(p.text);
      const surface = [...text].slice(start, cp).join('');
      const e: Entity = { id: `g${d}x${String(n++).padStart(3, '0')}`, label: p.label, start, end: cp, text: surface, src: n % 5 === 0 ? 'propagated' : 'manual' };
      if (p.note !== undefined) e.note = p.note;
      if (p.attrs) e.attrs = p.attrs;
      entities.push(e);
    };
    pieces.forEach(emit);
    const body = Buffer.from(text, 'utf8');
    const bytes = bom ? Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), body]) : body;
    const article = decodeArticle(bytes);
    assert.equal(article.text, text);
    const name = `gen_${String(d).padStart(2, '0')}.txt`;
    docs.push({ name, bytes, article, sidecar: { version: 1, document: name, sha256: article.sha256, status: d % 4 === 0 ? 'done' : 'reviewed', entities: entities.sort(compareEntities) } });
  }
  return docs;
}

/** (start, end, label) of entities, sorted, as comparable strings. */
export function spanKeys(entities: ReadonlyArray<{ start: number; end: number; label: string }>): string[] {
  return entities.map((e) => `${e.start}-${e.end} ${e.label}`).sort();
}
