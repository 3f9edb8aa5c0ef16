import type { ScryptOptions } from 'node:crypto';
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { ServiceBusy } from '@salesfleet/contracts';

/**
 * scrypt off libuv's thread pool. Node's async `crypto.scrypt` runs on the same four libuv threads as
 * SQLite queries and DNS lookups: a burst of sign-ins (128 MiB, a few hundred ms each) once starved
 * SQLite tenants into 60 s timeouts. Here each hash runs `scryptSync` on a worker thread of a small
 * pool: at most `size` hashes at once, at most `maxQueued` waiting; beyond that the check is shed with
 * `ServiceBusy` (503) instead of queueing without bound.
 */

// Plain CommonJS evaluated in the worker: no loader (tsx) is needed there.
const WORKER_SOURCE = `
const { parentPort } = require('node:worker_threads');
const { pbkdf2Sync, scryptSync } = require('node:crypto');
parentPort.on('message', (job) => {
  try {
    const key = job.pbkdf2Iterations
      ? pbkdf2Sync(job.password, Buffer.from(job.salt), job.pbkdf2Iterations, job.keyLength, 'sha256')
      : scryptSync(job.password, Buffer.from(job.salt), job.keyLength, job.options);
    parentPort.postMessage({ id: job.id, key });
  } catch (err) {
    parentPort.postMessage({ id: job.id, error: String((err && err.message) || err) });
  }
});
`;

/** Too many password checks are already running or waiting: try again in a moment. */
export class PasswordCheckBusy extends ServiceBusy {
  constructor() {
    super('Too many sign-ins are being checked right now; try again in a moment', 1);
  }
}

interface Job {
  id: number;
  password: string;
  salt: Uint8Array;
  keyLength: number;
  options: ScryptOptions;
  /** Set for a PBKDF2-HMAC-SHA256 job (imported Django hashes) instead of scrypt. */
  pbkdf2Iterations?: number;
  resolve: (key: Buffer) => void;
  reject: (err: Error) => void;
}

interface Slot {
  worker: Worker;
  job: Job | null;
}

export interface ScryptPoolStats {
  /** Hashes computed (or failed) since start. */
  completed: number;
  /** Hashes refused because the queue was full. */
  shed: number;
  running: number;
  queued: number;
}

export class ScryptPool {
  readonly #size: number;
  readonly #maxQueued: number;
  readonly #slots: Slot[] = [];
  readonly #queue: Job[] = [];
  #nextId = 1;
  #completed = 0;
  #shed = 0;

  constructor(options: { size: number; maxQueued: number }) {
    this.#size = Math.max(1, options.size);
    this.#maxQueued = Math.max(0, options.maxQueued);
  }

  stats(): ScryptPoolStats {
    return {
      completed: this.#completed,
      shed: this.#shed,
      running: this.#slots.filter((s) => s.job).length,
      queued: this.#queue.length,
    };
  }

  hash(password: string, salt: Buffer, keyLength: number, options: ScryptOptions): Promise<Buffer> {
    return this.#submit({ password, salt: new Uint8Array(salt), keyLength, options });
  }

  /**
   * PBKDF2-HMAC-SHA256 on the same workers, queue and shedding as scrypt: a Django hash carries up to
   * a million iterations (about as long as one scrypt), and libuv's threads stay with the drivers.
   */
  pbkdf2Sha256(password: string, salt: Buffer, iterations: number, keyLength: number): Promise<Buffer> {
    return this.#submit({ password, salt: new Uint8Array(salt), keyLength, options: {}, pbkdf2Iterations: iterations });
  }

  #submit(work: Omit<Job, 'id' | 'resolve' | 'reject'>): Promise<Buffer> {
    return new Promise<Buffer>((resolve, reject) => {
      const job: Job = { id: this.#nextId++, ...work, resolve, reject };
      const idle = this.#idleSlot();
      if (idle) return this.#run(idle, job);
      if (this.#queue.length >= this.#maxQueued) {
        this.#shed++;
        reject(new PasswordCheckBusy());
        return;
      }
      this.#queue.push(job);
    });
  }

  #idleSlot(): Slot | null {
    const idle = this.#slots.find((s) => !s.job);
    if (idle) return idle;
    if (this.#slots.length < this.#size) {
      const slot = this.#spawn();
      this.#slots.push(slot);
      return slot;
    }
    return null;
  }

  #spawn(): Slot {
    const worker = new Worker(WORKER_SOURCE, { eval: true });
    const slot: Slot = { worker, job: null };
    worker.unref(); // idle workers never keep the process alive; a running job refs it (see #run)
    worker.on('message', (msg: { id: number; key?: Uint8Array; error?: string }) => {
      const job = slot.job;
      if (!job || job.id !== msg.id) return;
      this.#finish(slot);
      if (msg.key) job.resolve(Buffer.from(msg.key.buffer, msg.key.byteOffset, msg.key.byteLength));
      else job.reject(new Error(msg.error ?? 'scrypt failed'));
    });
    worker.on('error', (err) => this.#crashed(slot, err));
    worker.on('exit', (code) => this.#crashed(slot, new Error(`scrypt worker exited with code ${code}`)));
    return slot;
  }

  #run(slot: Slot, job: Job): void {
    slot.job = job;
    slot.worker.ref();
    const { resolve: _r, reject: _j, ...message } = job;
    slot.worker.postMessage(message);
  }

  #finish(slot: Slot): void {
    this.#completed++;
    slot.job = null;
    slot.worker.unref();
    const next = this.#queue.shift();
    if (next) this.#run(slot, next);
  }

  #crashed(slot: Slot, err: Error): void {
    const index = this.#slots.indexOf(slot);
    if (index < 0) return;
    this.#slots.splice(index, 1);
    const job = slot.job;
    slot.job = null;
    if (job) {
      this.#completed++;
      job.reject(err);
    }
    // Whatever waits gets a fresh worker.
    const next = this.#queue.shift();
    if (next) {
      const fresh = this.#idleSlot();
      if (fresh) this.#run(fresh, next);
      else this.#queue.unshift(next);
    }
  }
}

function envInt(name: string, fallback: number): number {
  const v = Number(process.env[name]);
  return Number.isInteger(v) && v > 0 ? v : fallback;
}

/**
 * The process's pool: one worker per core up to 4 (SALESFLEET_PASSWORD_WORKERS), at most 64 waiting
 * (SALESFLEET_PASSWORD_QUEUE). Memory: 128 MiB per running hash.
 */
export const scryptPool = new ScryptPool({
  size: envInt('SALESFLEET_PASSWORD_WORKERS', Math.min(4, availableParallelism())),
  maxQueued: envInt('SALESFLEET_PASSWORD_QUEUE', 64),
});
