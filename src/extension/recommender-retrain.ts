// When to retrain in the background: after every N annotations the annotator made (tagged or
// accepted: an entity id that becomes a non-suggestion). No `vscode` import: unit-tested alone.
// Only counting lives here; retraining itself only rewrites the model file, it never labels.
import { Entity } from '../core/model/model';

export class AnnotationCounter {
  /** Per article (URI string), the ids of its annotations when last seen. */
  private readonly known = new Map<string, Set<string>>();
  private count = 0;

  /**
   * Records an article's entities after a change; returns how many annotations are new since it
   * was last seen. The first sight of an article counts nothing (loading is not annotating).
   */
  observe(article: string, entities: readonly Entity[]): number {
    const ids = new Set(entities.filter((e) => e.suggested !== true).map((e) => e.id));
    const before = this.known.get(article);
    this.known.set(article, ids);
    if (!before) return 0;
    let added = 0;
    for (const id of ids) if (!before.has(id)) added++;
    this.count += added;
    return added;
  }

  forget(article: string): void {
    this.known.delete(article);
  }

  /** True (and the count restarts) once `every` annotations have been made since the last time; never when `every` < 1. */
  due(every: number): boolean {
    if (!(every >= 1) || this.count < every) return false;
    this.count = 0;
    return true;
  }

  get pending(): number {
    return this.count;
  }
}
