// Hover over an entity: its label (with the key that tags it), text, id, note, attributes and
// provenance, and links to the commands that change it. Nested entities are all listed, innermost first.
import * as vscode from 'vscode';
import { LabelConfig } from '../core/config/config';
import { entitiesAt } from '../core/model/edits';
import { Entity } from '../core/model/model';
import { EntityRef, keyHint } from './commands';
import { LabelService } from './labels';
import { toCodePoint, toRange } from './positions';
import { ANNOTATABLE_SCHEMES, AnnotationStore } from './store';

/** The commands the hover links to; the only ones its trusted markdown may run. */
const HOVER_COMMANDS = {
  changeLabel: 'corpusAnnotator.changeLabel',
  editNote: 'corpusAnnotator.editNote',
  remove: 'corpusAnnotator.removeTag',
  link: 'corpusAnnotator.linkEntity',
  tagAll: 'corpusAnnotator.tagAllOccurrences',
  tagAllInCorpus: 'corpusAnnotator.tagAllOccurrencesInCorpus',
  accept: 'corpusAnnotator.acceptSuggestion',
  reject: 'corpusAnnotator.rejectSuggestion',
  acceptAll: 'corpusAnnotator.acceptAllSuggestions',
} as const;

export class EntityHover implements vscode.HoverProvider, vscode.Disposable {
  private readonly registration: vscode.Disposable;

  constructor(private readonly store: AnnotationStore, private readonly labels: LabelService) {
    // Articles on disk, locally or through a remote; the language does not matter (.txt, .md…).
    this.registration = vscode.languages.registerHoverProvider([...ANNOTATABLE_SCHEMES].map((scheme) => ({ scheme })), this);
  }

  provideHover(doc: vscode.TextDocument, position: vscode.Position): vscode.Hover | undefined {
    // Only what is already loaded and usable: a hover never triggers a load, nor shows stale data.
    const ann = this.store.get(doc.uri);
    if (!ann || ann.kind !== 'ok' || ann.sidecar.entities.length === 0) return undefined;
    const at = toCodePoint(doc, ann.offsets, position);
    // Under the cursor = covering the character at `at` (entitiesAt also counts touching the end).
    const hits = entitiesAt(ann.sidecar, at).filter((e) => at < e.end);
    const innermost = hits[0];
    if (!innermost) return undefined;
    const config = this.labels.configFor(doc.uri);
    const md = entityMarkdown(hits, doc.uri, config);
    return new vscode.Hover(md, toRange(doc, ann.offsets, innermost));
  }

  dispose(): void {
    this.registration.dispose();
  }
}

/** The hover's content for entities of one article, innermost first, separated by rules. */
function entityMarkdown(entities: readonly Entity[], article: vscode.Uri, config: LabelConfig): vscode.MarkdownString {
  const md = new vscode.MarkdownString('', false);
  md.isTrusted = { enabledCommands: Object.values(HOVER_COMMANDS) };
  md.supportHtml = true; // only for the label's colour swatch; every user-provided string is escaped
  md.appendMarkdown(entities.map((e) => entitySection(e, article.toString(), config)).join('\n\n---\n\n'));
  return md;
}

function entitySection(e: Entity, article: string, config: LabelConfig): string {
  const def = config.labels.find((l) => l.name === e.label);
  const swatch = def && /^#[0-9a-fA-F]{3,8}$/.test(def.color) ? `<span style="color:${def.color};">■</span> ` : '';
  const key = def?.key !== undefined ? ` · ${keyHint(def.key)}` : '';
  const lines: string[] = [];
  const kind = e.suggested === true ? '💡 Suggestion: ' : '';
  lines.push(`${kind}${swatch}**${escapeMarkdown(e.label)}**${key}${def ? '' : ' · _not in the label configuration_'}&nbsp;&nbsp;${codeSpan(e.text)}`);
  if (def?.description) lines.push(`_${escapeMarkdown(def.description)}_`);
  const meta = [`id ${codeSpan(e.id)}`];
  if (e.by !== undefined) meta.push(`by ${escapeMarkdown(e.by)}`);
  if (e.src !== undefined) meta.push(`src ${escapeMarkdown(e.src)}`);
  lines.push(meta.join(' · '));
  if (e.note !== undefined && e.note !== '') lines.push(`Note: ${escapeMarkdown(e.note)}`);
  // A curation's proposals say who made them (corpus-annotator curate, Curate Annotations From…).
  const curated = e.src === 'curated' ? (e.suggested === true ? e.attrs?.from : e.attrs?.agreed) : undefined;
  if (curated !== undefined) lines.push(e.suggested === true ? `Proposed by **${escapeMarkdown(curated.split(',').join(', '))}** (curation)` : `Agreed by ${escapeMarkdown(curated.split(',').join(', '))}`);
  // A recommender's suggestion (Suggest with Recommender, `corpus-annotator suggest --model`) says how sure it is.
  const score = e.src?.startsWith('model:') ? e.attrs?.score : undefined;
  if (score !== undefined) lines.push(`Model score **${escapeMarkdown(score)}** (${escapeMarkdown(scoreMeaning(Number(score)))}: the model's probability that this span with this label is right)`);
  for (const [name, value] of Object.entries(e.attrs ?? {})) {
    if (curated !== undefined && (name === 'from' || name === 'agreed')) continue;
    if (score !== undefined && name === 'score') continue;
    lines.push(`${codeSpan(name)}: ${escapeMarkdown(value)}`);
  }
  const ref: EntityRef = { article, id: e.id };
  const args = encodeURIComponent(JSON.stringify([ref]));
  if (e.suggested === true) {
    lines.push([
      `[Accept](command:${HOVER_COMMANDS.accept}?${args} "Make this suggestion an annotation")`,
      `[Reject](command:${HOVER_COMMANDS.reject}?${args} "Remove this suggestion")`,
      `[Change label](command:${HOVER_COMMANDS.changeLabel}?${args} "Change the suggested label")`,
      `[Accept all in article](command:${HOVER_COMMANDS.acceptAll}?${encodeURIComponent(JSON.stringify([{ article }]))} "Accept every suggestion of this article")`,
    ].join(' · '));
    return lines.join('  \n');
  }
  lines.push([
    `[Change label](command:${HOVER_COMMANDS.changeLabel}?${args} "Change the label of this entity")`,
    `[Edit note](command:${HOVER_COMMANDS.editNote}?${args} "Add or edit this entity's note")`,
    `[Remove](command:${HOVER_COMMANDS.remove}?${args} "Remove this entity")`,
    `[Link…](command:${HOVER_COMMANDS.link}?${args} "Set the knowledge-base id and canonical name")`,
    `[Tag all occurrences](command:${HOVER_COMMANDS.tagAll}?${args} "Suggest the other occurrences of this text in the article")`,
  ].join(' · '));
  // Two trailing spaces: a line break inside one paragraph, so the section stays compact.
  return lines.join('  \n');
}

/** Words for a model score: the decision boundary is 0.5 (src/core/suggest/recommender/uncertainty.ts). */
function scoreMeaning(p: number): string {
  if (!Number.isFinite(p)) return 'unknown';
  if (p >= 0.8) return 'confident';
  if (p > 0.6) return 'fairly sure';
  if (p >= 0.4) return 'uncertain';
  return 'doubtful';
}

/** Escapes markdown (and inline HTML) syntax so user text shows literally. */
function escapeMarkdown(s: string): string {
  return s.replace(/[\\`*_{}[\]()#+\-.!|<>~&$]/g, '\\$&').replace(/\r?\n/g, '  \n');
}

/** A code span that shows `s` literally, whatever backticks it contains. */
function codeSpan(s: string): string {
  const flat = s.replace(/\r?\n/g, ' ');
  const longest = Math.max(0, ...(flat.match(/`+/g) ?? []).map((r) => r.length));
  const fence = '`'.repeat(longest + 1);
  const pad = flat.startsWith('`') || flat.endsWith('`') || longest > 0 ? ' ' : '';
  return `${fence}${pad}${flat}${pad}${fence}`;
}
