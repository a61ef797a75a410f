// Restricted Mode: a repository's gazetteers and pattern files are its code as far as the
// extension is concerned (a pattern's regex can hang the extension host), so nothing of them is
// loaded or run until the user trusts the workspace. Annotating and viewing need no trust.
// No `vscode` import here, so the gate is unit-tested with a fake host.

export interface TrustHost {
  isTrusted(): boolean;
  /** Shows a warning with the given actions; resolves to the one chosen. */
  warn(message: string, ...actions: string[]): PromiseLike<string | undefined>;
  /** Opens the Workspace Trust editor. */
  manageTrust(): PromiseLike<unknown>;
}

export const MANAGE_TRUST = 'Manage Workspace Trust';

/**
 * True when the workspace is trusted. Otherwise explains why `what` waits for trust (`risk`: what
 * it would load or run), offers to manage it, and returns false (without waiting for the answer).
 */
export function mayRunRepositoryFiles(host: TrustHost, what: string, risk = "would load this repository's gazetteers and run its patterns (its regular expressions)"): boolean {
  if (host.isTrusted()) return true;
  void Promise.resolve(host.warn(
    `Restricted Mode: ${what} ${risk}, which waits until you trust the workspace. Annotating and viewing work meanwhile.`,
    MANAGE_TRUST,
  )).then((choice) => (choice === MANAGE_TRUST ? host.manageTrust() : undefined));
  return false;
}
