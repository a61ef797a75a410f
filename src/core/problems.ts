// A problem found in a file, positioned for the Problems panel and for `path:line:col: message`.
import type { LineCounter, YAMLError } from 'yaml';

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

/** A YAML parser error as a problem, the same way for every YAML file read (its first line, at its position). */
export function yamlSyntaxProblem(err: YAMLError, lines: LineCounter): Problem {
  const { line, col } = lines.linePos(err.pos[0]);
  return { severity: 'error', code: 'yaml-syntax', message: `YAML syntax error: ${err.message.split('\n')[0]}`, line, column: col };
}
