// Checks one sidecar the way every subcommand needs it: read it, parse it, find and decode its
// article, validate it against the article and the label configuration that applies to it.
import * as path from 'node:path';
import { Article, ArticleDecodeError, decodeArticle } from '../core/model/article';
import { CONFIG_FILE, LabelConfig, labelNames } from '../core/config/config';
import { duplicateProblems } from '../core/review/duplicates';
import { articlePathOf } from '../core/model/model';
import { formatProblem, Problem } from '../core/model/problems';
import { ParsedSidecar, readSidecar } from '../core/sidecar/sidecar-read';
import { validateAgainstArticle } from '../core/sidecar/validate';
import { ConfigEntry, decodeUtf8, Target, Workspace } from './files';
import { describeFsError, errorCode } from './io';

export interface SidecarCheck {
  target: Target;
  articleAbs: string;
  articleDisplay: string;
  config: ConfigEntry;
  /** The sidecar's bytes, when they could be read. */
  bytes?: Uint8Array;
  /** Its text, when the bytes are UTF-8. */
  source?: string;
  parsed?: ParsedSidecar;
  /** The article, when it exists and is a UTF-8 text file. */
  article?: Article;
  /** Every problem of the sidecar, by line. */
  problems: Problem[];
}

export async function checkSidecar(ws: Workspace, target: Target): Promise<SidecarCheck> {
  const articleAbs = articlePathOf(target.abs);
  const check: SidecarCheck = {
    target,
    articleAbs,
    articleDisplay: articlePathOf(target.display),
    config: await ws.configFor(target.abs, target.anchor),
    problems: [],
  };
  const problem = (code: string, message: string, line = 1) =>
    check.problems.push({ severity: 'error', code, message, line, column: 1 });

  try {
    check.bytes = await ws.io.fs.readFile(target.abs);
  } catch (e) {
    problem('io-error', `cannot read this sidecar: ${describeFsError(e)}`);
    return check;
  }
  check.source = decodeUtf8(check.bytes);
  if (check.source === undefined) {
    problem('encoding', 'this sidecar is not valid UTF-8; sidecars are always UTF-8 (re-save it as UTF-8)');
    return check;
  }
  const parsed = readSidecar(check.source);
  check.parsed = parsed;
  if (check.source.trim() === '') {
    // Not "no annotations": a sidecar always has at least its header, so this one was truncated.
    problem('empty-sidecar', `this sidecar is empty (${check.bytes.length === 0 ? '0 bytes' : 'blank'}): it was truncated (a crash, a tool, a bad checkout) or never written; restore it from git (\`git checkout -- <this file>\`, or \`git log -- <this file>\` to find a good version), or delete it if the article has no annotations`);
  } else check.problems.push(...parsed.problems);

  const articleName = path.basename(articleAbs);
  const documentLine = parsed.keyLines.get('document') ?? 1;
  let articleBytes: Uint8Array | undefined;
  try {
    articleBytes = await ws.io.fs.readFile(articleAbs);
  } catch (e) {
    const code = errorCode(e);
    if (code === 'ENOENT' || code === 'ENOTDIR') {
      problem('missing-article', `its article ${check.articleDisplay} does not exist (a sidecar belongs to the file beside it with the same name minus ".ann.yaml"); restore or rename the article, or rename or delete this sidecar`, documentLine);
    } else {
      problem('io-error', `cannot read its article ${check.articleDisplay}: ${describeFsError(e)}`, documentLine);
    }
  }
  if (articleBytes) {
    try {
      check.article = decodeArticle(articleBytes);
    } catch (e) {
      if (!(e instanceof ArticleDecodeError)) throw e;
      problem('article-encoding', `its article ${check.articleDisplay} cannot be annotated: ${e.message}`, documentLine);
    }
  }
  if (parsed.sidecar && check.article) {
    check.problems.push(...validateAgainstArticle(parsed.sidecar, check.article, {
      labels: labelNames(check.config.config),
      overlap: check.config.config.overlap,
      articleName,
      entityLines: parsed.entityLines,
      keyLines: parsed.keyLines,
    }));
  }
  if (parsed.sidecar) check.problems.push(...duplicateProblems(parsed.sidecar.entities, parsed.entityLines));
  check.problems.sort((a, b) => a.line - b.line || a.column - b.column);
  return check;
}

/**
 * The guard before writing a sidecar a command built (re-anchored, with suggestions added): its
 * text read back and validated against the article and the configuration. `errors` empty: safe
 * to write; else the reader's problems (when it cannot read it back) or the validation errors.
 */
export function checkBeforeWrite(text: string, article: Article, config: LabelConfig): { errors: Problem[]; parsed: ParsedSidecar } {
  const parsed = readSidecar(text);
  const errors = parsed.sidecar
    ? validateAgainstArticle(parsed.sidecar, article, { labels: labelNames(config), overlap: config.overlap, entityLines: parsed.entityLines }).filter((p) => p.severity === 'error')
    : parsed.problems;
  return { errors, parsed };
}

/**
 * A broken label configuration stops the commands that act on sidecars, as \`validate\` fails on
 * it: run with the default labels instead, fmt, export, stats… would exit 0 against labels the
 * user never chose. `check` prints a configuration's errors once (each with its line), counts it
 * in `broken`, and returns why a sidecar under it is left alone; undefined when it is sound.
 */
export class ConfigGate {
  broken = 0;
  private readonly shown = new Set<string>();

  constructor(private readonly print: (line: string) => void) {}

  check(config: ConfigEntry): string | undefined {
    const errors = config.problems.filter((p) => p.severity === 'error');
    if (!errors.length) return undefined;
    const where = config.display ?? config.abs ?? CONFIG_FILE;
    if (!this.shown.has(where)) {
      this.shown.add(where);
      this.broken++;
      for (const p of errors) this.print(formatProblem(where, p) + '\n');
    }
    return `its label configuration ${where} has errors; fix them first`;
  }
}
