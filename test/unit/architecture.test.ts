// Guards of the architecture: src/core is pure (no VS Code, no Node built-ins, so the CLI, the
// unit tests and a browser extension host can all use it), and the shipped demo data is canonical.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { decodeArticle } from '../../src/core/model/article';
import { readConfig } from '../../src/core/config/config';
import { articlePathOf } from '../../src/core/model/model';
import { readSidecar } from '../../src/core/sidecar/sidecar-read';
import { writeSidecar } from '../../src/core/sidecar/sidecar-write';
import { validateAgainstArticle } from '../../src/core/sidecar/validate';
import { DEMO_CORPUS, REPO_ROOT } from './helpers/corpus';

const NODE_BUILTINS = new Set(['fs', 'path', 'os', 'crypto', 'child_process', 'util', 'stream', 'buffer', 'url', 'events', 'net', 'http', 'https', 'zlib', 'worker_threads']);

describe('architecture', () => {
  it('src/core imports neither vscode nor Node built-ins', () => {
    const dir = path.join(REPO_ROOT, 'src', 'core');
    const offenders: string[] = [];
    for (const f of (fs.readdirSync(dir, { recursive: true }) as string[]).filter((n) => n.endsWith('.ts'))) {
      const src = fs.readFileSync(path.join(dir, f), 'utf8');
      for (const m of src.matchAll(/(?:from\s+|require\(\s*|import\(\s*)['"]([^'"]+)['"]/g)) {
        const spec = m[1] as string;
        if (spec === 'vscode' || spec.startsWith('node:') || NODE_BUILTINS.has(spec)) offenders.push(`${f}: ${spec}`);
      }
    }
    assert.deepEqual(offenders, []);
  });

  it('every demo sidecar is canonical, valid and matches its article', () => {
    const { config, problems } = readConfig(fs.readFileSync(path.join(DEMO_CORPUS, '.corpus-annotator.yaml'), 'utf8'));
    assert.deepEqual(problems, []);
    const sidecars = fs.readdirSync(DEMO_CORPUS).filter((f) => f.endsWith('.ann.yaml'));
    assert.equal(sidecars.length, 5);
    for (const f of sidecars) {
      const src = fs.readFileSync(path.join(DEMO_CORPUS, f), 'utf8');
      const parsed = readSidecar(src);
      assert.deepEqual(parsed.problems, [], f);
      assert.ok(parsed.sidecar);
      assert.equal(writeSidecar(parsed.sidecar), src, `${f} is canonical`);
      const article = decodeArticle(fs.readFileSync(path.join(DEMO_CORPUS, articlePathOf(f))));
      assert.equal(parsed.sidecar.sha256, article.sha256, `${f} sha256`);
      const issues = validateAgainstArticle(parsed.sidecar, article, { labels: new Set(config.labels.map((l) => l.name)), overlap: config.overlap });
      assert.deepEqual(issues, [], f);
    }
  });
});
