// Imports: readers of other tools' files into spans in code points, the matching of their
// documents with the corpus's articles, and the merge into sidecars.
export * from './common';
export { parseBrat } from './brat';
export { CONLL_SCHEMES, ConllScheme, detokenize, parseConll } from './conll';
export { parseDoccanoLine } from './doccano';
export { parseJsonlLine } from './jsonl';
export { parseLabelStudio } from './labelstudio';
export { ArticleMatcher, Candidate, MatchResult } from './match';
export { Conflict, mergeImported, MergeOptions, MergeResult } from './merge';
