import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

/** Debian's Chromium (`apt-get install -y chromium`); CHROMIUM_PATH overrides. */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** CI=true (or 1, yes), as CI systems and .ci/run set it. */
export function inCi(): boolean {
  return /^(1|true|yes)$/i.test(process.env.CI ?? '');
}

/**
 * Launches headless Chromium for browser tests. In CI (CI=true) a missing browser fails the run;
 * on a developer machine without it the browser suites are skipped with a message saying why.
 */
export async function launchBrowser(ctx: Mocha.Context): Promise<Browser> {
  if (!existsSync(CHROMIUM_PATH)) {
    if (inCi()) throw new Error(`Chromium not found at ${CHROMIUM_PATH}; .ci/run installs it (apt-get install -y chromium)`);
    console.warn(`  (browser tests skipped: no Chromium at ${CHROMIUM_PATH}; apt-get install -y chromium)`);
    ctx.skip();
  }
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-quic', '--no-first-run', '--disable-component-update', '--disable-sync'],
  });
}
