// The command-line tool without the process: `run(argv, io)` resolves to the exit status,
// so tests call it directly with an in-memory `io`. main.ts wires it to the real process.
import { ownPackage, TOOL, UsageError } from './args';
import { fmtCommand } from './fmt';
import { Io } from './io';
import { statsCommand } from './stats';
import { validateCommand } from './validate';
import { agreeCommand } from './agree';
import { curateCommand } from './curate';
import { diffCommand } from './diff';
import { installGitDriversCommand } from './git-drivers';
import { installGitHooksCommand } from './git-hooks';
import { preCommitCommand } from './pre-commit';
import { mergeDriverCommand, resolveCommand } from './merge-driver';
import { exportCommand } from './export';
import { importCommand } from './import';
import { reanchorCommand } from './reanchor';
import { suggestCommand } from './suggest';
import { gazetteerCommand } from './gazetteer';
import { evaluateCommand, trainCommand } from './recommender';
import { likelyErrorsCommand } from './likely-errors';

export const EXIT_OK = 0;
export const EXIT_PROBLEMS = 1;
export const EXIT_USAGE = 2;

const COMMANDS: Record<string, (argv: readonly string[], io: Io) => Promise<number>> = {
  validate: validateCommand,
  fmt: fmtCommand,
  stats: statsCommand,
  diff: diffCommand,
  agree: agreeCommand,
  curate: curateCommand,
  resolve: resolveCommand,
  'merge-driver': mergeDriverCommand,
  'install-git-drivers': installGitDriversCommand,
  'install-git-hooks': installGitHooksCommand,
  'pre-commit': preCommitCommand,
  export: exportCommand,
  import: importCommand,
  reanchor: reanchorCommand,
  suggest: suggestCommand,
  gazetteer: gazetteerCommand,
  train: trainCommand,
  evaluate: evaluateCommand,
  'likely-errors': likelyErrorsCommand,
};

export const HELP = `Usage: ${TOOL} <command> [options] [paths…]

Checks, formats and counts the named-entity annotations of a corpus: YAML sidecars
beside the articles (a.txt is annotated in a.txt.ann.yaml; offsets are Unicode code
points, end-exclusive). Labels come from the nearest .corpus-annotator.yaml.

Commands:
  validate   check sidecars against their articles and the label configuration
  fmt        rewrite valid sidecars in canonical form (--check: only report)
  stats      count documents, annotated documents, entities per label, statuses
  reanchor   find the entities again after their article changed; rewrite the
             sidecar only when every one was found (--dry-run: only report)

Working in git:
  diff       entities added, removed, relabelled… between two revisions, dirs or files
  agree      inter-annotator agreement (exact/partial F1, token-level Cohen's kappa)
  curate     two or more annotators' versions into one gold corpus: agreed entities,
             and a suggestion for every disagreement
  resolve    settle the annotation conflicts a merge left (--ours, --theirs)
  install-git-drivers   make git merge sidecars by entity and diff them readably
  merge-driver          the merge driver git runs (see install-git-drivers)
  install-git-hooks     a pre-commit hook refusing commits of invalid or
                        non-canonical sidecars, conflict markers, unmerged paths
  pre-commit            the check that hook runs, on the staged sidecars

Pre-annotation:
  suggest    add suggestions (suggested: true) from gazetteers and patterns, for an
             annotator to accept or reject (--dry-run: only report)
  gazetteer  build a gazetteer (surface, label, kb id) from the annotations
  train      train the recommender (a sequence labeller) on done/reviewed documents
             (--folds K: cross-validated precision, recall and F1 first)
  evaluate   compare a trained model with annotations (--learning-curve)
  likely-errors   annotations a model confidently disagrees with, and confident
             predictions nobody annotated (--folds K: cross-checked)

Training data:
  export     write the annotations as spaCy/Prodigy JSONL, CoNLL, brat, doccano or
             Label Studio, reporting whatever a format cannot hold
  import     merge annotations from brat, doccano, Label Studio or JSONL into sidecars;
             create articles and sidecars from CoNLL

Options:
  -h, --help      show this help; \`${TOOL} <command> --help\` for a command's
  -v, --version   print the version

Paths are files or directories (searched recursively, node_modules and .git skipped);
the default is the current directory.

Exit status: 0 success, 1 problems found (or a file could not be read or written),
2 usage error.

Examples:
  ${TOOL} validate               # every sidecar under the current directory
  ${TOOL} validate corpus/a.txt.ann.yaml
  ${TOOL} fmt corpus/            # canonicalise the sidecars of corpus/
  ${TOOL} fmt --check corpus/    # in CI or a pre-commit hook
  ${TOOL} stats --json corpus/
  ${TOOL} diff HEAD~1 HEAD       # what the last commit changed in the annotations
  ${TOOL} agree alice/ bob/      # how far two annotators agree
  ${TOOL} gazetteer corpus/ -o names.tsv && ${TOOL} suggest -g names.tsv new/
`;

export async function run(argv: readonly string[], io: Io): Promise<number> {
  const [first, ...rest] = argv;
  try {
    if (first === undefined) throw new UsageError('missing command (validate, fmt or stats)');
    if (first === '-h' || first === '--help') {
      io.stdout(HELP);
      return EXIT_OK;
    }
    if (first === '-v' || first === '--version') {
      io.stdout(`${version()}\n`);
      return EXIT_OK;
    }
    if (first === 'help') {
      const topic = rest[0];
      if (topic === undefined) io.stdout(HELP);
      else if (Object.hasOwn(COMMANDS, topic)) return await (COMMANDS[topic] as (typeof COMMANDS)[string])(['--help'], io);
      else throw new UsageError(`unknown command '${topic}' (commands: ${Object.keys(COMMANDS).join(', ')})`);
      return EXIT_OK;
    }
    if (first.startsWith('-')) throw new UsageError(`unknown option '${first}' (a command comes first: validate, fmt or stats)`);
    const command = Object.hasOwn(COMMANDS, first) ? COMMANDS[first] : undefined;
    if (!command) throw new UsageError(`unknown command '${first}' (commands: ${Object.keys(COMMANDS).join(', ')})`);
    return await command(rest, io);
  } catch (e) {
    if (e instanceof UsageError) {
      const who = e.command ? `${TOOL} ${e.command}` : TOOL;
      io.stderr(`${who}: ${e.message}\nRun '${who} --help' for usage.\n`);
      return EXIT_USAGE;
    }
    // A bug, not the user's fault: say so in one line, no stack trace (unless asked for).
    const detail = process.env.CORPUS_ANNOTATOR_DEBUG && e instanceof Error ? e.stack : e instanceof Error ? e.message : String(e);
    io.stderr(`${TOOL}: internal error: ${detail}\nPlease report it (set CORPUS_ANNOTATOR_DEBUG=1 for details).\n`);
    return EXIT_PROBLEMS;
  }
}

/** Replaced by esbuild with package.json's version; absent when run unbundled (the unit tests). */
declare const CORPUS_ANNOTATOR_VERSION: string | undefined;

/** The package's version: stamped into the bundle at build time, else read from its package.json. */
export function version(): string {
  if (typeof CORPUS_ANNOTATOR_VERSION === 'string') return CORPUS_ANNOTATOR_VERSION;
  const v = ownPackage()?.json.version;
  return typeof v === 'string' ? v : 'unknown';
}
