#!/usr/bin/env python3
"""Moves the flat src/core into rooms (issue 20), on whatever tree it runs in.

    python3 scripts/move-core-rooms.py [--dry-run] [--no-typecheck]

1. Every file of src/core named in MOVES is moved with `git mv` (history follows); basenames stay,
   so a name quoted in a comment ("sidecar-fast-read.ts") still finds its file.
2. Every relative import in src/, test/, bench/ (.ts .mts .cts .js .mjs .cjs: `from`, `import()`,
   `require()`, `import '…'`) is resolved by path, against the tree as it was, and rewritten when its
   importer or its target moved. An import that no longer resolves but names a moved file's old path
   (a branch written before the move) is repaired the same way.
3. Paths written as text (`src/core/x.ts`, `out/src/core/x.js`, `core/x.ts` in comments, docs,
   benches, esbuild.js, package.json, tsconfig, .vscodeignore) are rewritten; CHANGELOG.md is history
   and left alone. Two places that build core paths from pieces are rewritten by SPECIAL_CASES.
4. Each room gets a README.md (what it holds, what it may import) and src/core gets one listing the
   rooms, bottom up; imports between rooms that go up that order are printed.
5. Files of src/core unknown to MOVES (added after this table was written) are listed and left in
   place: add them to MOVES and run again. Running again on a moved tree changes nothing.
6. Ends with `npx tsc -p . --noEmit` (its exit status is the script's).
"""
import os
import re
import subprocess
import sys

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), '..'))
CORE = 'src/core'

# Rooms, bottom up (name, summary, what it holds, what it may import): a room may import the rooms
# before it (and itself), never one after it.
ROOMS = [
    ('model', 'the annotation model, offsets, articles, problems, entity edits',
     'The annotation model and what every other room builds on: `Sidecar`/`Entity` (model.ts), '
     'code-point offsets and their one UTF-16 conversion (offsets.ts), decoded articles and their '
     'sha256, positioned problems (problems.ts), pure edits of a sidecar\'s entities (edits.ts) and '
     'their undo history.',
     'nothing outside this room (and no Node built-in, no `vscode`).'),
    ('text', "algorithms over an article's text",
     'Algorithms over an article\'s text: the French tokeniser, selection snapping, keeping offsets '
     'right while text is edited (track.ts), fuzzy search, the multi-needle automaton, binary search '
     'over sorted offsets.',
     'model/.'),
    ('config', "the project's settings file and its globs",
     'The project\'s settings file `.corpus-annotator.yaml` (labels, overlap policy, article globs) '
     'and glob matching for the CLI.',
     'model/.'),
    ('sidecar', 'reading, writing and validating sidecar files',
     'Sidecar files (`<article>.ann.yaml`): the readers (full YAML, segmented, the fast canonical '
     'one) and what they return (sidecar-parsed.ts), the canonical writer and its incremental patch, '
     'validation against the article, and the lock/temporary files of a write.',
     'model/, text/, config/.'),
    ('corpus', "the whole corpus as summaries, and the sidebar's views of it",
     'The whole corpus without loading every article: per-document summaries (corpus-index.ts), '
     'their persisted snapshot, their compact form for crossing from a worker thread (summary-transfer.ts), '
     'the sidebar\'s whole-corpus views over them, its filter, and its view '
     'model (tree-model.ts: rows, ids, counts and words of the "Annotations" view), and a bounded-'
     'concurrency map (map-bounded.ts) its warm check uses.',
     'model/, text/, config/, sidecar/.'),
    ('suggest', 'proposing annotations: gazetteers, patterns, the recommender',
     'Proposing annotations: gazetteers (and building one from annotations), patterns and their '
     'runner with the static regex-safety check, occurrences of a span, the order of competing '
     'proposals, and the recommender (recommender/).',
     'model/, text/, config/, sidecar/.'),
    ('review', "comparing and combining annotators' work",
     'Comparing and combining annotators\' work: the semantic merge (git driver), annotation diff, '
     'agreement, curation into gold (and pairing its inputs: curate-inputs.ts), what git prints for '
     'the revisions read (git-output.ts, parsers only: running git is the adapters\' job), '
     'duplicates, and re-anchoring entities after the text changed.',
     'model/, text/, config/, sidecar/, suggest/.'),
    ('exchange', "other tools' formats: exports and imports",
     'Other tools\' formats: exports (export/: JSONL, CoNLL, spaCy, Hugging Face, brat, Label '
     'Studio, doccano, splits) and imports (import/).',
     'model/, text/, config/, sidecar/, suggest/ (the recommender\'s seeded hash for splits).'),
    ('dashboard', 'the progress dashboard',
     'The progress dashboard: its figures from the corpus summaries, their history, and the '
     'self-contained HTML page and script shown by the extension and `stats --html`, and the '
     'inter-annotator agreement heat maps (dashboard-agreement.ts).',
     'model/, text/, config/, sidecar/, corpus/, suggest/, review/.'),
]

# Old path → new path, relative to src/core. A directory moves whole (every file under it).
MOVES = {
    'model.ts': 'model/model.ts',
    'offsets.ts': 'model/offsets.ts',
    'article.ts': 'model/article.ts',
    'sha256.ts': 'model/sha256.ts',
    'problems.ts': 'model/problems.ts',
    'edits.ts': 'model/edits.ts',
    'history.ts': 'model/history.ts',

    'tokenize.ts': 'text/tokenize.ts',
    'snap.ts': 'text/snap.ts',
    'track.ts': 'text/track.ts',
    'fuzzy.ts': 'text/fuzzy.ts',
    'sorted-search.ts': 'text/sorted-search.ts',
    'surface-automaton.ts': 'text/surface-automaton.ts',

    'config.ts': 'config/config.ts',
    'glob.ts': 'config/glob.ts',

    'sidecar-read.ts': 'sidecar/sidecar-read.ts',
    'sidecar-fast-read.ts': 'sidecar/sidecar-fast-read.ts',
    'sidecar-flow-read.ts': 'sidecar/sidecar-flow-read.ts',
    'sidecar-parsed.ts': 'sidecar/sidecar-parsed.ts',
    'sidecar-write.ts': 'sidecar/sidecar-write.ts',
    'sidecar-patch.ts': 'sidecar/sidecar-patch.ts',
    'validate.ts': 'sidecar/validate.ts',
    'write-scratch.ts': 'sidecar/write-scratch.ts',

    'corpus-index.ts': 'corpus/corpus-index.ts',
    'corpus-index-snapshot.ts': 'corpus/corpus-index-snapshot.ts',
    'corpus-view.ts': 'corpus/corpus-view.ts',
    'entity-filter.ts': 'corpus/entity-filter.ts',
    'tree-model.ts': 'corpus/tree-model.ts',
    'map-bounded.ts': 'corpus/map-bounded.ts',

    'gazetteer.ts': 'suggest/gazetteer.ts',
    'build-gazetteer.ts': 'suggest/build-gazetteer.ts',
    'patterns.ts': 'suggest/patterns.ts',
    'pattern-runner.ts': 'suggest/pattern-runner.ts',
    'regex-safety.ts': 'suggest/regex-safety.ts',
    'occurrences.ts': 'suggest/occurrences.ts',
    'suggest.ts': 'suggest/suggest.ts',
    'suggestion-order.ts': 'suggest/suggestion-order.ts',
    'recommender': 'suggest/recommender',

    'merge.ts': 'review/merge.ts',
    'annotation-diff.ts': 'review/annotation-diff.ts',
    'agreement.ts': 'review/agreement.ts',
    'curate.ts': 'review/curate.ts',
    'duplicates.ts': 'review/duplicates.ts',
    'reanchor.ts': 'review/reanchor.ts',
    'curate-inputs.ts': 'review/curate-inputs.ts',
    'git-output.ts': 'review/git-output.ts',

    'export': 'exchange/export',
    'import': 'exchange/import',

    'dashboard-data.ts': 'dashboard/dashboard-data.ts',
    'dashboard-history.ts': 'dashboard/dashboard-history.ts',
    'dashboard-html.ts': 'dashboard/dashboard-html.ts',
    'dashboard-script.ts': 'dashboard/dashboard-script.ts',
    'dashboard-agreement.ts': 'dashboard/dashboard-agreement.ts',
}

# Names written with a glob in comments (`core/dashboard-*.ts`).
TEXT_GLOBS = {'dashboard-*': 'dashboard/dashboard-*'}

CODE_EXT = ('.ts', '.mts', '.cts', '.js', '.mjs', '.cjs')
TEXT_EXT = CODE_EXT + ('.md', '.json', '.yml', '.yaml')
TEXT_NAMES = ('.vscodeignore',)
SKIP_TEXT = {'CHANGELOG.md', 'package-lock.json'}
SKIP_DIRS = {'node_modules', 'out', 'dist', '.git', '.vscode-test', '.vscode-test-web'}
IMPORT_ROOTS = ('src', 'test', 'bench')

IMPORT = re.compile(r"""(\bfrom\s*|\bimport\s*\(\s*|\brequire\s*\(\s*|\bimport\s+)(['"])(\.{1,2}/[^'"\n]*)\2""")
RESOLVE_SUFFIXES = ('', '.ts', '.tsx', '.d.ts', '.js', '.mjs', '.cjs', '.json')


def sh(*args, check=True):
    return subprocess.run(args, cwd=ROOT, check=check, text=True, capture_output=True).stdout


def walk(top):
    for d, dirs, files in os.walk(os.path.join(ROOT, top)):
        dirs[:] = sorted(x for x in dirs if x not in SKIP_DIRS)
        for f in sorted(files):
            yield os.path.relpath(os.path.join(d, f), ROOT).replace(os.sep, '/')


def file_moves(present):
    """Repo-relative old path → new path for every file to move (directories expanded, both from the
    files present at their old place and, for an already moved directory, from its new place)."""
    moves = {}
    for old, new in MOVES.items():
        o, n = f'{CORE}/{old}', f'{CORE}/{new}'
        if old.endswith('.ts'):
            moves[o] = n
            continue
        for p in present:
            if p.startswith(o + '/'):
                moves[p] = n + p[len(o):]
            elif p.startswith(n + '/'):
                moves[o + p[len(n):]] = p
    return moves


def resolve(base, present):
    for suffix in RESOLVE_SUFFIXES:
        if base + suffix in present:
            return base + suffix, False
    if base.endswith('.js') and base[:-3] + '.ts' in present:
        return base[:-3] + '.ts', False
    if base + '/index.ts' in present:
        return base + '/index.ts', True
    return None, False


def new_specifier(spec, importer_new, target_new, as_dir):
    if as_dir:
        rel = os.path.relpath(os.path.dirname(target_new), os.path.dirname(importer_new))
    else:
        rel = os.path.relpath(target_new, os.path.dirname(importer_new))
        if spec.endswith('.js') and target_new.endswith('.ts'):
            rel = rel[:-3] + '.js'
        elif not re.search(r'\.(ts|tsx|js|mjs|cjs|json)$', spec):
            rel = re.sub(r'(\.d)?\.tsx?$', '', rel)
    rel = rel.replace(os.sep, '/')
    return rel if rel.startswith('.') else './' + rel


def rewrite_imports(path, text, moves, present, moved_targets):
    importer_new = moves.get(path, path)
    here = os.path.dirname(path)

    def sub(m):
        spec = m.group(3)
        base = os.path.normpath(os.path.join(here, spec)).replace(os.sep, '/')
        target, as_dir = resolve(base, present)
        if target is None:
            # Not in the tree: an old path of a file already moved (a branch written before the move).
            target, as_dir = resolve(base, moved_targets)
            if target is None:
                return m.group(0)
        target_new = moves.get(target, target)
        if target_new == target and importer_new == path and target in present:
            return m.group(0)
        new = new_specifier(spec, importer_new, target_new, as_dir)
        return m.group(0) if new == spec else f'{m.group(1)}{m.group(2)}{new}{m.group(2)}'

    return IMPORT.sub(sub, text)


def text_pattern():
    files = sorted((k[:-3] for k in MOVES if k.endswith('.ts')), key=len, reverse=True)
    dirs = sorted((k for k in MOVES if not k.endswith('.ts')), key=len, reverse=True)
    globs = sorted(TEXT_GLOBS, key=len, reverse=True)
    # A file name is not followed by `/` (so `core/model/` the room is not `core/model.ts`); a
    # directory may be. Not preceded by `/` or `.`: `../core/x` is an import, rewritten above.
    alt = '|'.join([re.escape(g) for g in globs] + [re.escape(f) + r'(?![\w/-])' for f in files] + [re.escape(d) + r'(?![\w-])' for d in dirs])
    return re.compile(r'(?<![\w./-])((?:out/)?src/core/|core/)(' + alt + ')')


def text_target(name):
    if name in TEXT_GLOBS:
        return TEXT_GLOBS[name]
    if name + '.ts' in MOVES:
        return MOVES[name + '.ts'][:-3]
    return MOVES[name]


def rewrite_text(text, pattern):
    return pattern.sub(lambda m: m.group(1) + text_target(m.group(2)), text)


# Places that build a core path from pieces: (file, old, new), applied when `old` is found.
SPECIAL_CASES = [
    ('test/unit/export.test.ts', "for (const dir of ['export', 'import'])", "for (const dir of ['exchange/export', 'exchange/import'])"),
]


def rewrite_bench_modules(path, text):
    """bench/lib/common.mjs names compiled core modules relative to out/src/core: `read: 'sidecar-read'`."""
    if path != 'bench/lib/common.mjs':
        return text

    def sub(m):
        name = m.group(2)
        if name + '.ts' in MOVES:
            return m.group(1) + MOVES[name + '.ts'][:-3] + m.group(3)
        top, _, rest = name.partition('/')
        if rest and top in MOVES and not top.endswith('.ts'):
            return m.group(1) + MOVES[top] + '/' + rest + m.group(3)
        return m.group(0)

    return re.sub(r"(\b\w+: ')([\w/-]+)(')", sub, text)


def room_readmes():
    out = {}
    for name, _, holds, may in ROOMS:
        files = sorted(os.path.basename(v) if v.endswith('.ts') else os.path.basename(v) + '/' for v in MOVES.values() if v.split('/')[0] == name)
        out[f'{CORE}/{name}/README.md'] = (
            f'# src/core/{name}/\n\n{holds}\n\nHolds: {", ".join(f"`{f}`" for f in files)}.\n\n'
            f'May import: {may} Pure TypeScript, like all of src/core: no `vscode`, no Node built-in.\n'
            f'(Written by scripts/move-core-rooms.py: edit the table there.)\n')
    lines = ['# src/core/\n', 'Pure TypeScript (no `vscode`, no Node built-in), shared by the extension, the CLI and the unit tests. ',
             'One room per reason to change, listed bottom up: a room imports only itself and the rooms listed before it.\n']
    for name, summary, _, _ in ROOMS:
        lines.append(f'- [`{name}/`]({name}/README.md): {summary}.')
    lines.append('\n(Written by scripts/move-core-rooms.py: edit the table there.)\n')
    out[f'{CORE}/README.md'] = '\n'.join(lines)
    return out


def upward_imports(present):
    order = {name: i for i, (name, *_) in enumerate(ROOMS)}
    found = []
    for path in sorted(p for p in present if p.startswith(CORE + '/') and p.endswith('.ts')):
        room = path.split('/')[2]
        if room not in order:
            continue
        with open(os.path.join(ROOT, path), encoding='utf8') as f:
            text = f.read()
        for m in IMPORT.finditer(text):
            target, _ = resolve(os.path.normpath(os.path.join(os.path.dirname(path), m.group(3))).replace(os.sep, '/'), present)
            if target and target.startswith(CORE + '/'):
                other = target.split('/')[2]
                if other in order and order[other] > order[room]:
                    found.append(f'{path} imports {target} ({room}/ → {other}/)')
    return found


def main():
    dry = '--dry-run' in sys.argv
    present = set(p for top in IMPORT_ROOTS for p in walk(top))
    tracked = set(sh('git', 'ls-files').split('\n'))
    moves = file_moves(present)
    todo = {o: n for o, n in moves.items() if o in present}
    unknown = sorted(p for p in present if p.startswith(CORE + '/') and p not in moves and p not in moves.values()
                     and not p.endswith('README.md'))
    missing = sorted(o for o, n in moves.items() if o not in present and n not in present)

    # 1-3: new contents, computed against the tree as it is.
    moved_targets = set(moves)
    contents = {}
    text_files = set(p for p in walk('.') if (p.endswith(TEXT_EXT) or os.path.basename(p) in TEXT_NAMES))
    pattern = text_pattern()
    readmes = room_readmes()
    for path in sorted(text_files):
        if path in SKIP_TEXT or path in readmes or path.startswith('scripts/move-core-rooms'):
            continue
        with open(os.path.join(ROOT, path), encoding='utf8') as f:
            old = f.read()
        new = old
        if path.endswith(CODE_EXT) and path.split('/')[0] in IMPORT_ROOTS:
            new = rewrite_imports(path, new, moves, present, moved_targets)
        new = rewrite_bench_modules(path, rewrite_text(new, pattern))
        for file, a, b in SPECIAL_CASES:
            if path == file:
                new = new.replace(a, b)
        if new != old:
            contents[path] = new

    print(f'{len(todo)} files to move, {len(contents)} files to rewrite.')
    for o, n in sorted(todo.items()):
        print(f'  move {o} → {n}')
    for p in sorted(contents):
        print(f'  rewrite {moves.get(p, p)}')
    if unknown:
        print('\nNot in the table, left in place (add them to MOVES in scripts/move-core-rooms.py and run again):')
        for p in unknown:
            print(f'  {p}')
    if missing:
        print('\nIn the table but not in the tree (removed or renamed elsewhere?):')
        for p in missing:
            print(f'  {p}')
    if dry:
        return 0

    for o, n in sorted(todo.items()):
        os.makedirs(os.path.dirname(os.path.join(ROOT, n)), exist_ok=True)
        if o in tracked:
            sh('git', 'mv', o, n)
        else:
            os.rename(os.path.join(ROOT, o), os.path.join(ROOT, n))
            print(f'  (not tracked by git, moved without git: {o})')
    for path, text in contents.items():
        with open(os.path.join(ROOT, moves.get(path, path)), 'w', encoding='utf8') as f:
            f.write(text)
    for path, text in readmes.items():
        full = os.path.join(ROOT, path)
        if os.path.isdir(os.path.dirname(full)):
            with open(full, 'w', encoding='utf8') as f:
                f.write(text)
            sh('git', 'add', path)
    # Directories emptied by the move.
    for old in MOVES:
        d = os.path.join(ROOT, CORE, old)
        if os.path.isdir(d) and not any(os.scandir(d)):
            os.rmdir(d)

    after = set(p for top in IMPORT_ROOTS for p in walk(top))
    upward = upward_imports(after)
    if upward:
        print('\nImports that go up the room order (see ROOMS):')
        for u in upward:
            print(f'  {u}')
    if '--no-typecheck' in sys.argv:
        return 0
    print('\nnpx tsc -p . --noEmit')
    return subprocess.run(['npx', 'tsc', '-p', '.', '--noEmit'], cwd=ROOT).returncode


if __name__ == '__main__':
    sys.exit(main())
