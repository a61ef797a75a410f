// The browser's web worker host has no local files: everything is read through workspace.fs
// (see read-file.ts). esbuild.js puts this file in place of ./local-read there.
import type { LocalReader } from './platform';

export const localReader: LocalReader | undefined = undefined;
