// What the browser benchmarks (compose-ui.mjs, webmail-ui.mjs) share: the built web app started
// in front of an API (`next start`, loopback), Debian's Chromium launched the way this machine
// allows (no downloads, no background traffic), a login in the page, and percentiles.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { API_MAIN, children, cleanups, freePort, sleep } from './harness.mjs';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** The database server the benchmark makes its throwaway database on. */
export const benchServerUrl = () =>
  process.env.BENCH_DATABASE_URL ?? process.env.DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';

/** Fails early, with what to do, when the API or the web app is not built. */
export function requireBuilds() {
  for (const f of [API_MAIN, path.join(repoRoot, 'apps/web/.next/BUILD_ID')]) {
    if (!existsSync(f)) throw new Error(`${f} is missing: run \`npm run build\` first`);
  }
}

/** p-th percentile of the finite values (NaN marks a timed-out run); NaN when there are none. */
export const pct = (xs, p) => {
  const s = [...xs].filter((x) => Number.isFinite(x)).sort((a, b) => a - b);
  return s.length ? s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)] : Number.NaN;
};
export const fmt = (ms) => (Number.isFinite(ms) ? `${ms.toFixed(1)} ms` : 'n/a');

/** `next start` of the built web app in front of the API at `apiOrigin`; stopped by cleanup(). */
export async function startWeb(apiOrigin) {
  const port = await freePort();
  const child = spawn(
    process.execPath,
    [path.join(repoRoot, 'node_modules/next/dist/bin/next'), 'start', '-H', '127.0.0.1', '-p', String(port)],
    {
      cwd: path.join(repoRoot, 'apps/web'),
      env: { ...process.env, CORREIO_API_URL: apiOrigin, NEXT_TELEMETRY_DISABLED: '1', NODE_ENV: 'production' },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  children.add(child);
  cleanups.push(async () => {
    child.kill('SIGTERM');
    children.delete(child);
  });
  const origin = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    try {
      if ((await fetch(`${origin}/login`)).ok) return { origin };
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error('next start did not answer in 60 s');
    await sleep(200);
  }
}

/** Debian's Chromium, headless, in a fresh profile (closed and removed by cleanup()); returns its first page. */
export async function launchPage(viewport = { width: 1360, height: 860 }) {
  const userDataDir = await mkdtemp(path.join(os.tmpdir(), 'correio-bench-chromium-'));
  cleanups.push(() => rm(userDataDir, { recursive: true, force: true }));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-dev-shm-usage',
    ],
    viewport,
  });
  cleanups.push(() => context.close());
  return context.pages()[0] ?? (await context.newPage());
}

/** Signs in through the login page; resolves when the mail view is there. */
export async function signIn(page, webOrigin, user) {
  await page.goto(`${webOrigin}/login`);
  await page.getByTestId('login-address').fill(user.address);
  await page.getByTestId('login-password').fill(user.password);
  await page.getByTestId('login-submit').click();
  await page.getByTestId('mailbox-list').waitFor({ timeout: 60_000 });
}
