import { chmodSync, closeSync, mkdirSync, openSync } from 'node:fs';

/**
 * Tenant data, the registry (password hashes, sealed database passwords), the secret key and the
 * operations log are readable by the service's user only: folders 0700, files 0600, whatever the
 * umask. SQLite creates a database's -wal and -shm files with the database file's own mode.
 */
export const PRIVATE_DIR_MODE = 0o700;
export const PRIVATE_FILE_MODE = 0o600;

/** mkdir -p with 0700 for every folder it creates. */
export function makePrivateDir(path: string): void {
  mkdirSync(path, { recursive: true, mode: PRIVATE_DIR_MODE });
}

/**
 * Creates an empty file 0600 (an empty file is a valid empty SQLite database, so SQLite then opens it
 * instead of creating it with the umask's mode). `exclusive`: fail with EEXIST when it exists.
 */
export function createPrivateFile(path: string, { exclusive = false } = {}): void {
  closeSync(openSync(path, exclusive ? 'wx' : 'a', PRIVATE_FILE_MODE));
}

/** Narrows a file that was created some other way (a copy) to 0600. */
export function makePrivate(path: string): void {
  chmodSync(path, PRIVATE_FILE_MODE);
}
