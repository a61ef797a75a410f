// What reading a sidecar gives back, whichever reader read it (sidecar-read.ts's full and segmented
// readers, sidecar-fast-read.ts's canonical one). Its own module, below the readers, so the fast
// reader need not import the module that calls it (the two used to import each other).
import type { Sidecar } from '../model/model';
import type { Problem } from '../model/problems';

export interface ParsedSidecar {
  /** The model, when the file is structurally sound (no error among `problems`). */
  sidecar?: Sidecar;
  problems: Problem[];
  /** 1-based line where each entity starts, by id, for positioning later problems. */
  entityLines: Map<string, number>;
  /** 1-based line of each top-level key. */
  keyLines: Map<string, number>;
}
