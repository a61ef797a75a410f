// Comparing document summaries in tests, order included.
import { DocumentSummary } from '../../../src/core/corpus/corpus-index';

/** A summary with its maps and typed arrays as ordered arrays (assert compares maps unordered). */
export function ordered(s: DocumentSummary): unknown {
  const m = s.mentions;
  return {
    keys: Object.keys(s),
    ...s,
    labels: [...s.labels],
    annotators: s.annotators && [...s.annotators],
    suggestionSources: s.suggestionSources && [...s.suggestionSources],
    mentions: m && { keys: Object.keys(m), ...m, idEnds: [...m.idEnds], starts: [...m.starts], ends: [...m.ends], suggested: [...m.suggested], links: m.links && [...m.links] },
  };
}
