// The extension's settings, read into one typed snapshot and normalised.
import * as vscode from 'vscode';
import { MatchOptions } from '../core/suggest/occurrences';
import { DEFAULT_MIN_SCORE } from '../core/suggest/recommender/likely-errors';
import { SnapOptions } from '../core/text/snap';

/** Find Likely Annotation Errors checks held out by default: a model trained on a document has learnt its slips. */
export const DEFAULT_CHECK_FOLDS = 5;

export interface Settings {
  /** Recorded as `by:` on new entities; empty = not recorded. */
  annotator: string;
  snap: SnapOptions;
  /** How tag all occurrences matches the surface form. */
  match: MatchOptions;
  likelyErrors: {
    /** Findings scoring less are not shown. */
    minScore: number;
    /** 2 or more: each document checked by a model trained on the others (that many folds); else the model file. */
    folds: number;
  };
}

export function readSettings(scope?: vscode.Uri): Settings {
  const c = vscode.workspace.getConfiguration('corpusAnnotator', scope);
  const annotator = c.get<unknown>('annotator');
  const minScore = c.get<unknown>('likelyErrors.minScore');
  const folds = c.get<unknown>('likelyErrors.folds');
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
    likelyErrors: {
      // Out-of-range values (a hand-edited settings.json) fall back to the defaults rather than hide every finding.
      minScore: typeof minScore === 'number' && minScore >= 0 && minScore <= 1 ? minScore : DEFAULT_MIN_SCORE,
      folds: typeof folds === 'number' && Number.isInteger(folds) && folds >= 0 ? folds : DEFAULT_CHECK_FOLDS,
    },
  };
}
