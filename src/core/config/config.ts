// The label configuration, `.corpus-annotator.yaml` at the workspace root.
import { isMap, isScalar, isSeq, LineCounter, Node, parseDocument } from 'yaml';
import { Problem, yamlProblems } from '../model/problems';

export const CONFIG_FILE = '.corpus-annotator.yaml';

/** Whether entities may share characters: freely, only fully nested, or never. */
export type OverlapPolicy = 'allow' | 'nested' | 'forbid';
export const OVERLAP_POLICIES: readonly OverlapPolicy[] = ['allow', 'nested', 'forbid'];

export interface LabelDef {
  name: string;
  /** CSS colour, `#rrggbb`. */
  color: string;
  /** 1–9: the label's tagging key (Ctrl+Alt+N). */
  key?: number;
  description?: string;
}

export interface LabelConfig {
  labels: LabelDef[];
  overlap: OverlapPolicy;
  /** Globs (relative to the workspace root) of the files that are articles. */
  articles: string[];
  exclude: string[];
  /** Sources of suggestions (`corpus-annotator suggest`); absent in hand-built configs: none. */
  suggestions?: SuggestionsConfig;
}

/** How `text` of a gazetteer is looked for in articles (src/core/suggest/occurrences.ts). */
export interface MatchConfig {
  caseSensitive: boolean;
  diacriticSensitive: boolean;
  wholeWord: boolean;
}

export interface SuggestionsConfig {
  /** Gazetteer files (TSV: surface, label, kb id), relative to the configuration file's directory. */
  gazetteers: string[];
  /** Pattern files (YAML), relative to the configuration file's directory. */
  patterns: string[];
  match: MatchConfig;
}

export const DEFAULT_SUGGESTIONS: SuggestionsConfig = {
  gazetteers: [],
  patterns: [],
  match: { caseSensitive: false, diacriticSensitive: false, wholeWord: true },
};

/** The configuration's suggestion sources, the defaults (none) when it has no `suggestions:`. */
export function suggestionsConfig(config: LabelConfig): SuggestionsConfig {
  return config.suggestions ?? DEFAULT_SUGGESTIONS;
}

export const DEFAULT_CONFIG: LabelConfig = {
  labels: [
    { name: 'PER', color: '#e5534b', key: 1, description: 'Person: a named individual, e.g. Abdellatif Hammouchi' },
    { name: 'ORG', color: '#3b82f6', key: 2, description: 'Organisation: institution, company, agency, e.g. Interpol, DGSN' },
    { name: 'LOC', color: '#22a06b', key: 3, description: 'Location: country, city, region, e.g. Marrakech' },
    { name: 'DATE', color: '#c98a00', key: 4, description: 'Date or period, e.g. 14 mars 2025' },
    { name: 'EVENT', color: '#a855f7', key: 5, description: 'Named event, e.g. Coupe d’Afrique des nations' },
    { name: 'MISC', color: '#8b949e', key: 6, description: 'Other named entity: law, product, work, nationality' },
  ],
  overlap: 'nested',
  articles: ['**/*.txt'],
  exclude: ['**/node_modules/**', '**/.git/**'],
  suggestions: DEFAULT_SUGGESTIONS,
};

export interface LoadedConfig {
  config: LabelConfig;
  problems: Problem[];
}

const KEYS = ['version', 'labels', 'overlap', 'articles', 'exclude', 'suggestions'];
const LABEL_KEYS = ['name', 'color', 'key', 'description'];
const SUGGESTION_KEYS = ['gazetteers', 'patterns', 'match'];
const MATCH_KEYS = ['caseSensitive', 'diacriticSensitive', 'wholeWord'] as const;

/** Reads a configuration file's text; what is invalid is reported and replaced by the default. */
export function readConfig(source: string): LoadedConfig {
  const lines = new LineCounter();
  const problems: Problem[] = [];
  const report = (node: Node | null | undefined, message: string, code = 'config') => {
    const { line, col } = lines.linePos(node?.range?.[0] ?? 0);
    problems.push({ severity: 'error', code, message, line, column: col });
  };
  const doc = parseDocument(source, { lineCounter: lines, uniqueKeys: true, prettyErrors: false });
  problems.push(...yamlProblems(doc, source, lines, 'label configuration'));
  const config: LabelConfig = { ...DEFAULT_CONFIG, labels: [...DEFAULT_CONFIG.labels] };
  if (problems.length) return { config, problems };
  const root = doc.contents;
  if (root === null || (isScalar(root) && root.value === null)) return { config, problems };
  if (!isMap(root)) {
    report(root, 'the configuration must be a YAML mapping with keys such as labels, overlap, articles');
    return { config, problems };
  }
  for (const pair of root.items) {
    const k = pair.key as Node;
    const key = isScalar(k) ? String(k.value) : '';
    const v = pair.value as Node | null;
    if (!KEYS.includes(key)) { report(k, `unknown key \`${key}\`; known keys: ${KEYS.join(', ')}`); continue; }
    if (key === 'version') {
      if (!isScalar(v) || v.value !== 1) report(v ?? k, '`version` must be 1');
    } else if (key === 'overlap') {
      const val = isScalar(v) ? String(v.value) : '';
      if ((OVERLAP_POLICIES as string[]).includes(val)) config.overlap = val as OverlapPolicy;
      else report(v ?? k, `\`overlap\` must be one of ${OVERLAP_POLICIES.join(', ')}`);
    } else if (key === 'articles' || key === 'exclude') {
      const list = isSeq(v) ? v.items : [v];
      const globs = list.map((n) => (isScalar(n) && typeof n.value === 'string' ? n.value : undefined));
      if (globs.some((g) => g === undefined || g === '')) report(v ?? k, `\`${key}\` must be a glob or a list of globs, like "**/*.txt"`);
      else config[key] = globs as string[];
    } else if (key === 'labels') {
      const labels = readLabels(v, report);
      if (labels) config.labels = labels;
    } else if (key === 'suggestions') {
      config.suggestions = readSuggestions(v, report);
    }
  }
  return { config, problems };
}

function readSuggestions(v: Node | null, report: (n: Node | null | undefined, m: string) => void): SuggestionsConfig {
  const out: SuggestionsConfig = { gazetteers: [], patterns: [], match: { ...DEFAULT_SUGGESTIONS.match } };
  if (v === null || (isScalar(v) && v.value === null)) return out;
  if (!isMap(v)) {
    report(v, '`suggestions` must be a mapping like `{gazetteers: [names.tsv], patterns: [patterns.yaml]}`');
    return out;
  }
  for (const pair of v.items) {
    const kn = pair.key as Node;
    const key = isScalar(kn) ? String(kn.value) : '';
    const val = pair.value as Node | null;
    if (!SUGGESTION_KEYS.includes(key)) { report(kn, `unknown key \`${key}\` in \`suggestions\`; known: ${SUGGESTION_KEYS.join(', ')}`); continue; }
    if (key === 'gazetteers' || key === 'patterns') {
      const list = isSeq(val) ? val.items : [val];
      const paths = list.map((n) => (isScalar(n) && typeof n.value === 'string' ? n.value : undefined));
      if (paths.some((p) => p === undefined || p === '')) report(val ?? kn, `\`suggestions.${key}\` must be a file path or a list of them, relative to this file's directory`);
      else out[key] = paths as string[];
    } else if (!isMap(val)) {
      report(val ?? kn, '`suggestions.match` must be a mapping like `{caseSensitive: false, diacriticSensitive: false, wholeWord: true}`');
    } else {
      for (const m of val.items) {
        const mk = m.key as Node;
        const name = isScalar(mk) ? String(mk.value) : '';
        const mv = m.value as Node | null;
        if (!(MATCH_KEYS as readonly string[]).includes(name)) { report(mk, `unknown key \`${name}\` in \`suggestions.match\`; known: ${MATCH_KEYS.join(', ')}`); continue; }
        if (isScalar(mv) && typeof mv.value === 'boolean') out.match[name as (typeof MATCH_KEYS)[number]] = mv.value;
        else report(mv ?? mk, `\`suggestions.match.${name}\` must be true or false`);
      }
    }
  }
  return out;
}

function readLabels(v: Node | null, report: (n: Node | null | undefined, m: string) => void): LabelDef[] | undefined {
  if (!isSeq(v) || v.items.length === 0) {
    report(v, '`labels` must be a non-empty list of labels, each like `{name: PER, color: "#e5534b", key: 1}`');
    return undefined;
  }
  const out: LabelDef[] = [];
  const names = new Set<string>();
  const keys = new Map<number, string>();
  v.items.forEach((item, i) => {
    const n = item as Node;
    // A bare string is a label with a generated colour.
    if (isScalar(n) && typeof n.value === 'string') {
      addLabel({ name: n.value, color: paletteColor(i) }, n);
      return;
    }
    if (!isMap(n)) { report(n, 'each label must be a name or a mapping with name, color, key, description'); return; }
    const def: Partial<LabelDef> = {};
    for (const pair of n.items) {
      const k = pair.key as Node;
      const key = isScalar(k) ? String(k.value) : '';
      const val = pair.value as Node | null;
      const value = isScalar(val) ? val.value : undefined;
      if (!LABEL_KEYS.includes(key)) { report(k, `unknown label key \`${key}\`; known: ${LABEL_KEYS.join(', ')}`); continue; }
      if (key === 'name') {
        if (typeof value === 'string' && /^\S+$/.test(value)) def.name = value;
        else report(val ?? k, 'a label `name` must be text without spaces, like PER');
      } else if (key === 'color') {
        if (typeof value === 'string' && /^#[0-9a-fA-F]{6}$/.test(value)) def.color = value.toLowerCase();
        else report(val ?? k, 'a label `color` must be a quoted hex colour like "#e5534b"');
      } else if (key === 'key') {
        if (typeof value === 'number' && Number.isInteger(value) && value >= 1 && value <= 9) def.key = value;
        else report(val ?? k, 'a label `key` must be a digit from 1 to 9');
      } else if (key === 'description') {
        if (typeof value === 'string') def.description = value;
        else report(val ?? k, 'a label `description` must be text');
      }
    }
    if (def.name === undefined) { report(n, 'a label has no `name`'); return; }
    addLabel({ ...def, name: def.name, color: def.color ?? paletteColor(i) }, n);
  });
  function addLabel(def: LabelDef, node: Node) {
    if (names.has(def.name)) { report(node, `the label "${def.name}" is defined twice`); return; }
    if (def.key !== undefined) {
      const other = keys.get(def.key);
      if (other !== undefined) { report(node, `key ${def.key} is given to both "${other}" and "${def.name}"`); delete def.key; }
      else keys.set(def.key, def.name);
    }
    names.add(def.name);
    out.push(def);
  }
  return out.length ? out : undefined;
}

const PALETTE = ['#e5534b', '#3b82f6', '#22a06b', '#c98a00', '#a855f7', '#8b949e', '#db2777', '#0891b2', '#65a30d', '#ea580c'];
function paletteColor(i: number): string {
  return PALETTE[i % PALETTE.length] as string;
}

/** The configured label names, as validation and the suggestion sources check labels against. */
export function labelNames(config: LabelConfig): Set<string> {
  return new Set(config.labels.map((l) => l.name));
}

/** The label whose tagging key is `slot` (1–9). */
export function labelForKey(config: LabelConfig, slot: number): LabelDef | undefined {
  return config.labels.find((l) => l.key === slot);
}
