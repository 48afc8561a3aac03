// The tree thread (packages/synth/src/tree-thread.ts `treeThread`): it looks at gitops/ while synth
// renders. The launcher starts it before loading its bundles; synth, holding the repository's lock
// by then, sends it the bundle of tree-thread.ts and the folders to look at. Plain CommonJS: a
// thread running the ESM launcher took tens of milliseconds more to start.
const { parentPort } = require('node:worker_threads');

parentPort.once('message', (message) => {
  require(message.bundle).treeThread((reply) => parentPort.postMessage(reply))(message);
});
