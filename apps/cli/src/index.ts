/**
 * @salesfleet/cli — the operator CLI (`pnpm cli <command>`). `runCli(args, { invokedAs, version })`
 * runs one command line and resolves to its exit status; `buildProgram` is the commander tree.
 */
export { runCli, type RunCliOptions } from './cli';
export { buildProgram } from './program';
export { EXIT_FAILURE, EXIT_OK, EXIT_USAGE } from './errors';
