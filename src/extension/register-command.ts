// Every command of the extension is registered through here, so a failure anywhere is logged with
// its stack and shown to the user with a way to the log — never swallowed, never a raw stack.
import * as vscode from 'vscode';

export function registerCommand(log: vscode.LogOutputChannel, id: string, run: (...args: never[]) => unknown): vscode.Disposable {
  return vscode.commands.registerCommand(`corpusAnnotator.${id}`, async (...args: never[]) => {
    try {
      return await run(...args);
    } catch (e) {
      log.error(`corpusAnnotator.${id} failed: ${e instanceof Error ? e.stack ?? e.message : String(e)}`);
      // Not awaited: the caller (a key, a menu, another extension, a test) gets its answer now,
      // not when the message is dismissed.
      void vscode.window.showErrorMessage(`Corpus Annotator: ${e instanceof Error ? e.message : String(e)}`, 'Show Log').then((choice) => {
        if (choice === 'Show Log') log.show();
      });
      return undefined;
    }
  });
}
