// The browser's web worker host runs no programs: the dashboard shows no history there.
export function gitOutput(_cwd: string, _args: readonly string[]): Promise<string | undefined> {
  return Promise.resolve(undefined);
}
