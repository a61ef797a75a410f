// The extension's settings, read into one typed snapshot and normalised.
import * as vscode from 'vscode';
import { MatchOptions } from '../core/suggest/occurrences';
import { SnapOptions } from '../core/text/snap';

export interface Settings {
  /** Recorded as `by:` on new entities; empty = not recorded. */
  annotator: string;
  snap: SnapOptions;
  /** How tag all occurrences matches the surface form. */
  match: MatchOptions;
}

export function readSettings(scope?: vscode.Uri): Settings {
  const c = vscode.workspace.getConfiguration('corpusAnnotator', scope);
  const annotator = c.get<unknown>('annotator');
  return {
    annotator: typeof annotator === 'string' ? annotator.trim() : '',
    snap: {
      expandWords: c.get<boolean>('snapSelection', true) !== false,
      frenchElision: c.get<boolean>('frenchElision', true) !== false,
    },
    match: {
      caseSensitive: c.get<boolean>('occurrences.caseSensitive', false) === true,
      diacriticSensitive: c.get<boolean>('occurrences.diacriticSensitive', false) === true,
      wholeWord: c.get<boolean>('occurrences.wholeWord', true) !== false,
    },
  };
}
