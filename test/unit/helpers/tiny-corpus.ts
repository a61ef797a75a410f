// A tiny corpus the recommender can learn: articles built from sentence templates, with their
// entities where the names were put.
import { TrainingDoc } from '../../../src/core/suggest/recommender/data';

export const PEOPLE = ['Dupont', 'Martin', 'Lefèvre', 'Bernard', 'Durand', 'Moreau'];
export const PLACES = ['Rennes', 'Brest', 'Nantes', 'Quimper', 'Vannes', 'Lorient'];

/** Articles built from sentence templates, their entities where the names were put. */
export function tinyCorpus(docs: number, sentences = 6): TrainingDoc[] {
  const out: TrainingDoc[] = [];
  for (let d = 0; d < docs; d++) {
    let text = '';
    const entities: Array<{ start: number; end: number; label: string }> = [];
    const put = (s: string, label?: string) => {
      const start = [...text].length;
      text += s;
      if (label) entities.push({ start, end: start + [...s].length, label });
    };
    for (let s = 0; s < sentences; s++) {
      const who = PEOPLE[(d * 7 + s) % PEOPLE.length] as string;
      const where = PLACES[(d * 5 + s * 3) % PLACES.length] as string;
      put('Hier, M. ');
      put(who, 'PER');
      put(' est arrivé à ');
      put(where, 'LOC');
      put(s % 2 ? ' pour la fête. ' : ' avec la Compagnie des Tramways. ');
    }
    out.push({ name: `d${d}.txt`, text, entities });
  }
  return out;
}
