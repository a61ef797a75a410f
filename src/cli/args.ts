// Command-line parsing with node:util's parseArgs, turning its errors into plain usage errors;
// and where this tool's own package is.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseArgs } from 'node:util';

export const TOOL = 'corpus-annotator';

/**
 * The directory of this tool's package and its package.json, found from this file's location
 * upwards (dist/ when bundled, out/src/cli/ in tests); undefined when there is none.
 */
export function ownPackage(): { dir: string; json: Record<string, unknown> } | undefined {
  for (let dir = __dirname; ; dir = path.dirname(dir)) {
    try {
      const json = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')) as Record<string, unknown>;
      if (json.name === TOOL) return { dir, json };
    } catch {
      // not here: look further up
    }
    if (path.dirname(dir) === dir) return undefined;
  }
}

/** A mistake in how the tool was called: reported with a pointer to --help, exit status 2. */
export class UsageError extends Error {
  constructor(message: string, readonly command?: string) {
    super(message);
  }
}

export interface OptionSpec {
  type: 'boolean' | 'string';
  short?: string;
  /** May be given several times: the value is then a list (see `stringList`). */
  multiple?: boolean;
}

export interface ParsedArgs {
  flags: Record<string, boolean | string | Array<boolean | string> | undefined>;
  positionals: string[];
}

/** The values of a string option declared `multiple` (none: an empty list). */
export function stringList(value: ParsedArgs['flags'][string]): string[] {
  if (value === undefined) return [];
  return (Array.isArray(value) ? value : [value]).filter((v): v is string => typeof v === 'string');
}

export function parseCommandArgs(command: string, argv: readonly string[], options: Record<string, OptionSpec>): ParsedArgs {
  try {
    const { values, positionals } = parseArgs({ args: [...argv], options, allowPositionals: true, strict: true });
    return { flags: values as ParsedArgs['flags'], positionals };
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    // "Unknown option '--x'. To specify a positional argument…": the first sentence says it all.
    const first = (message.split(/\.\s/)[0] ?? message).replace(/\.$/, '');
    throw new UsageError(first.charAt(0).toLowerCase() + first.slice(1), command);
  }
}

export function plural(n: number, one: string, many = one + 's'): string {
  return `${n} ${n === 1 ? one : many}`;
}
