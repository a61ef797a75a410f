// `stats --html FILE --annotators A --annotators B…`: the dashboard's inter-annotator agreement
// (core/dashboard/dashboard-agreement.ts) from annotators' folders on disk. A sidecar's article is looked for
// in the annotators' folders first, then under the corpus paths given to stats.
import * as path from 'node:path';
import { AgreementFigures, annotatorFolders, AgreementSource, collectAgreement } from '../core/dashboard/dashboard-agreement';
import { Workspace } from './files';
import { describeFsError } from './io';

export async function annotatorAgreement(ws: Workspace, folders: readonly string[], corpusPaths: readonly string[], labelOrder: readonly string[]): Promise<AgreementFigures> {
  const annotators = annotatorFolders(folders);
  const roots = folders.map((f) => ws.resolve(f));
  const corpusDirs: string[] = [];
  for (const p of corpusPaths.length ? corpusPaths : ['.']) {
    const abs = ws.resolve(p);
    if (await ws.io.fs.stat(abs).then((s) => s.isDirectory(), () => false)) corpusDirs.push(abs);
  }
  const fsError = (e: unknown) => new Error(describeFsError(e));
  const source: AgreementSource = {
    async listSidecars(i) {
      const root = roots[i] as string;
      const isDir = await ws.io.fs.stat(root).then((s) => s.isDirectory(), (e: unknown) => {
        throw fsError(e);
      });
      if (!isDir) throw new Error('not a folder');
      const found = await ws.discover([root]);
      if (found.errors[0]) throw new Error(found.errors[0].message);
      return found.sidecars.map((t) => path.relative(root, t.abs).split(path.sep).join('/'));
    },
    readFile: (i, rel) => ws.io.fs.readFile(path.join(roots[i] as string, ...rel.split('/'))).catch((e: unknown) => {
      throw fsError(e);
    }),
    async readArticle(rel, holders) {
      for (const dir of [...holders.map((i) => roots[i] as string), ...corpusDirs]) {
        const bytes = await ws.io.fs.readFile(path.join(dir, ...rel.split('/'))).catch(() => undefined);
        if (bytes) return bytes;
      }
      return undefined;
    },
  };
  return collectAgreement(annotators, source, labelOrder);
}
