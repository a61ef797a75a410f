// The workers report how far they are as a fraction (0..1); VS Code's progress wants increments.
import type * as vscode from 'vscode';

/** A reporter of fractions done onto `progress`: the bar never goes backwards. */
export function fractionReporter(progress: vscode.Progress<{ message?: string; increment?: number }>): (message: string, fraction: number) => void {
  let shown = 0;
  return (message, fraction) => {
    progress.report({ message, increment: Math.max(0, fraction * 100 - shown) });
    shown = Math.max(shown, fraction * 100);
  };
}
