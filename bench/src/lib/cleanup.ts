import type { ChildProcess } from 'node:child_process';

interface Action {
  what: string;
  run: () => Promise<void> | void;
  last: boolean;
}

/**
 * What a run must undo — child processes to stop, databases to drop, directories to remove — run in
 * reverse order of registration on normal exit, on failure and on Ctrl-C / SIGTERM (once).
 */
export class Cleanup {
  readonly #actions: Action[] = [];
  readonly #children = new Set<ChildProcess>();
  #running: Promise<void> | null = null;
  /** Set on Ctrl-C / SIGTERM: start nothing new. */
  aborted = false;

  add(what: string, run: () => Promise<void> | void, options: { last?: boolean } = {}): void {
    this.#actions.push({ what, run, last: options.last === true });
  }

  /** A child process started by this run; stopped (by its pid) at cleanup if still running. */
  track(child: ChildProcess): void {
    this.#children.add(child);
    child.once('exit', () => this.#children.delete(child));
  }

  /** Stops tracked children (SIGTERM, then SIGKILL after `graceMs`). */
  async stopChildren(graceMs = 5000): Promise<void> {
    await Promise.all([...this.#children].map((child) => stopChild(child, graceMs)));
  }

  run(): Promise<void> {
    this.#running ??= (async () => {
      await this.stopChildren();
      const ordered = [...this.#actions.filter((a) => !a.last).reverse(), ...this.#actions.filter((a) => a.last)];
      for (const action of ordered) {
        try {
          await action.run();
        } catch (err) {
          process.stderr.write(`cleanup: could not ${action.what}: ${(err as Error).message}\n`);
        }
      }
    })();
    return this.#running;
  }

  /** Ctrl-C / SIGTERM: clean up, then exit 130 / 143. A second Ctrl-C exits at once. */
  installSignalHandlers(): void {
    let signalled = false;
    const onSignal = (signal: NodeJS.Signals) => {
      if (signalled) {
        process.stderr.write(`\n${signal} again: exiting without finishing the cleanup\n`);
        process.exit(1);
      }
      signalled = true;
      this.aborted = true;
      process.stderr.write(`\n${signal}: stopping servers and dropping the run's databases…\n`);
      void this.run().finally(() => process.exit(signal === 'SIGINT' ? 130 : 143));
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
  }
}

/** SIGTERM a child by its pid, SIGKILL it if it has not exited after `graceMs`. */
export function stopChild(child: ChildProcess, graceMs = 5000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    }, graceMs);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}
