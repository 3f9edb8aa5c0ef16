import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { ServiceBusy } from '@salesfleet/contracts';

/**
 * Every password hash the process computes (argon2id, legacy scrypt, imported Django PBKDF2) runs
 * here, off the event loop and off libuv's thread pool. libuv's four threads also run SQLite queries
 * and DNS lookups: a burst of sign-ins once starved SQLite tenants into 60 s timeouts when scrypt ran
 * there — and @node-rs/argon2's async `hash`/`verify` are napi async work, i.e. libuv's pool too, so
 * only its synchronous `hashRawSync` is used, on these workers. Each hash runs on a worker thread of a
 * small pool: at most `size` at once, at most `maxQueued` waiting; beyond that the check is shed with
 * `ServiceBusy` (503) instead of queueing without bound.
 */

export type PasswordAlgorithm =
  | { kind: 'argon2id'; m: number; t: number; p: number }
  | { kind: 'scrypt'; N: number; r: number; p: number }
  | { kind: 'pbkdf2-sha256'; iterations: number };

// Plain CommonJS evaluated in the worker: no loader (tsx) is needed there. The native argon2 binding
// is required by the path resolved here (an eval'd worker resolves packages from the cwd).
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const { pbkdf2Sync, scryptSync } = require('node:crypto');
const argon2 = require(workerData.argon2);
parentPort.on('message', (job) => {
  try {
    const a = job.algorithm;
    const salt = Buffer.from(job.salt);
    let key;
    if (a.kind === 'argon2id') {
      // algorithm 2 = Argon2id, version 1 = 0x13 (19): the enums of @node-rs/argon2.
      key = argon2.hashRawSync(job.password, { algorithm: 2, version: 1, memoryCost: a.m, timeCost: a.t, parallelism: a.p, outputLen: job.keyLength, salt });
    } else if (a.kind === 'scrypt') {
      // scrypt needs 128 * N * r * p bytes; Node refuses more than maxmem (default 32 MiB).
      key = scryptSync(job.password, salt, job.keyLength, { N: a.N, r: a.r, p: a.p, maxmem: 128 * a.N * a.r * a.p + 32 * 1024 * 1024 });
    } else if (a.kind === 'pbkdf2-sha256') {
      key = pbkdf2Sync(job.password, salt, a.iterations, job.keyLength, 'sha256');
    } else {
      throw new Error('unknown password algorithm');
    }
    parentPort.postMessage({ id: job.id, key });
  } catch (err) {
    parentPort.postMessage({ id: job.id, error: String((err && err.message) || err) });
  }
});
`;

const ARGON2_BINDING = createRequire(import.meta.url).resolve('@node-rs/argon2');

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
  algorithm: PasswordAlgorithm;
  resolve: (key: Buffer) => void;
  reject: (err: Error) => void;
}

interface Slot {
  worker: Worker;
  job: Job | null;
}

export interface PasswordPoolStats {
  /** Hashes computed (or failed) since start. */
  completed: number;
  /** Hashes refused because the queue was full. */
  shed: number;
  running: number;
  queued: number;
}

export class PasswordPool {
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

  stats(): PasswordPoolStats {
    return {
      completed: this.#completed,
      shed: this.#shed,
      running: this.#slots.filter((s) => s.job).length,
      queued: this.#queue.length,
    };
  }

  /**
   * The `keyLength`-byte key `algorithm` derives from `password` (as given: the caller normalises)
   * and `salt`, computed on a worker.
   */
  derive(password: string, salt: Buffer, keyLength: number, algorithm: PasswordAlgorithm): Promise<Buffer> {
    return this.#submit({ password, salt: new Uint8Array(salt), keyLength, algorithm: { ...algorithm } });
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
    const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { argon2: ARGON2_BINDING } });
    const slot: Slot = { worker, job: null };
    worker.unref(); // idle workers never keep the process alive; a running job refs it (see #run)
    worker.on('message', (msg: { id: number; key?: Uint8Array; error?: string }) => {
      const job = slot.job;
      if (!job || job.id !== msg.id) return;
      this.#finish(slot);
      if (msg.key) job.resolve(Buffer.from(msg.key.buffer, msg.key.byteOffset, msg.key.byteLength));
      else job.reject(new Error(msg.error ?? 'password hash failed'));
    });
    worker.on('error', (err) => this.#crashed(slot, err));
    worker.on('exit', (code) => this.#crashed(slot, new Error(`password worker exited with code ${code}`)));
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
 * (SALESFLEET_PASSWORD_QUEUE). Memory: 19 MiB per running argon2id hash (128 MiB while a legacy
 * scrypt hash is verified).
 */
export const passwordPool = new PasswordPool({
  size: envInt('SALESFLEET_PASSWORD_WORKERS', Math.min(4, availableParallelism())),
  maxQueued: envInt('SALESFLEET_PASSWORD_QUEUE', 64),
});
