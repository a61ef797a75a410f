// The real VS Code behind trust-gate.ts's TrustHost (trust-gate.ts itself stays free of `vscode`,
// so its decisions are unit-tested in Node): commands take this by default, tests pass a fake.
import * as vscode from 'vscode';
import type { TrustHost } from './trust-gate';

export const workspaceTrustHost: TrustHost = {
  isTrusted: () => vscode.workspace.isTrusted,
  warn: (message, ...actions) => vscode.window.showWarningMessage(message, ...actions),
  manageTrust: () => vscode.commands.executeCommand('workbench.trust.manage'),
};
