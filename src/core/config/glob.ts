// Minimal glob matching for the configuration's `articles`/`exclude` patterns in the CLI
// (the extension hands the same globs to VS Code's own matcher). Supports **, *, ?, {a,b}, [abc].

export function globToRegExp(glob: string): RegExp {
  let re = '';
  let inBraces = 0;
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i] as string;
    if (c === '*') {
      if (glob[i + 1] === '*') {
        // `**/` matches zero or more whole directories; a trailing `**` matches everything
        if (glob[i + 2] === '/') { re += '(?:[^/]*/)*'; i += 2; } else { re += '.*'; i++; }
      } else re += '[^/]*';
    } else if (c === '?') re += '[^/]';
    else if (c === '{') { re += '(?:'; inBraces++; }
    else if (c === '}' && inBraces) { re += ')'; inBraces--; }
    else if (c === ',' && inBraces) re += '|';
    else if (c === '[') {
      const close = glob.indexOf(']', i + 1);
      if (close < 0) re += '\\[';
      else { re += '[' + glob.slice(i + 1, close).replace(/^!/, '^').replace(/\\/g, '\\\\') + ']'; i = close; }
    } else re += c.replace(/[.+^$()|\\]/g, '\\$&');
  }
  return new RegExp('^' + re + '$');
}

// Compiled once per glob: a corpus walk tests the same few globs against every file.
const compiled = new Map<string, RegExp>();

function compiledGlob(glob: string): RegExp {
  let re = compiled.get(glob);
  if (re === undefined) {
    re = globToRegExp(glob);
    compiled.set(glob, re);
  }
  return re;
}

/** Whether a `/`-separated relative path is matched by one of `include` and none of `exclude`. */
export function matchesGlobs(relPath: string, include: readonly string[], exclude: readonly string[] = []): boolean {
  const p = relPath.replace(/\\/g, '/');
  return include.some((g) => compiledGlob(g).test(p)) && !exclude.some((g) => compiledGlob(g).test(p));
}
