// The problem type lives below synth and infra, in packages/core; synth's modules keep importing it from here.
export { formatProblem, SynthError, type Problem } from '@gitops/core';
