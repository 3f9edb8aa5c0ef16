import { existsSync } from 'node:fs';
import { type Browser, chromium } from 'playwright-core';

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];

function chromiumRequired(): boolean {
  return (process.env.SALESFLEET_TEST_REQUIRE_SERVERS ?? '')
    .split(',')
    .map((s) => s.trim().toLowerCase())
    .includes('chromium');
}

/**
 * Why the browser tests cannot run here, or null when they can (or must: when CI requires chromium,
 * a missing browser is a failure, not a skip).
 */
export function chromiumSkipReason(what = 'the end-to-end tests'): string | null {
  if (existsSync(CHROMIUM_PATH) || chromiumRequired()) return null;
  return (
    `Chromium not found at ${CHROMIUM_PATH}: skipping ${what}. ` +
    'Install it (apt-get install -y chromium) or set CHROMIUM_PATH; ' +
    'SALESFLEET_TEST_REQUIRE_SERVERS=chromium turns this skip into a failure.'
  );
}

export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(
      `Chromium is required (SALESFLEET_TEST_REQUIRE_SERVERS includes chromium) but ${CHROMIUM_PATH} does not exist. ` +
        'Install it with apt-get install -y chromium, or point CHROMIUM_PATH at a Chromium binary.',
    );
  }
  return chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: CHROMIUM_ARGS });
}
