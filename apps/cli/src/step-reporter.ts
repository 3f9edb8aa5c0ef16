import { performance } from 'node:perf_hooks';
import { formatMs, type Output } from './output';

const FRAMES = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];

/**
 * Shows the steps of a long operation as they run: on a terminal a spinner on the current step that
 * becomes ✓ / ✗ with its duration; otherwise one plain line per finished step (`ok      Migrate the
 * schema (120 ms)`), so CI logs stay readable and free of control characters.
 */
export class StepReporter {
  readonly #out: Output;
  readonly #labels: Record<string, string>;
  #running: { step: string; started: number } | null = null;
  #lastStep: string | null = null;
  #timer: NodeJS.Timeout | null = null;
  #frame = 0;

  constructor(out: Output, labels: Record<string, string>) {
    this.#out = out;
    this.#labels = labels;
  }

  /** The step running now, or the last one that ran. */
  get lastStep(): string | null {
    return this.#lastStep;
  }

  start(step: string): void {
    this.#end(true);
    this.#running = { step, started: performance.now() };
    this.#lastStep = step;
    if (this.#out.tty) {
      this.#draw();
      this.#timer = setInterval(() => this.#draw(), 80);
      this.#timer.unref();
    }
  }

  /** Marks the running step done. */
  succeed(): void {
    this.#end(true);
  }

  /** Marks the running step failed (the caller prints the error). */
  fail(): void {
    this.#end(false);
  }

  label(step: string): string {
    return this.#labels[step] ?? step;
  }

  #draw(): void {
    if (!this.#running) return;
    const frame = FRAMES[this.#frame++ % FRAMES.length]!;
    this.#out.write(`\r\u001b[2K${this.#out.dim(frame)} ${this.label(this.#running.step)}…`);
  }

  #end(ok: boolean): void {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = null;
    if (!this.#running) return;
    const { step, started } = this.#running;
    this.#running = null;
    const took = formatMs(performance.now() - started);
    if (this.#out.tty) {
      const mark = ok ? this.#out.green('✓') : this.#out.red('✗');
      this.#out.write(`\r\u001b[2K${mark} ${this.label(step)} ${this.#out.dim(`(${took})`)}\n`);
    } else {
      this.#out.line(`${ok ? 'ok    ' : 'FAILED'}  ${this.label(step)} (${took})`);
    }
  }
}
