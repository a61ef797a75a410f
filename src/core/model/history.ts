// Undo/redo of annotation edits, separate from the editor's text undo: a mis-tag can be taken
// back without touching the text. Snapshots are whole values (sidecars are immutable here).

export class History<T> {
  private readonly undos: T[] = [];
  private readonly redos: T[] = [];

  constructor(private readonly limit = 200) {}

  /** Records the state before a change. */
  push(before: T): void {
    this.undos.push(before);
    if (this.undos.length > this.limit) this.undos.shift();
    this.redos.length = 0;
  }

  /** The state to go back to, given the current one (which becomes redoable). */
  undo(current: T): T | undefined {
    const prev = this.undos.pop();
    if (prev !== undefined) this.redos.push(current);
    return prev;
  }

  redo(current: T): T | undefined {
    const next = this.redos.pop();
    if (next !== undefined) this.undos.push(current);
    return next;
  }

  get canUndo(): boolean { return this.undos.length > 0; }
  get canRedo(): boolean { return this.redos.length > 0; }

  /** Rewrites every stored state, e.g. to shift offsets after the text was edited. */
  map(f: (t: T) => T): void {
    for (let i = 0; i < this.undos.length; i++) this.undos[i] = f(this.undos[i] as T);
    for (let i = 0; i < this.redos.length; i++) this.redos[i] = f(this.redos[i] as T);
  }

  clear(): void {
    this.undos.length = 0;
    this.redos.length = 0;
  }
}
