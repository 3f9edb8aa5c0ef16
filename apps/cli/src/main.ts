/**
 * Entry point of the operator CLI: `pnpm cli <command>` (root script → bin/salesfleet.js → here), or
 * `node --import tsx apps/cli/src/main.ts <command>`.
 */
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { runCli } from './cli';

// `pnpm cli` runs the script in the workspace root; INIT_CWD is where the user typed it, so that
// `./data` and `.env` are theirs. Only trusted when pnpm/npm is running our own `cli` script.
if (process.env.npm_lifecycle_event === 'cli' && process.env.INIT_CWD) {
  try {
    process.chdir(process.env.INIT_CWD);
  } catch {
    // The directory vanished; stay where pnpm put us.
  }
}

const script = basename(process.argv[1] ?? '');
const invokedAs = script === 'salesfleet' ? 'salesfleet' : 'pnpm cli';
const version = (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }).version;

// `pnpm cli list-tenants | head`: when the reader goes away, further output is dropped quietly (as
// Unix tools do) and the command still finishes what it started — no half-made tenant, no stack.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code !== 'EPIPE') throw err;
  });
}

const pnpmBanner = process.env.npm_lifecycle_event === 'cli' && process.env.npm_config_reporter !== 'silent';
const code = await runCli(process.argv.slice(2), { invokedAs, version, pnpmBanner });
// Flush, then exit even if a driver left a timer or socket behind.
await new Promise<void>((resolve) => process.stdout.write('', () => resolve()));
await new Promise<void>((resolve) => process.stderr.write('', () => resolve()));
process.exit(code);
