// Pre-annotation from the configuration's gazetteers and patterns (as suggestions), and building a
// gazetteer from what the corpus already has annotated. The same core functions as the CLI's
// `corpus-annotator suggest` and `corpus-annotator gazetteer`.
import * as vscode from 'vscode';
import { buildGazetteer } from '../core/suggest/build-gazetteer';
import { CONFIG_FILE, suggestionsConfig } from '../core/config/config';
import { Gazetteer, parseGazetteer } from '../core/suggest/gazetteer';
import { baseName, Sidecar } from '../core/model/model';
import { parsePatterns, PatternSet } from '../core/suggest/patterns';
import { Problem } from '../core/model/problems';
import { suggestForArticle, SuggestionSources } from '../core/suggest/suggest';
import { Corpus } from './corpus';
import { LabelService } from './labels';
import { registerCommand } from './register-command';
import { suggestInArticles } from './suggest-many';
import { hostPatternRunner } from './pattern-host';
import { DocumentMatches, PATTERN_BUDGET_MS } from '../core/suggest/pattern-runner';
import { mayRunRepositoryFiles, TrustHost } from './trust-gate';
import { workspaceTrustHost } from './workspace-trust';
import { AnnotationStore } from './store';

/** Arguments the palette never passes; tests and other extensions may. */
interface SuggestArgs {
  /** Only this article (a URI string); otherwise asked, or the whole corpus. */
  article?: string;
  scope?: 'article' | 'corpus';
}

interface BuildArgs {
  /** Where to write the gazetteer (a URI string); otherwise asked. */
  target?: string;
}

export class GazetteerCommands implements vscode.Disposable {
  private readonly disposables: vscode.Disposable[] = [];

  constructor(
    private readonly store: AnnotationStore,
    private readonly corpus: Corpus,
    private readonly labels: LabelService,
    private readonly log: vscode.LogOutputChannel,
    /** Where dist/pattern-worker.js is (the extension's folder). */
    private readonly extensionUri: vscode.Uri,
    private readonly trust: TrustHost = workspaceTrustHost,
  ) {
    const reg = (id: string, f: (...args: never[]) => unknown) => this.disposables.push(registerCommand(log, id, f));
    reg('suggestFromGazetteers', (args?: SuggestArgs) => this.suggest(args ?? {}));
    reg('buildGazetteer', (args?: BuildArgs) => this.build(args ?? {}));
  }

  /** Adds suggestions from the configured gazetteers and patterns; returns how many. */
  private async suggest(args: SuggestArgs): Promise<number> {
    const active = vscode.window.activeTextEditor?.document.uri;
    const named = typeof args.article === 'string' ? vscode.Uri.parse(args.article) : undefined;
    const folder = vscode.workspace.getWorkspaceFolder(named ?? active ?? vscode.Uri.file('/')) ?? vscode.workspace.workspaceFolders?.[0];
    if (!folder) return 0;
    if (!mayRunRepositoryFiles(this.trust, 'suggesting entities')) {
      this.log.info('suggest: not run, the workspace is not trusted (Restricted Mode)');
      return 0;
    }
    const sources = await this.loadSources(folder);
    if (!sources) return 0;

    await this.corpus.ready();
    let scope = args.scope ?? (named ? 'article' : undefined);
    const inCorpus = this.corpus.list().filter((u) => vscode.workspace.getWorkspaceFolder(u)?.uri.toString() === folder.uri.toString());
    const here = named ?? (active && this.corpus.has(active) ? active : undefined);
    if (!scope) {
      if (!here) scope = 'corpus';
      else {
        const pick = await vscode.window.showQuickPick([
          { label: `This article: ${baseName(here.path)}`, scope: 'article' as const },
          { label: `The whole corpus: ${inCorpus.length} documents`, scope: 'corpus' as const },
        ], { title: 'Suggest entities from gazetteers and patterns in…' });
        if (!pick) return 0;
        scope = pick.scope;
      }
    }
    const articles = scope === 'article' && here ? [here] : inCorpus;
    const truncated = new Set<string>();
    const timedOut: string[] = [];
    const patterns = (sources.patterns ?? []).flatMap((set) => set.patterns);
    // Off the host's thread (a worker thread, or a Web Worker in a browser): a runaway regex is stopped, not waited for.
    const runner = patterns.length ? await hostPatternRunner(this.extensionUri) : undefined;
    let result;
    try {
      result = await suggestInArticles(this.store, articles,
        { title: 'Suggesting entities', description: 'suggest from gazetteers and patterns', notify: true },
        (s, article, matches: DocumentMatches | undefined) => {
          const r = suggestForArticle(s, article, sources, matches ? { patternMatches: matches.matches } : {});
          for (const t of r.truncated) truncated.add(t);
          return r;
        },
        runner && (async (text, uri) => {
          const m = await runner.run(patterns, text);
          for (const p of m.timedOut) {
            const what = `pattern ${p.name} timed out on ${baseName(uri.path)} (over ${PATTERN_BUDGET_MS} ms), skipped`;
            this.log.warn(what);
            timedOut.push(what);
          }
          return m;
        }));
    } finally {
      runner?.close();
    }
    const { added: total, documents: docs, skipped, failed } = result;
    const names = [...(sources.gazetteers ?? []).map((g) => g.name), ...(sources.patterns ?? []).map((p) => p.file)].join(', ');
    this.log.info(`suggest from ${names}: ${total} suggestion(s) in ${docs} of ${articles.length} document(s)${skipped.length ? `; skipped ${skipped.join(', ')}` : ''}`);
    const notes = [
      skipped.length ? `Skipped (sidecar has errors or cannot be read): ${skipped.join(', ')}.` : '',
      failed.length ? `Not saved (see the error): ${failed.join(', ')}.` : '',
      truncated.size ? `Stopped early (too many matches): ${[...truncated].join(', ')}.` : '',
      timedOut.length ? `${timedOut.length === 1 ? timedOut[0] : `${timedOut.length} pattern runs timed out and were skipped (see the log), e.g. ${timedOut[0]}`}.` : '',
    ].filter(Boolean).join(' ');
    void vscode.window.showInformationMessage(
      total > 0
        ? `${total} suggestion${total === 1 ? '' : 's'} from ${names} in ${docs} document${docs === 1 ? '' : 's'}, shown dotted and under "Suggestions" in the sidebar. ${notes}`
        : `No new suggestion from ${names}: every match is annotated or suggested already. ${notes}`,
    );
    return total;
  }

  /** Reads the configured gazetteer and pattern files; explains what is missing or wrong. */
  private async loadSources(folder: vscode.WorkspaceFolder): Promise<SuggestionSources | undefined> {
    const config = this.labels.configFor(folder.uri);
    const sc = suggestionsConfig(config);
    const configUri = vscode.Uri.joinPath(folder.uri, CONFIG_FILE);
    if (sc.gazetteers.length === 0 && sc.patterns.length === 0) {
      void vscode.window.showWarningMessage(
        `No gazetteer or pattern file is configured. Add them to ${CONFIG_FILE}, e.g. \`suggestions: {gazetteers: [gazetteer.tsv], patterns: [patterns.yaml]}\`, or build a gazetteer from the annotations first.`,
        'Open Configuration', 'Build Gazetteer…',
      ).then(async (choice) => {
        if (choice === 'Open Configuration') await vscode.window.showTextDocument(configUri);
        if (choice === 'Build Gazetteer…') await vscode.commands.executeCommand('corpusAnnotator.buildGazetteer');
      });
      return undefined;
    }
    const labels = new Set(config.labels.map((l) => l.name));
    const gazetteers: Gazetteer[] = [];
    const patterns: PatternSet[] = [];
    const problems: Array<{ uri: vscode.Uri; problem: Problem }> = [];
    for (const [kind, rel] of [...sc.gazetteers.map((p) => ['gazetteer', p] as const), ...sc.patterns.map((p) => ['patterns', p] as const)]) {
      const uri = vscode.Uri.joinPath(folder.uri, rel);
      let text: string;
      try {
        text = new TextDecoder('utf-8', { fatal: true }).decode(await vscode.workspace.fs.readFile(uri));
      } catch (e) {
        this.log.error(`cannot read ${uri.toString()}: ${e instanceof Error ? e.message : String(e)}`);
        void vscode.window.showErrorMessage(
          `Nothing was suggested: cannot read the ${kind === 'gazetteer' ? 'gazetteer' : 'pattern file'} ${rel} named in ${CONFIG_FILE} (${e instanceof vscode.FileSystemError && e.code === 'FileNotFound' ? 'no such file' : e instanceof Error ? e.message : String(e)}).`,
          'Open Configuration',
        ).then(async (choice) => {
          if (choice) await vscode.window.showTextDocument(configUri);
        });
        return undefined;
      }
      if (kind === 'gazetteer') {
        const parsed = parseGazetteer(text, baseName(uri.path), { labels });
        gazetteers.push(parsed.gazetteer);
        problems.push(...parsed.problems.map((problem) => ({ uri, problem })));
      } else {
        const parsed = parsePatterns(text, baseName(uri.path), { labels });
        patterns.push(parsed.set);
        problems.push(...parsed.problems.map((problem) => ({ uri, problem })));
      }
    }
    const errors = problems.filter((p) => p.problem.severity === 'error');
    for (const { uri, problem } of problems) this.log.warn(`${vscode.workspace.asRelativePath(uri)}:${problem.line}:${problem.column}: ${problem.message}`);
    const first = errors[0];
    if (first) {
      // As `corpus-annotator suggest`: a source with an error suggests nothing, so a typo never
      // turns into hundreds of wrong suggestions.
      void vscode.window.showErrorMessage(
        `Nothing was suggested: ${errors.length} error${errors.length === 1 ? '' : 's'} in the suggestion sources; first: ${vscode.workspace.asRelativePath(first.uri)}, line ${first.problem.line}: ${first.problem.message}`,
        'Open File', 'Show Log',
      ).then(async (choice) => {
        if (choice === 'Open File') {
          const editor = await vscode.window.showTextDocument(first.uri);
          const pos = new vscode.Position(Math.max(0, first.problem.line - 1), Math.max(0, first.problem.column - 1));
          editor.selection = new vscode.Selection(pos, pos);
          editor.revealRange(new vscode.Range(pos, pos));
        }
        if (choice === 'Show Log') this.log.show();
      });
      return undefined;
    }
    return { gazetteers, patterns, match: sc.match };
  }

  /** Writes a gazetteer of every annotated surface form (most frequent label wins); returns its URI. */
  private async build(args: BuildArgs): Promise<string | undefined> {
    await this.corpus.ready();
    const folder = vscode.workspace.workspaceFolders?.[0];
    if (!folder) return undefined;
    const docs: Array<{ path: string; sidecar: Sidecar }> = [];
    for (const uri of this.corpus.list()) {
      const ann = await this.store.load(uri);
      if (ann.kind === 'ok') docs.push({ path: vscode.workspace.asRelativePath(uri), sidecar: ann.sidecar });
    }
    const built = buildGazetteer(docs);
    let target = typeof args.target === 'string' ? vscode.Uri.parse(args.target) : undefined;
    if (!target) {
      target = await vscode.window.showSaveDialog({
        defaultUri: vscode.Uri.joinPath(folder.uri, 'gazetteer.tsv'),
        filters: { 'Gazetteer (TSV)': ['tsv'] },
        title: `Save the gazetteer of ${built.entries.length} surface forms`,
      });
      if (!target) return undefined;
    }
    await vscode.workspace.fs.writeFile(target, new TextEncoder().encode(built.tsv));
    for (const c of built.conflicts) {
      this.log.info(`gazetteer: "${c.surface}" annotated as ${Object.entries(c.labels).map(([l, n]) => `${l} ×${n}`).join(', ')}: ${c.chosen}${c.tie ? ' (tie)' : ''} kept`);
    }
    const rel = vscode.workspace.asRelativePath(target);
    const conflicts = built.conflicts.length;
    void vscode.window.showInformationMessage(
      `Gazetteer ${rel}: ${built.entries.length} surface forms from ${built.entities} entities in ${built.documents} documents` +
      `${conflicts ? `; ${conflicts} annotated with several labels (the most frequent kept, see the log)` : ''}. Name it under \`suggestions: gazetteers:\` in ${CONFIG_FILE} to suggest from it.`,
      ...(conflicts ? ['Show Conflicts'] : []), 'Open Gazetteer',
    ).then(async (choice) => {
      if (choice === 'Show Conflicts') this.log.show();
      if (choice === 'Open Gazetteer' && target) await vscode.window.showTextDocument(target);
    });
    return target.toString();
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
  }
}
