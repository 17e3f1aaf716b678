/**
 * Launches Debian's Chromium through playwright-core for the system tests.
 *
 * `npx playwright install` can't download browsers on our machines, so we drive the distro build.
 * The flags stop Chromium's own background traffic (updates, sync, QUIC probes), which the closed
 * network refuses and which would also pollute the "no request leaves the web origin" assertions.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Browser, type BrowserContext, chromium } from 'playwright-core';

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-dev-shm-usage',
];

export interface LaunchedBrowser {
  /** A fresh context (own cookies/storage) per call: one per simulated user. */
  newContext(options?: Parameters<Browser['newContext']>[0]): Promise<BrowserContext>;
  close(): Promise<void>;
}

/**
 * Chromium with a fresh, throw-away profile directory. Persistent contexts are the only way to
 * pass --user-data-dir through playwright, so the "browser" here is one persistent context per
 * user, each with its own profile; close() removes them all.
 */
export async function launchBrowser(): Promise<LaunchedBrowser> {
  const contexts: BrowserContext[] = [];
  const dirs: string[] = [];
  return {
    async newContext(options) {
      const dir = await mkdtemp(join(tmpdir(), 'correio-chromium-'));
      dirs.push(dir);
      const ctx = await chromium.launchPersistentContext(dir, {
        executablePath: CHROMIUM_PATH,
        headless: true,
        args: CHROMIUM_ARGS,
        viewport: { width: 1360, height: 860 },
        locale: 'en-GB',
        timezoneId: 'UTC',
        ...options,
      });
      contexts.push(ctx);
      return ctx;
    },
    async close() {
      await Promise.allSettled(contexts.map((c) => c.close()));
      await Promise.allSettled(dirs.map((d) => rm(d, { recursive: true, force: true })));
    },
  };
}
