// The first step of "Curate Annotations From…": which annotators' versions to curate — the local
// branches of the workspace's repository, and/or folders (picked in the next step). Where no branch
// can be offered (the browser, no git, no repository) the pick says why and offers folders only.
import * as vscode from 'vscode';
import { BranchSource } from './curate-git-types';

interface Item extends vscode.QuickPickItem {
  branch?: string;
  folders?: true;
}

export async function pickAnnotators(source: BranchSource): Promise<{ branches: string[]; folders: boolean } | undefined> {
  const items: Item[] = [];
  if (source.ok) {
    items.push({ label: `Branches of ${source.repository.top}`, kind: vscode.QuickPickItemKind.Separator });
    for (const branch of source.branches) {
      items.push({ label: `$(git-branch) ${branch}`, branch, description: branch === source.current ? 'checked out' : undefined });
    }
    items.push({ label: 'Folders', kind: vscode.QuickPickItemKind.Separator });
  }
  items.push({
    label: '$(folder) Folders…',
    folders: true,
    description: 'pick annotators\' folders in the next step',
    detail: source.ok ? undefined : `No branches: ${source.reason}.`,
  });
  const picked = await vscode.window.showQuickPick(items, {
    canPickMany: true,
    title: source.ok ? 'Curate Annotations: two or more annotators\' branches or folders' : `Curate Annotations: folders only (${source.reason})`,
    placeHolder: source.ok ? 'Each branch or folder is one annotator\'s version of the same articles; nothing is written to the branches' : 'Pick Folders…, then two or more annotators\' folders',
    ignoreFocusOut: true,
  });
  if (!picked) return undefined;
  return { branches: picked.flatMap((i) => (i.branch !== undefined ? [i.branch] : [])), folders: picked.some((i) => i.folders) };
}
