#!/usr/bin/env node
// The compiled CLI (dist/, built first when missing or stale; see @salesfleet/build).
// SALESFLEET_FROM_SOURCE=1 runs the TypeScript sources through tsx instead (development).
if (process.env.SALESFLEET_FROM_SOURCE === '1') {
  const { register } = await import('tsx/esm/api');
  register();
  await import('../src/main.ts');
} else {
  const { launch } = await import('@salesfleet/build');
  await launch(new URL('..', import.meta.url));
}
