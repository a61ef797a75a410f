// The browser bundle's summarise-host.ts (esbuild.js): a browser's web worker host has no worker
// threads for the counts pass; corpus-counts.ts reads through workspace.fs on its own thread.
import type { StringPool } from '../core/corpus/corpus-index';
import type { SummariseRun, SummariseSink } from './summarise-host';

export type { SummariseRun, SummariseSink } from './summarise-host';

export function summariseOnWorkers(_script: string, _sidecars: readonly string[], _pool: StringPool, _sink: SummariseSink): SummariseRun | undefined {
  return undefined;
}
