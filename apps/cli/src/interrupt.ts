import type { Output } from './output';

/**
 * Runs an operation that must not stop half-way (provisioning, deleting, migrating): the first Ctrl-C
 * only explains that it finishes or rolls back in a moment; a second one exits at once, with `ifForced`
 * telling how to clean up after that.
 */
export async function withoutInterruption<T>(out: Output, what: string, ifForced: string, fn: () => Promise<T>): Promise<T> {
  let interrupted = false;
  const onSigint = () => {
    if (interrupted) {
      out.writeErr(`\nInterrupted again: exiting now. ${ifForced}\n`);
      process.exit(130);
    }
    interrupted = true;
    out.writeErr(`\n${what} cannot stop half-way: it finishes or rolls back in a moment (Ctrl-C again to quit now).\n`);
  };
  process.on('SIGINT', onSigint);
  try {
    return await fn();
  } finally {
    process.off('SIGINT', onSigint);
  }
}
