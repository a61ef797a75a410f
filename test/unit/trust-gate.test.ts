// Restricted Mode gate of the extension's suggest command (src/extension/trust-gate.ts), with a
// fake host: code-server runs its test workspaces trusted, so the real host cannot show it.
import { strict as assert } from 'node:assert';
import { MANAGE_TRUST, mayRunRepositoryFiles, TrustHost } from '../../src/extension/trust-gate';

function fakeHost(trusted: boolean, answer?: string) {
  const calls = { warnings: [] as Array<{ message: string; actions: string[] }>, managed: 0 };
  let answered: () => void = () => undefined;
  const done = new Promise<void>((resolve) => { answered = resolve; });
  const host: TrustHost = {
    isTrusted: () => trusted,
    warn: async (message, ...actions) => {
      calls.warnings.push({ message, actions });
      if (answer !== MANAGE_TRUST) answered();
      return answer;
    },
    manageTrust: async () => {
      calls.managed++;
      answered();
    },
  };
  return { host, calls, done };
}

describe('workspace trust gate (issue 22)', () => {
  it('lets a trusted workspace run its gazetteers and patterns, silently', () => {
    const { host, calls } = fakeHost(true);
    assert.equal(mayRunRepositoryFiles(host, 'suggesting entities'), true);
    assert.deepEqual(calls.warnings, []);
  });
  it('in Restricted Mode, refuses, explains, and opens Manage Workspace Trust when asked', async () => {
    const { host, calls, done } = fakeHost(false, MANAGE_TRUST);
    assert.equal(mayRunRepositoryFiles(host, 'suggesting entities'), false);
    await done;
    assert.equal(calls.warnings.length, 1);
    assert.match(calls.warnings[0]?.message ?? '', /^Restricted Mode: suggesting entities would load this repository's gazetteers and run its patterns .* Annotating and viewing work meanwhile\.$/);
    assert.deepEqual(calls.warnings[0]?.actions, [MANAGE_TRUST]);
    assert.equal(calls.managed, 1);
  });
  it('in Restricted Mode, dismissing the warning changes nothing', async () => {
    const { host, calls, done } = fakeHost(false, undefined);
    assert.equal(mayRunRepositoryFiles(host, 'suggesting entities'), false);
    await done;
    assert.equal(calls.managed, 0);
  });
});
