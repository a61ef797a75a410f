// Issue 22: the static check of patterns.yaml for regexes that may backtrack exponentially.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parsePatterns } from '../../src/core/suggest/patterns';
import { superLinearReason } from '../../src/core/suggest/regex-safety';

const REPO = path.resolve(__dirname, '../../..');

describe('regex safety (issue 22)', () => {
  it('flags nested quantifiers over overlapping atoms and repeated alternatives', () => {
    for (const bad of ['(a+)+', '(a*)*', '(a|a)*', '(\\w+\\s?)+$', '(?:a+)+b', '(a+){2,}', '((ab)*c)*', '(?<x>\\d+)*']) {
      assert.ok(superLinearReason(bad), bad);
    }
  });

  it('leaves linear ones alone: bounded repeats, escaped and class brackets, single quantifiers', () => {
    for (const good of ['\\d+', '(?:19|20)\\d{2}', '(a+)?', '[(]+', '\\(a+\\)+', '(ab|cd)+', '(?:[ab]){0,3}', 'a+b+c*', '[)(+*]+']) {
      assert.equal(superLinearReason(good), undefined, good);
    }
  });

  it('parsePatterns warns with the pattern, file line and the construct; the pattern is kept (it still runs under the budget)', () => {
    const r = parsePatterns("version: 1\npatterns:\n  - name: ok\n    label: DATE\n    regex: '\\d{4}'\n  - name: evil\n    label: MISC\n    regex: '(a+)+$'\n  - name: tok\n    label: MISC\n    tokens:\n      - {regex: '(x|x)*'}\n", 'patterns.yaml');
    assert.deepEqual(r.set.patterns.map((p) => p.name), ['ok', 'evil', 'tok']);
    assert.deepEqual(r.problems.map((p) => [p.severity, p.code, p.line]), [['warning', 'super-linear-regex', 8], ['warning', 'super-linear-regex', 12]]);
    assert.match(r.problems[0]?.message ?? '', /^pattern "evil": nested quantifier \(a\+\)\+ may take exponential time/);
  });

  it('does not flag the demo and example patterns', () => {
    for (const file of [path.join(REPO, 'examples/corpus/patterns.yaml')]) {
      const r = parsePatterns(fs.readFileSync(file, 'utf8'), 'patterns.yaml');
      assert.ok(r.set.patterns.length > 0);
      assert.deepEqual(r.problems, [], file);
    }
  });
});
