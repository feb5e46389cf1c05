//! Starts Debian's Chromium headless for one test, with a fresh profile and nothing that phones home.
import { chromium } from 'playwright-core';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** The system Chromium (apt package `chromium`); `npx playwright install` cannot download here. */
export const CHROMIUM = process.env.SPUR_CHROMIUM || '/usr/bin/chromium';

/**
 * Launches a persistent headless Chromium context in a fresh profile directory.
 * `extraArgs` adds flags (for example a fake camera), `options` more context options (for example
 * `serviceWorkers: 'block'`); the returned `close()` also removes the profile.
 */
export async function launch({ extraArgs = [], viewport = { width: 1280, height: 900 }, locale = 'de-DE', options = {} } = {}) {
  const profile = mkdtempSync(join(tmpdir(), 'spur-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    viewport,
    locale,
    ...options,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      ...extraArgs,
    ],
  });
  return {
    context,
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}
