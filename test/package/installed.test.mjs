// What a user installs, tested as installed: the README's "Install" section followed literally.
// - The extension: `npm run package` builds corpus-annotator-<version>.vsix; code-server installs it
//   (`--install-extension`, a fresh extensions dir) and the real workbench uses that copy — no
//   development path — in the Node extension host and in the web worker host.
// - The command-line tool: `npm pack`, then in an empty folder `npm install <tgz>` and
//   `npx corpus-annotator …`, with no development dependency at run time.
import { strict as assert } from 'node:assert';
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DEMO_CORPUS, REPO_ROOT } from '../host/paths.mjs';
import { useWorkbench, waitForFile } from '../e2e/support.mjs';

const PKG = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8'));
const VSIX = path.join(REPO_ROOT, `${PKG.name}-${PKG.version}.vsix`);
const ARTICLE = '003_3e55259b9cbe4b4c.txt';
const NAME = 'Abdellatif Hammouchi';
/** Its first occurrence in the article, in code points (Python: text.find(NAME)). */
const START = 5547;

/** Runs npm as a user types it; output kept for the failure message. */
function npm(args, cwd) {
  const r = spawnSync('npm', args, { cwd, encoding: 'utf8', env: { ...process.env, npm_config_audit: 'false', npm_config_fund: 'false', npm_config_update_notifier: 'false' } });
  if (r.status !== 0) throw new Error(`npm ${args.join(' ')} (in ${cwd}) exited ${r.status}:\n${r.stdout}\n${r.stderr}`);
  return r.stdout;
}

/** Entry names of a .vsix (a zip), read with Python's zipfile (python3 is a CI package already). */
function vsixEntries(file) {
  const out = execFileSync('python3', ['-c', 'import sys, zipfile; print("\\n".join(zipfile.ZipFile(sys.argv[1]).namelist()))', file], { encoding: 'utf8' });
  return out.split('\n').filter(Boolean).sort();
}

describe('package: the .vsix as a user installs it', function () {
  before(function () {
    fs.rmSync(VSIX, { force: true });
    npm(['run', 'package'], REPO_ROOT);
    assert.ok(fs.existsSync(VSIX), `npm run package made no ${path.basename(VSIX)}`);
    console.log(`      ${path.basename(VSIX)}: ${(fs.statSync(VSIX).size / 1024).toFixed(1)} KB`);
  });

  it('holds exactly what VS Code loads', function () {
    const files = vsixEntries(VSIX).filter((f) => f.startsWith('extension/'));
    assert.deepEqual(files, [
      'extension/LICENSE.txt',
      'extension/changelog.md',
      'extension/dist/expected-gain-worker.js',
      'extension/dist/extension.js',
      'extension/dist/likely-errors-worker.js',
      'extension/dist/pattern-worker.js',
      'extension/dist/recommender-worker.js',
      'extension/dist/summarise-worker.js',
      'extension/dist/web/extension.js',
      'extension/dist/web/pattern-worker.js',
      'extension/dist/web/recommender-worker.js',
      'extension/media/annotations.svg',
      'extension/media/icon.png',
      'extension/media/screenshot.png',
      'extension/media/suggestions.png',
      'extension/media/walkthrough/commit.md',
      'extension/media/walkthrough/export.md',
      'extension/media/walkthrough/labels.md',
      'extension/media/walkthrough/open-folder.md',
      'extension/package.json',
      'extension/readme.md',
      'extension/schemas/config.schema.json',
      'extension/schemas/sidecar.schema.json',
    ]);
    // Both entries the manifest names are in it, and every file it references.
    const walkthroughMedia = PKG.contributes.walkthroughs.flatMap((w) => w.steps.map((s) => s.media.image ?? s.media.markdown));
    for (const ref of [PKG.main, PKG.browser, PKG.icon, ...PKG.contributes.yamlValidation.map((v) => v.url), ...walkthroughMedia]) {
      assert.ok(files.includes(`extension/${path.posix.normalize(ref)}`), `${ref} is referenced by package.json but not packaged`);
    }
  });

  describe('installed into the real VS Code, Node extension host', function () {
    const session = useWorkbench({ vsix: () => VSIX, failurePrefix: 'FAILED-package-' });

    it('is the installed copy, and Ctrl+Alt+1 writes the right sidecar line', async function () {
      const { wb, page, folder, server } = session;
      const installed = fs.readdirSync(path.join(server.stateDir, 'extensions')).filter((d) => d.startsWith(`${PKG.publisher}.${PKG.name}-`));
      assert.deepEqual(installed, [`${PKG.publisher}.${PKG.name}-${PKG.version}`]);
      assert.ok(!fs.lstatSync(path.join(server.stateDir, 'extensions', installed[0])).isSymbolicLink(), 'a copy, not a link to the repo');

      const sidecar = path.join(folder, `${ARTICLE}.ann.yaml`);
      await wb.openFile(ARTICLE);
      await wb.selectText(NAME);
      await page.keyboard.press('Control+Alt+1');
      const line = new RegExp(`^  - \\{id: [0-9a-z]+, label: PER, start: ${START}, end: ${START + [...NAME].length}, text: "${NAME}"`, 'm');
      await waitForFile(sidecar, (content) => (line.test(content) ? true : undefined));
      await wb.waitForDecoration(NAME);

      await wb.runCommand('Output: Show Output Channels...');
      await wb.pickQuickPick('Corpus Annotator');
      await page.locator('.output-view .view-lines', { hasText: `Corpus Annotator ${PKG.version} activated in the Node.js extension host` }).first().waitFor({ timeout: 15_000 });
    });
  });

  describe('installed into the real VS Code, web worker extension host', function () {
    const session = useWorkbench({
      vsix: () => VSIX,
      settings: { 'remote.extensionKind': { [`${PKG.publisher}.${PKG.name}`]: ['web'] } },
      failurePrefix: 'FAILED-package-web-',
    });

    it('loads the packaged browser entry and tags from the palette', async function () {
      const { wb, page, folder } = session;
      const sidecar = path.join(folder, `${ARTICLE}.ann.yaml`);
      await wb.openFile(ARTICLE);
      await wb.selectText(NAME);
      await wb.runCommand('Corpus Annotator: Tag Selection As…');
      await wb.pickQuickPick('PER');
      const line = new RegExp(`^  - \\{id: [0-9a-z]+, label: PER, start: ${START}, end: ${START + [...NAME].length}, text: "${NAME}"`, 'm');
      await waitForFile(sidecar, (content) => (line.test(content) ? true : undefined));
      await wb.runCommand('Output: Show Output Channels...');
      await wb.pickQuickPick('Corpus Annotator');
      await page.locator('.output-view .view-lines', { hasText: `Corpus Annotator ${PKG.version} activated in the browser's web worker extension host` }).first().waitFor({ timeout: 15_000 });
    });
  });
});

describe('package: the command-line tool from its npm package', function () {
  /** @type {string} */
  let tmp;
  /** @type {string} */
  let project;

  before(function () {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'corpus-annotator-pack-'));
    npm(['pack', '--pack-destination', tmp], REPO_ROOT);
    project = path.join(tmp, 'researcher');
    fs.mkdirSync(project);
    // As the README says: an empty folder, install the tarball.
    npm(['init', '-y'], project);
    npm(['install', '--prefer-offline', path.join(tmp, `${PKG.name}-${PKG.version}.tgz`)], project);
  });

  after(function () {
    if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('installs the bin and only the run-time dependency', function () {
    const installed = fs.readdirSync(path.join(project, 'node_modules')).filter((d) => !d.startsWith('.')).sort();
    assert.deepEqual(installed, [PKG.name, ...Object.keys(PKG.dependencies)].sort());
    const packed = fs.readdirSync(path.join(project, 'node_modules', PKG.name, 'dist'));
    assert.deepEqual(packed.filter((f) => f.endsWith('.js')), ['cli.js'], 'the CLI package holds the CLI, not the extension bundles');
  });

  it('`npx corpus-annotator --version` prints package.json\'s version', function () {
    const out = execFileSync('npx', ['--no-install', 'corpus-annotator', '--version'], { cwd: project, encoding: 'utf8' });
    assert.equal(out.trim(), PKG.version);
  });

  it('`npx corpus-annotator validate <corpus>` checks the demo corpus', function () {
    const corpus = path.join(tmp, 'corpus');
    fs.cpSync(DEMO_CORPUS, corpus, { recursive: true });
    const r = spawnSync('npx', ['--no-install', 'corpus-annotator', 'validate', corpus], { cwd: project, encoding: 'utf8' });
    assert.equal(r.status, 0, `${r.stdout}\n${r.stderr}`);
    assert.match(r.stdout + r.stderr, /^5 sidecars checked: 0 with errors/m);
  });
});
