// The few assertions the web suite needs (Node's `assert` does not exist in a web worker).

export class AssertionError extends Error {}

export function ok(value: unknown, message = 'expected a truthy value'): asserts value {
  if (!value) throw new AssertionError(message);
}

export function equal<T>(actual: T, expected: T, message?: string): void {
  if (actual !== expected) throw new AssertionError(`${message ? message + ': ' : ''}expected ${show(expected)}, got ${show(actual)}`);
}

export function bytesEqual(actual: Uint8Array, expected: Uint8Array, message?: string): void {
  const same = actual.length === expected.length && actual.every((b, i) => b === expected[i]);
  if (!same) throw new AssertionError(`${message ? message + ': ' : ''}the bytes differ`);
}

function show(v: unknown): string {
  try {
    return JSON.stringify(v);
  } catch {
    return String(v);
  }
}
