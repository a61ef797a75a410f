// The browser's web worker host has no local files: sidecars are written through workspace.fs
// (see writeAtomically in store.ts). esbuild.js puts this file in place of ./local-write there.
import type { LocalWriter } from './platform';

export const localWriter: LocalWriter | undefined = undefined;
