// Test helpers: the demo corpus and small literal articles.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Article, articleFromText, decodeArticle } from '../../../src/core/model/article';
import { Entity } from '../../../src/core/model/model';

/** The repository root, found from the compiled test's location (out/test/unit/helpers). */
export const REPO_ROOT = path.resolve(__dirname, '../../../..');
export const DEMO_CORPUS = path.join(REPO_ROOT, 'examples', 'corpus');

export function demoArticle(prefix: string): { path: string; article: Article } {
  const name = fs.readdirSync(DEMO_CORPUS).find((f) => f.startsWith(prefix) && f.endsWith('.txt'));
  if (!name) throw new Error(`no demo article ${prefix}*`);
  const p = path.join(DEMO_CORPUS, name);
  return { path: p, article: decodeArticle(fs.readFileSync(p)) };
}

export function article(text: string): Article {
  return articleFromText(text);
}

/** Code point offset of the n-th (0-based) occurrence of `needle` in `text`, like Python's str.find. */
export function cpIndexOf(text: string, needle: string, nth = 0): number {
  let at = -1;
  for (let i = 0; i <= nth; i++) {
    at = text.indexOf(needle, at + 1);
    if (at < 0) throw new Error(`"${needle}" occurs fewer than ${nth + 1} times`);
  }
  return [...text.slice(0, at)].length;
}

/** An entity on the n-th (0-based) occurrence of `surface` in `text`, with code point offsets (what sidecars store). */
export function entityAt(text: string, surface: string, label: string, id: string, nth = 0): Entity {
  const start = cpIndexOf(text, surface, nth);
  return { id, label, start, end: start + [...surface].length, text: surface };
}
