/**
 * The webmail as a person meets it, for the Chromium system tests: accounts made with the admin CLI,
 * the built Next.js app (`next start`) in front of a built API process. Shared by every
 * test/system/*.e2e.test.ts that drives the browser.
 */
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { freePort, repoRoot } from '@correio/testing';

const run = promisify(execFile);

export const ARTIFACTS = path.join(repoRoot, 'test-results');

export interface Person {
  address: string;
  password: string;
}

/**
 * Accounts are made the way an admin makes them: with the CLI, against the same database.
 * CORREIO_CLI may name another build of the CLI (default: scripts/correio.mjs).
 */
export async function addAccount(env: Record<string, string>, who: Person, extra: string[] = []): Promise<void> {
  const cli = process.env.CORREIO_CLI ?? path.join(repoRoot, 'scripts/correio.mjs');
  await run(process.execPath, [cli, 'account', 'add', who.address, '--password', who.password, ...extra], {
    cwd: repoRoot,
    env: { ...process.env, ...env },
    timeout: 60_000,
  });
}

/** Runs the admin CLI with the given arguments against the same database. */
export async function correio(env: Record<string, string>, args: string[]): Promise<string> {
  const cli = process.env.CORREIO_CLI ?? path.join(repoRoot, 'scripts/correio.mjs');
  const { stdout } = await run(process.execPath, [cli, ...args], { cwd: repoRoot, env: { ...process.env, ...env }, timeout: 60_000 });
  return stdout;
}

/** `next build` once (CI builds everything first; this covers a bare `npm run test:system`). */
export async function ensureWebBuild(): Promise<void> {
  const webDir = path.join(repoRoot, 'apps/web');
  if (existsSync(path.join(webDir, '.next/BUILD_ID'))) return;
  await run(process.execPath, [nextBin(), 'build'], {
    cwd: webDir,
    env: { ...process.env, NEXT_TELEMETRY_DISABLED: '1' },
    timeout: 280_000,
    maxBuffer: 32 * 1024 * 1024,
  });
}

function nextBin(): string {
  return path.join(repoRoot, 'node_modules/next/dist/bin/next');
}

export interface WebProcess {
  origin: string;
  output(): string;
  stop(): Promise<void>;
}

/** `next start` on a free port, proxying /api to `apiUrl`; its output goes to test-results/<logName> at stop. */
export async function startWeb(apiUrl: string, logName = 'webmail-e2e-web.log'): Promise<WebProcess> {
  const port = await freePort();
  const child: ChildProcess = spawn(process.execPath, [nextBin(), 'start', '-H', '127.0.0.1', '-p', String(port)], {
    cwd: path.join(repoRoot, 'apps/web'),
    env: { ...process.env, CORREIO_API_URL: apiUrl, NEXT_TELEMETRY_DISABLED: '1', NODE_ENV: 'production' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const origin = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`next start exited early:\n${out}`);
    try {
      const res = await fetch(`${origin}/login`);
      if (res.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`next start not ready in 60 s:\n${out}`);
    await sleep(200);
  }
  return {
    origin,
    output: () => out,
    async stop() {
      await writeFile(path.join(ARTIFACTS, logName), out).catch(() => {});
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      await Promise.race([exited, sleep(5000)]);
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    },
  };
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
