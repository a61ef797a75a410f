// Entry of dist/pattern-worker.js: the pattern runner's worker alone, for the extension's Node
// host (the .vsix does not ship the CLI). Importing the module starts serving.
import './pattern-runner';
