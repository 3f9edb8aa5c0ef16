// Entry of a worker thread whose real entry is TypeScript (the workspace runs its packages from
// source): registers tsx in this thread, then loads workerData.entry. Plain JavaScript, so it needs
// no loader itself.
import { workerData } from 'node:worker_threads';

if (String(workerData.entry).endsWith('.ts')) {
  const { register } = await import('tsx/esm/api');
  register();
}
await import(workerData.entry);
