// What every import shares: a source document as read from another tool's file, with its spans
// already in code points, and the problems found while reading it.
import { Status } from '../../model/model';

export const IMPORT_FORMATS = ['brat', 'doccano', 'labelstudio', 'jsonl'] as const;
export type ImportFormat = (typeof IMPORT_FORMATS)[number];

export function isImportFormat(s: unknown): s is ImportFormat {
  return typeof s === 'string' && (IMPORT_FORMATS as readonly string[]).includes(s);
}

/** One entity from the source, in code points of its record's text. */
export interface ImportedSpan {
  start: number;
  end: number;
  label: string;
  /** The text the source gives for the span, when it gives one: checked against the article. */
  text?: string;
  note?: string;
  attrs?: Record<string, string>;
  by?: string;
}

/** One document of the source. */
export interface ImportRecord {
  /** Where it is in the source, for messages: `export.jsonl:12`, `brat/a.ann`. */
  origin: string;
  /** The document's text as the source has it. */
  text: string;
  /** The article's name or relative path, when the source says (meta.document, brat's X.txt). */
  document?: string;
  /** The status the source gives (our own exports carry it), used for a new sidecar. */
  status?: Status;
  spans: ImportedSpan[];
}

export interface ImportIssue {
  origin: string;
  severity: 'error' | 'warning';
  message: string;
}

export interface Parsed {
  records: ImportRecord[];
  issues: ImportIssue[];
}

/** A source that gave nothing but one error. */
export function failed(origin: string, message: string): Parsed {
  return { records: [], issues: [{ origin, severity: 'error', message }] };
}

/** JSON.parse, its failure as the message to report. */
export function parseJson(json: string): { value: unknown } | { error: string } {
  try {
    return { value: JSON.parse(json) as unknown };
  } catch (e) {
    return { error: `not valid JSON (${e instanceof Error ? e.message : String(e)})` };
  }
}

/** One line of a JSONL source (doccano, spaCy / Prodigy): an object with a "text" string, or why it is not. */
export function parseTextLine(line: string): { value: Record<string, unknown>; text: string } | { error: string } {
  const json = parseJson(line);
  if ('error' in json) return json;
  const value = json.value;
  if (!isObject(value) || typeof value.text !== 'string') return { error: 'a line must be a JSON object with a "text" string' };
  return { value, text: value.text };
}

export function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function isOffset(v: unknown): v is number {
  return typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;
}

/** Text attributes only: other values are turned into their JSON text. */
export function stringRecord(v: unknown): Record<string, string> | undefined {
  if (!isObject(v)) return undefined;
  const out: Record<string, string> = {};
  for (const [k, x] of Object.entries(v)) {
    if (x === null || x === undefined) continue;
    Object.defineProperty(out, k, { value: typeof x === 'string' ? x : JSON.stringify(x), enumerable: true, writable: true, configurable: true });
  }
  return Object.keys(out).length ? out : undefined;
}
