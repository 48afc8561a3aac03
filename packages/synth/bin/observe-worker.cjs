// The worker thread that looks at gitops/ (packages/synth/src/observe.ts `observeWorker`). The
// launcher starts it before loading its bundles; it waits for synth, which holds the repository's
// lock by then, to send the observer bundle and the folders to look at. Plain CommonJS: a thread
// running the ESM launcher took tens of milliseconds more to start.
const { parentPort } = require('node:worker_threads');

parentPort.once('message', ({ bundle, request }) => {
  require(bundle).observeWorker(request, (message) => parentPort.postMessage(message));
});
