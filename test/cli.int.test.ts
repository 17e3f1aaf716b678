import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createTestDatabase, repoRoot, startApiProcess } from '@correio/testing';
import { afterAll, describe, expect, it } from 'vitest';

// The admin CLI as scripts use it: the built command, real databases, exit codes, --json.

// Asynchronous on purpose: the in-memory PGlite of a test database is served by this process, so
// blocking it (spawnSync) would starve the CLI's connection.
async function correio(env: Record<string, string | undefined>, ...args: string[]) {
  const childEnv: NodeJS.ProcessEnv = { ...process.env };
  for (const [k, v] of Object.entries(env)) {
    if (v === undefined) delete childEnv[k];
    else childEnv[k] = v;
  }
  const child = spawn(process.execPath, [path.join(repoRoot, 'apps/api/dist/cli/main.js'), ...args], { env: childEnv });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const status = await new Promise<number | null>((resolve) => child.on('close', resolve));
  return { status, stdout, stderr };
}

async function login(port: number, address: string, password: string): Promise<number> {
  const res = await fetch(`http://127.0.0.1:${port}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ address, password }),
  });
  return res.status;
}

describe('admin CLI on the embedded database', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'correio-cli-'));
  const env = { DATABASE_URL: undefined, TEST_DATABASE_URL: undefined, CORREIO_DATA_DIR: dir };
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('works with the service stopped, and through the running service', async () => {
    expect(await correio(env, 'account', 'add', 'joel@ifsc.edu', '--password', 'joel-password')).toMatchObject({ status: 0 });
    const api = await startApiProcess({ ...env, CORREIO_ADMIN_PASSWORD: 'admin-password' });
    try {
      // PGlite's folder belongs to the service now; the CLI must go through it, not open the folder.
      const added = await correio(env, '--json', 'account', 'add', 'ana@ifsc.edu', '--password', 'ana-password');
      expect(added.status).toBe(0);
      expect(JSON.parse(added.stdout)).toMatchObject({ address: 'ana@ifsc.edu', role: 'user' });
      expect(await login(api.httpPort, 'ana@ifsc.edu', 'ana-password')).toBe(200);
      expect(await login(api.httpPort, 'joel@ifsc.edu', 'joel-password')).toBe(200);

      expect((await correio(env, 'account', 'password', 'ana@ifsc.edu', '--password', 'new-password')).status).toBe(0);
      expect(await login(api.httpPort, 'ana@ifsc.edu', 'ana-password')).toBe(401);
      expect(await login(api.httpPort, 'ana@ifsc.edu', 'new-password')).toBe(200);

      const list = JSON.parse((await correio(env, '--json', 'account', 'list')).stdout) as { address: string }[];
      expect(list.map((a) => a.address).sort()).toEqual(['admin@correio.test', 'ana@ifsc.edu', 'joel@ifsc.edu']);
    } finally {
      await api.stop();
    }
  });
});

describe('admin CLI on a PostgreSQL server', () => {
  const cleanups: (() => Promise<void>)[] = [];
  afterAll(async () => {
    for (const c of cleanups) await c();
  });

  it('manages domains, accounts and aliases, with exit codes 0/1/2', async () => {
    const db = await createTestDatabase();
    cleanups.push(db.drop);
    const env = { DATABASE_URL: db.url };
    expect(await correio(env, 'domain', 'add', 'ifsc.edu')).toMatchObject({ status: 0, stdout: 'domain ifsc.edu added\n' });
    expect((await correio(env, 'domain', 'add', 'not a domain')).status).toBe(1);
    expect(await correio(env, 'domain', 'add', 'ifsc.edu')).toMatchObject({ status: 1, stderr: 'correio: domain ifsc.edu already exists\n' });
    const gen = await correio(env, 'account', 'add', 'joel@ifsc.edu');
    expect(gen.status).toBe(0);
    expect(gen.stdout).toMatch(/password: \S{12,}/); // generated and shown once
    expect((await correio(env, 'alias', 'add', 'team@ifsc.edu', 'joel@ifsc.edu')).status).toBe(0);
    expect((await correio(env, 'alias', 'list')).stdout).toMatch(/team@ifsc\.edu\s+joel@ifsc\.edu/);
    expect(await correio(env, 'domain', 'remove', 'ifsc.edu')).toMatchObject({ status: 1 }); // still has an account
    expect((await correio(env, 'account', 'remove', 'joel@ifsc.edu')).status).toBe(0);
    expect((await correio(env, 'alias', 'remove', 'team@ifsc.edu')).status).toBe(0);
    expect((await correio(env, 'domain', 'remove', 'ifsc.edu')).status).toBe(0);
    expect(JSON.parse((await correio(env, '--json', 'domain', 'list')).stdout)).toEqual([]);
    expect((await correio(env, 'account', 'frobnicate')).status).toBe(2);
    expect((await correio(env, '--help')).status).toBe(0);
  });
});
