// A problem found in a file, positioned for the Problems panel and for `path:line:col: message`.
import { Document, isNode, LineCounter, visit, YAMLError } from 'yaml';

export type Severity = 'error' | 'warning';

export interface Problem {
  severity: Severity;
  /** Stable machine-readable kind, e.g. `text-mismatch`. */
  code: string;
  /** One sentence a non-programmer understands. */
  message: string;
  /** 1-based line and column of where the problem starts; 1:1 when it concerns the whole file. */
  line: number;
  column: number;
  endLine?: number;
  endColumn?: number;
  /** The entity concerned, when there is one. */
  entityId?: string;
}

export function hasErrors(problems: readonly Problem[]): boolean {
  return problems.some((p) => p.severity === 'error');
}

export function formatProblem(path: string, p: Problem): string {
  return `${path}:${p.line}:${p.column}: ${p.severity}: ${p.message}`;
}

/**
 * A YAML parser error as a problem, the same way for every YAML file read (its first line, at its
 * position). `kind` names the file in the messages that say what it may hold ("sidecar").
 * The parser's own words are kept except where they mislead: a stack overflow, and "please use
 * YAML.parseAllDocuments()" (advice to a programmer, not to the person who wrote the file).
 */
export function yamlSyntaxProblem(err: YAMLError, lines: LineCounter, kind?: string): Problem {
  const { line, col } = lines.linePos(err.pos[0]);
  const at = (code: string, message: string): Problem => ({ severity: 'error', code, message, line, column: col });
  if (err.code === 'RESOURCE_EXHAUSTION') {
    return at('too-deep', `this file is nested too deeply to be read (thousands of brackets or indentation levels)${kind ? `; a ${kind} is only a few levels deep` : ''}`);
  }
  if (err.code === 'MULTIPLE_DOCS') {
    return at('multiple-documents', `more than one YAML document (a \`---\` line): ${kind ? `a ${kind} holds` : 'this file must hold'} exactly one; remove the \`---\` line and what does not belong`);
  }
  return at('yaml-syntax', `YAML syntax error: ${err.message.split('\n')[0]}`);
}

const LONE_CR = /\r(?!\n)/;

/**
 * Every problem of a parsed YAML file in words its author can act on: the parser's errors (one
 * problem for a file whose lines end in CR alone, which the parser reads as one long line), then,
 * when it parsed, every tag (`!foo`, `!!js/function`, `!!str`): no file of this tool needs one, a
 * loader elsewhere may act on it, and a rewrite would silently drop it.
 */
export function yamlProblems(doc: Document.Parsed, source: string, lines: LineCounter, kind: string): Problem[] {
  // Lines ending in CR alone read as one line: a parse error, or (a sidecar's header comment
  // first) one long comment, an empty file.
  const cr = LONE_CR.exec(source);
  if (cr && (doc.errors.length || !source.includes('\n'))) {
    const { line, col } = lines.linePos(cr.index);
    return [{ severity: 'error', code: 'cr-line-ends', line, column: col, message: `this ${kind} has CR-only line endings (old Mac), which YAML readers do not all take for line breaks; convert them to LF or CRLF` }];
  }
  if (doc.errors.length) {
    const out: Problem[] = [];
    for (const err of doc.errors) {
      const p = yamlSyntaxProblem(err, lines, kind);
      // A stack overflow is reported again at each level it unwinds through: once is enough.
      if (p.code !== 'too-deep' || !out.some((q) => q.code === 'too-deep')) out.push(p);
    }
    return out;
  }
  const out: Problem[] = [];
  visit(doc, (_key, node) => {
    if (!isNode(node) || node.tag === undefined || node.range === undefined || node.range === null) return;
    const { line, col } = lines.linePos(tagStart(source, node.range[0]));
    out.push({ severity: 'error', code: 'yaml-tag', line, column: col, message: `a YAML tag (${node.tag.replace(/^tag:yaml\.org,2002:/, '!!')}) is not allowed in a ${kind}: write the value alone, without the \`!\` part` });
  });
  return out;
}

/** Where the tag of the node starting at `offset` begins: the `!…` word just before it (past an anchor). */
function tagStart(source: string, offset: number): number {
  let end = offset;
  for (let words = 0; words < 2; words++) {
    while (end > 0 && /\s/.test(source[end - 1] as string)) end--;
    let begin = end;
    while (begin > 0 && !/\s/.test(source[begin - 1] as string)) begin--;
    if (source[begin] === '!') return begin;
    if (source[begin] !== '&') break;
    end = begin;
  }
  return offset;
}
