// Pattern files: named rules that suggest a label wherever they match (src: pattern:<name>).
// A YAML file:
//
//   version: 1
//   patterns:
//     - name: date-fr                    # letters, digits, `_`, `-`, `.`; unique in the file
//       label: DATE                      # a label of the configuration
//       regex: '\d{1,2} (?:janvier|février|mars) \d{4}'
//       flags: i                         # optional: i (ignore case), m, s; always Unicode (u)
//       group: 1                         # optional: the capture group (number or name) that is the entity
//     - name: monsieur
//       label: PER
//       tokens:                          # a sequence of tokens (src/core/text/tokenize.ts), within a sentence
//         - {text: [M., Mme], outside: true}   # must be there, not part of the entity
//         - {title: true}
//         - {title: true, optional: true}
//
// A token spec holds tests, all of which must pass (none: any token):
//   text: "M." or [M., Mme]     the token is exactly one of these
//   lower: "mars" or [...]      the token, lower-cased, is one of these (lower-cased)
//   regex: '\d{4}'              the whole token matches (the pattern's `flags` apply)
//   title: true | false         starts with a capital, no other capital (Laftit, A.) — or not
//   upper: true | false         has capitals and no lower-case letter (DGSN, S.M.) — or not
// and modifiers: optional: true (zero or one), repeat: true (one or more; with optional, zero or
// more), outside: true (matched but left out of the entity: only at the start or the end).
//
// Matching is bounded, so a careless pattern cannot hang the editor or the CLI: empty matches
// are skipped, at most MAX_MATCHES matches per pattern and document, token patterns at most
// MAX_TOKENS tokens long and MAX_STEPS backtracking steps per document. A regex's own
// catastrophic backtracking cannot be interrupted on the thread running it: the CLI runs patterns
// on a worker it stops (src/cli/pattern-runner.ts); the extension runs none in Restricted Mode.
import { isMap, isScalar, isSeq, LineCounter, Node, parseDocument, Scalar, YAMLMap } from 'yaml';
import { Article } from '../model/article';
import { Span } from '../model/edits';
import { Problem, yamlProblems } from '../model/problems';
import { superLinearReason } from './regex-safety';
import { Token, tokenizeSentences } from '../text/tokenize';

export interface TokenSpec {
  /** Exact token texts, any of which passes. */
  text?: string[];
  /** Lower-cased token texts. */
  lower?: string[];
  /** Anchored: the whole token must match. */
  regex?: RegExp;
  title?: boolean;
  upper?: boolean;
  optional: boolean;
  repeat: boolean;
  outside: boolean;
}

interface PatternBase {
  name: string;
  label: string;
  /** 1-based line of the pattern in its file. */
  line: number;
  description?: string;
}

export interface RegexPattern extends PatternBase {
  kind: 'regex';
  /** The source as written, and the flags given (without the `g`, `u`, `d` the matcher adds). */
  source: string;
  flags: string;
  /** The capture group that is the entity: a number (0: the whole match) or a name. */
  group?: number | string;
}

export interface TokenPattern extends PatternBase {
  kind: 'tokens';
  tokens: TokenSpec[];
}

export type Pattern = RegexPattern | TokenPattern;

export interface PatternSet {
  /** The file's name: suggestions say `src: pattern:<pattern name>`. */
  file: string;
  patterns: Pattern[];
}

export interface ParsedPatterns {
  set: PatternSet;
  /** Errors (the pattern is left out) and warnings. */
  problems: Problem[];
}

export interface PatternOptions {
  /** The configured labels: a pattern with another label is an error (and left out). */
  labels?: ReadonlySet<string>;
}

export const PATTERNS_VERSION = 1;
const TOP_KEYS = ['version', 'patterns'];
const PATTERN_KEYS = ['name', 'label', 'description', 'regex', 'flags', 'group', 'tokens'];
const SPEC_KEYS = ['text', 'lower', 'regex', 'title', 'upper', 'optional', 'repeat', 'outside'];
const NAME = /^[\p{L}\p{N}_][\p{L}\p{N}_.-]*$/u;
const USER_FLAGS = 'ims';

/** Reads a pattern file's text. Every pattern is checked; one with an error is left out. */
export function parsePatterns(source: string, file: string, opts: PatternOptions = {}): ParsedPatterns {
  const lines = new LineCounter();
  const problems: Problem[] = [];
  const set: PatternSet = { file, patterns: [] };
  const at = (node: Node | null | undefined) => lines.linePos(node?.range?.[0] ?? 0);
  const report = (node: Node | null | undefined, message: string, code = 'pattern', severity: Problem['severity'] = 'error') => {
    const { line, col } = at(node);
    problems.push({ severity, code, message, line, column: col });
  };
  let doc;
  const text = source.replace(/^\uFEFF/, '');
  try {
    doc = parseDocument(text, { lineCounter: lines, uniqueKeys: true, prettyErrors: false });
  } catch (e) {
    problems.push({ severity: 'error', code: 'yaml-syntax', message: `this file cannot be read as YAML (${e instanceof Error ? e.message : String(e)})`, line: 1, column: 1 });
    return { set, problems };
  }
  // The same checks as sidecars and the label configuration: syntax, CR-only line ends, tags.
  problems.push(...yamlProblems(doc, text, lines, 'pattern file'));
  if (problems.length) return { set, problems };
  const root = doc.contents;
  if (root === null || (isScalar(root) && root.value === null)) return { set, problems };
  if (!isMap(root)) {
    report(root, 'a pattern file must be a YAML mapping: `version: 1` and `patterns:`, a list of patterns');
    return { set, problems };
  }
  let list: Node | null = null;
  for (const pair of root.items) {
    const k = pair.key as Node;
    const key = isScalar(k) ? String(k.value) : '';
    const v = pair.value as Node | null;
    if (!TOP_KEYS.includes(key)) report(k, `unknown key \`${key}\`; a pattern file has ${TOP_KEYS.join(' and ')}`);
    else if (key === 'version') { if (!isScalar(v) || v.value !== PATTERNS_VERSION) report(v ?? k, '`version` must be 1'); }
    else list = v ?? k;
  }
  if (list === null) return { set, problems };
  if (!isSeq(list)) {
    report(list, '`patterns` must be a list, each item like `{name: date, label: DATE, regex: "…"}`');
    return { set, problems };
  }
  const names = new Map<string, number>();
  for (const item of list.items as Array<Node | null>) {
    const before = problems.filter((p) => p.severity === 'error').length;
    const pattern = readPattern(item, report, opts, (n) => at(n).line);
    const failed = problems.filter((p) => p.severity === 'error').length > before;
    if (!pattern || failed) continue;
    const other = names.get(pattern.name);
    if (other !== undefined) {
      report(item, `a second pattern named "${pattern.name}" (the first is on line ${other}); names must be unique`);
      continue;
    }
    names.set(pattern.name, pattern.line);
    set.patterns.push(pattern);
  }
  problems.sort((a, b) => a.line - b.line || a.column - b.column);
  return { set, problems };
}

type Report = (node: Node | null | undefined, message: string, code?: string, severity?: Problem['severity']) => void;

function entries(map: YAMLMap): Array<{ key: string; k: Node; v: Node | null }> {
  return map.items.map((pair) => {
    const k = pair.key as Node;
    return { key: isScalar(k) ? String(k.value) : '', k, v: pair.value as Node | null };
  });
}

function readPattern(item: Node | null, report: Report, opts: PatternOptions, lineOf: (n: Node) => number): Pattern | undefined {
  if (!isMap(item)) {
    report(item, 'each pattern must be a mapping with name, label, and regex or tokens');
    return undefined;
  }
  const fields = new Map<string, { k: Node; v: Node | null }>();
  for (const { key, k, v } of entries(item)) {
    if (!PATTERN_KEYS.includes(key)) report(k, `unknown key \`${key}\` in a pattern; known: ${PATTERN_KEYS.join(', ')}`);
    else fields.set(key, { k, v });
  }
  const str = (key: string): string | undefined => {
    const f = fields.get(key);
    if (!f) return undefined;
    if (isScalar(f.v) && (typeof f.v.value === 'string' || typeof f.v.value === 'number')) return String(f.v.value);
    report(f.v ?? f.k, `\`${key}\` must be text`);
    return undefined;
  };
  const name = str('name');
  const label = str('label');
  const where = name !== undefined ? `pattern "${name}"` : 'this pattern';
  if (!fields.has('name')) report(item, 'a pattern has no `name` (it becomes the suggestions\' `src: pattern:<name>`)');
  else if (name !== undefined && !NAME.test(name)) report(fields.get('name')?.v, `the pattern name "${name}" must be letters, digits, \`_\`, \`-\` or \`.\`, without spaces`);
  if (!fields.has('label')) report(item, `${where} has no \`label\``);
  else if (label !== undefined) {
    if (!/^\S+$/.test(label)) report(fields.get('label')?.v, `the label "${label}" contains a space; labels are single words like PER`);
    else if (opts.labels && !opts.labels.has(label)) report(fields.get('label')?.v, `unknown label "${label}" in ${where} (the label configuration has ${[...opts.labels].join(', ')})`, 'unknown-label');
  }
  const description = str('description');
  const flags = str('flags') ?? '';
  const flagsNode = fields.get('flags')?.v;
  for (const f of flags) {
    if (f === 'u') continue;
    if (!USER_FLAGS.includes(f)) report(flagsNode, `unknown or unsupported regex flag \`${f}\` in ${where}; flags are i (ignore case), m (^ and $ at line ends), s (. matches line breaks)`);
  }
  const cleanFlags = [...new Set(flags)].filter((f) => USER_FLAGS.includes(f)).sort().join('');
  const hasRegex = fields.has('regex');
  const hasTokens = fields.has('tokens');
  if (hasRegex === hasTokens) {
    report(item, `${where} needs exactly one of \`regex\` (a JavaScript regular expression) or \`tokens\` (a list of token specs)`);
    return undefined;
  }
  if (name === undefined || label === undefined) return undefined;
  const base: PatternBase = { name, label, line: lineOf(item) };
  if (description !== undefined) base.description = description;
  if (hasRegex) {
    const source = str('regex');
    const regexNode = fields.get('regex')?.v;
    if (source === undefined) return undefined;
    if (source === '') { report(regexNode, `the regex of ${where} is empty`); return undefined; }
    const compiled = compile(source, cleanFlags + 'u');
    if (typeof compiled === 'string') { report(regexNode, `invalid regex in ${where}: ${compiled}`, 'invalid-regex'); return undefined; }
    warnSuperLinear(source, regexNode, report, where);
    const p: RegexPattern = { ...base, kind: 'regex', source, flags: cleanFlags };
    const groupField = fields.get('group');
    if (groupField) {
      const g = groupField.v;
      const value = isScalar(g) ? g.value : undefined;
      // Which groups the regex has: an alternative that matches the empty text shows them all.
      const probe = new RegExp(`${source}|`, cleanFlags + 'u').exec('') as RegExpExecArray;
      const count = probe.length - 1;
      const named = Object.keys(probe.groups ?? {});
      if (typeof value === 'number' && Number.isInteger(value) && value >= 0) {
        if (value > count) report(g, `${where} takes group ${value}, but its regex has ${count === 0 ? 'no capture group' : `only ${count} capture group${count === 1 ? '' : 's'}`}`);
        else p.group = value;
      } else if (typeof value === 'string' && value !== '') {
        if (!named.includes(value)) report(g, `${where} takes group "${value}", but its regex has no group (?<${value}>…)${named.length ? ` (it has ${named.join(', ')})` : ''}`);
        else p.group = value;
      } else {
        report(g ?? groupField.k, '`group` must be a capture group number (1 for the first) or name');
      }
    }
    if (p.group === undefined || p.group === 0) {
      const whole = compile(`^(?:${source})$`, cleanFlags + 'u');
      if (whole instanceof RegExp && whole.test('')) report(regexNode, `the regex of ${where} can match an empty text; empty matches are skipped`, 'empty-match', 'warning');
    }
    return p;
  }
  const tokensField = fields.get('tokens') as { k: Node; v: Node | null };
  const list = tokensField.v;
  if (!isSeq(list) || list.items.length === 0) {
    report(list ?? tokensField.k, `the \`tokens\` of ${where} must be a non-empty list of token specs like {text: M.} or {title: true}`);
    return undefined;
  }
  const specs: TokenSpec[] = [];
  for (const node of list.items as Array<Node | null>) {
    const spec = readSpec(node, report, cleanFlags, where);
    if (spec) specs.push(spec);
  }
  if (specs.length !== list.items.length) return undefined;
  const inside = specs.map((s, i) => (s.outside ? -1 : i)).filter((i) => i >= 0);
  const first = inside[0];
  const last = inside[inside.length - 1];
  if (first === undefined || last === undefined || !specs.slice(first, last + 1).some((s) => !s.optional && !s.outside)) {
    report(list, `${where} needs at least one token that is neither optional nor outside (the entity cannot be empty)`);
    return undefined;
  }
  if (specs.slice(first, last + 1).some((s) => s.outside)) {
    report(list, `in ${where}, \`outside\` tokens must come first or last: the entity is one continuous span`);
    return undefined;
  }
  return { ...base, kind: 'tokens', tokens: specs };
}

function readSpec(node: Node | null, report: Report, flags: string, where: string): TokenSpec | undefined {
  if (!isMap(node)) {
    report(node, `each token of ${where} must be a mapping like {text: M.}, {lower: mars}, {regex: '\\d{4}'}, {title: true}; {} is any token`);
    return undefined;
  }
  const spec: TokenSpec = { optional: false, repeat: false, outside: false };
  let ok = true;
  const fail = (n: Node | null | undefined, m: string, code?: string) => { ok = false; report(n, m, code); };
  for (const { key, k, v } of entries(node)) {
    if (!SPEC_KEYS.includes(key)) { fail(k, `unknown key \`${key}\` in a token of ${where}; known: ${SPEC_KEYS.join(', ')}`); continue; }
    if (key === 'text' || key === 'lower') {
      const values = strings(v);
      if (!values || values.length === 0 || values.some((s) => s === '' || /\s/.test(s))) {
        fail(v ?? k, `\`${key}\` must be a token's text or a list of them (tokens never contain spaces)`);
      } else {
        spec[key] = key === 'lower' ? values.map((s) => s.toLowerCase()) : values;
      }
    } else if (key === 'regex') {
      const src = isScalar(v) && (typeof v.value === 'string' || typeof v.value === 'number') ? String(v.value) : undefined;
      if (src === undefined || src === '') { fail(v ?? k, '`regex` of a token must be a regular expression'); continue; }
      const re = compile(`^(?:${src})$`, flags + 'u');
      if (typeof re === 'string') fail(v, `invalid regex in a token of ${where}: ${re}`, 'invalid-regex');
      else {
        spec.regex = re;
        warnSuperLinear(src, v, report, `a token of ${where}`);
      }
    } else {
      if (!isScalar(v) || typeof v.value !== 'boolean') { fail(v ?? k, `\`${key}\` must be true or false`); continue; }
      spec[key as 'title' | 'upper' | 'optional' | 'repeat' | 'outside'] = v.value;
    }
  }
  return ok ? spec : undefined;
}

function strings(v: Node | null): string[] | undefined {
  const one = (n: unknown) => (isScalar(n) && (typeof (n as Scalar).value === 'string' || typeof (n as Scalar).value === 'number') ? String((n as Scalar).value) : undefined);
  if (isSeq(v)) {
    const out = v.items.map(one);
    return out.some((s) => s === undefined) ? undefined : (out as string[]);
  }
  const s = one(v);
  return s === undefined ? undefined : [s];
}

/** A warning (not an error: it still runs, within the time budget) for a regex that may backtrack exponentially. */
function warnSuperLinear(source: string, node: Node | null | undefined, report: Report, where: string): void {
  const reason = superLinearReason(source);
  if (reason) report(node, `${where}: ${reason} may take exponential time on some texts; it still runs, but is stopped after 1 s per document`, 'super-linear-regex', 'warning');
}

/** A RegExp, or the reason the source is not one (the engine's message, without the source repeated). */
function compile(source: string, flags: string): RegExp | string {
  try {
    return new RegExp(source, flags);
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    // "Invalid regular expression: /(a/u: Unterminated group" → "Unterminated group"
    return message.replace(/^Invalid regular expression: \/.*\/[a-z]*: /s, '');
  }
}

// ---- Matching --------------------------------------------------------------------------------

export const MAX_MATCHES = 10_000;
export const MAX_TOKENS = 64;
export const MAX_STEPS = 1_000_000;

export interface MatchLimits {
  /** Matches per pattern and document (default MAX_MATCHES). */
  maxMatches?: number;
  /** Tokens in one token-pattern match (default MAX_TOKENS). */
  maxTokens?: number;
  /** Backtracking steps of one token pattern over one document (default MAX_STEPS). */
  maxSteps?: number;
}

export interface PatternMatches {
  /** Code point spans, in text order, not overlapping each other, never empty. */
  spans: Span[];
  /** A limit stopped the search: there may be more matches. */
  truncated: boolean;
}

/** An article prepared once for every pattern: its sentences of tokens, computed when first needed. */
export class PatternText {
  private sentencesCache: Token[][] | undefined;
  constructor(readonly article: Article) {}
  get sentences(): Token[][] {
    return (this.sentencesCache ??= tokenizeSentences(this.article.text, this.article.offsets));
  }
}

/** Every match of one pattern in an article. */
export function matchPattern(p: Pattern, text: PatternText | Article, limits: MatchLimits = {}): PatternMatches {
  const prepared = text instanceof PatternText ? text : new PatternText(text);
  return p.kind === 'regex' ? matchRegex(p, prepared.article, limits) : matchTokens(p, prepared, limits);
}

function matchRegex(p: RegexPattern, article: Article, limits: MatchLimits): PatternMatches {
  const max = limits.maxMatches ?? MAX_MATCHES;
  const group = p.group ?? 0;
  const re = new RegExp(p.source, p.flags + 'gu' + (group !== 0 ? 'd' : ''));
  const text = article.text;
  const spans: Span[] = [];
  let last = 0;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    if (m[0] === '') {
      // Step over one code point: an empty match would otherwise be found again at the same place.
      re.lastIndex = m.index + (isHighSurrogate(text.charCodeAt(m.index)) ? 2 : 1);
      if (re.lastIndex > text.length) break;
    }
    const range = group === 0 ? [m.index, m.index + m[0].length] : typeof group === 'number' ? m.indices?.[group] : m.indices?.groups?.[group];
    if (!range) continue;
    const [from, to] = range as [number, number];
    if (to <= from || text.slice(from, to).trim() === '' || from < last) continue;
    spans.push({ start: article.offsets.toCodePoint(from), end: article.offsets.toCodePoint(to) });
    last = to;
    if (spans.length >= max) return { spans, truncated: re.exec(text) !== null };
  }
  return { spans, truncated: false };
}

function isHighSurrogate(c: number): boolean {
  return c >= 0xd800 && c <= 0xdbff;
}

class StepBudgetExceeded extends Error {}

function matchTokens(p: TokenPattern, text: PatternText, limits: MatchLimits): PatternMatches {
  const maxMatches = limits.maxMatches ?? MAX_MATCHES;
  const maxTokens = limits.maxTokens ?? MAX_TOKENS;
  let steps = limits.maxSteps ?? MAX_STEPS;
  const specs = p.tokens;
  const spans: Span[] = [];
  for (const toks of text.sentences) {
    const limit = (start: number) => Math.min(toks.length, start + maxTokens);
    /** From spec k at token t: where the match ends and its first/last inside token, or undefined. */
    const rec = (k: number, t: number, end: number, first: number, last: number): [number, number, number] | undefined => {
      if (--steps < 0) throw new StepBudgetExceeded();
      if (k === specs.length) return [t, first, last];
      const spec = specs[k] as TokenSpec;
      const mark = (from: number, to: number): [number, number] => (spec.outside || to <= from ? [first, last] : [first < 0 ? from : first, to - 1]);
      if (spec.repeat) {
        let n = 0;
        while (t + n < end && tokenPasses(spec, toks[t + n] as Token)) n++;
        for (let m = n; m >= (spec.optional ? 0 : 1); m--) {
          const [f, l] = mark(t, t + m);
          const r = rec(k + 1, t + m, end, f, l);
          if (r) return r;
        }
        return undefined;
      }
      if (t < end && tokenPasses(spec, toks[t] as Token)) {
        const [f, l] = mark(t, t + 1);
        const r = rec(k + 1, t + 1, end, f, l);
        if (r) return r;
      }
      return spec.optional ? rec(k + 1, t, end, first, last) : undefined;
    };
    let i = 0;
    while (i < toks.length) {
      let r: [number, number, number] | undefined;
      try {
        r = rec(0, i, limit(i), -1, -1);
      } catch (e) {
        if (e instanceof StepBudgetExceeded) return { spans, truncated: true };
        throw e;
      }
      if (!r || r[1] < 0) { i++; continue; }
      const [end, first, last] = r;
      spans.push({ start: (toks[first] as Token).start, end: (toks[last] as Token).end });
      if (spans.length >= maxMatches) return { spans, truncated: true };
      i = Math.max(end, i + 1);
    }
  }
  return { spans, truncated: false };
}

const TITLE = /^[\p{Lu}\p{Lt}][^\p{Lu}\p{Lt}]*$/u;
const UPPER = /^(?=.*\p{Lu})\P{Ll}*$/u;

function tokenPasses(spec: TokenSpec, token: Token): boolean {
  const t = token.text;
  if (spec.text && !spec.text.includes(t)) return false;
  if (spec.lower && !spec.lower.includes(t.toLowerCase())) return false;
  if (spec.regex && !spec.regex.test(t)) return false;
  if (spec.title !== undefined && TITLE.test(t) !== spec.title) return false;
  if (spec.upper !== undefined && UPPER.test(t) !== spec.upper) return false;
  return true;
}
