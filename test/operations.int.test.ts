import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { type ApiProcess, SmtpTranscript, code, createTestDatabase, repoRoot, startApiProcess } from '@correio/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// Operations basics of the built service as a real process: configuration errors, health, and
// graceful shutdown (listeners close; in-flight SMTP transactions finish or get 421).

describe('configuration', () => {
  it('exits 1 naming every invalid setting', () => {
    const r = spawnSync(process.execPath, [path.join(repoRoot, 'apps/api/dist/main.js')], {
      env: { ...process.env, CORREIO_SMTP_PORT: 'twenty-five', CORREIO_ROLES: 'http,fax', DATABASE_URL: 'mysql://x' },
      encoding: 'utf8',
      timeout: 30_000,
    });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('invalid configuration');
    expect(r.stderr).toContain('CORREIO_SMTP_PORT');
    expect(r.stderr).toContain('CORREIO_ROLES');
    expect(r.stderr).toContain('DATABASE_URL');
  });
});

describe('running service', () => {
  let dir: string;
  let drop: () => Promise<void> = async () => {};
  let api: ApiProcess;

  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'correio-ops-'));
    const db = process.env.TEST_DATABASE_URL || process.env.DATABASE_URL ? await createTestDatabase() : undefined;
    if (db) drop = db.drop;
    api = await startApiProcess({
      DATABASE_URL: db?.url,
      CORREIO_DATA_DIR: dir,
      CORREIO_DOMAIN: 'ifsc.edu',
      CORREIO_ADMIN_ADDRESS: 'joel@ifsc.edu',
      CORREIO_ADMIN_PASSWORD: 'joel-password',
    });
  });
  afterAll(async () => {
    await api.kill();
    await drop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('prints the web URL, the API docs URL and the mail port, and serves /api/health and /api/docs', async () => {
    expect(api.output()).toMatch(/Web mail\s+http:\/\/localhost:3000/);
    expect(api.output()).toContain(`http://127.0.0.1:${api.httpPort}/api/docs`);
    expect(api.output()).toContain(`SMTP (MX)       127.0.0.1:${api.smtpPort}`);
    const health = await fetch(`http://127.0.0.1:${api.httpPort}/api/health`);
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({ status: 'ok', database: 'ok' });
    const docs = (await (await fetch(`http://127.0.0.1:${api.httpPort}/api/docs-json`)).json()) as { paths: Record<string, unknown> };
    expect(Object.keys(docs.paths)).toEqual(
      expect.arrayContaining(['/api/v1/auth/login', '/api/v1/mailboxes', '/api/v1/mailboxes/{id}/messages', '/api/v1/messages/{id}/raw']),
    );
  });

  it('on SIGTERM finishes the DATA in flight with 250, answers an idle transaction 421, then exits 0', async () => {
    const busy = await SmtpTranscript.connect(api.smtpPort);
    const idle = await SmtpTranscript.connect(api.smtpPort);
    for (const s of [busy, idle]) {
      await s.read();
      await s.command('EHLO shutdown.test');
      await s.command('MAIL FROM:<bruna@paulolopes.fr>');
      expect(code(await s.command('RCPT TO:<joel@ifsc.edu>'))).toBe(250);
    }
    expect(code(await busy.command('DATA'))).toBe(354);
    busy.write('Subject: in flight\r\n\r\nfirst half\r\n');
    api.child.kill('SIGTERM');
    await new Promise((r) => setTimeout(r, 500));
    busy.write('second half\r\n');
    expect(code(await busy.command('.'))).toBe(250);
    busy.close();
    // smtp-server answers 421 to connections still open when its close timeout ends.
    expect(await idle.read(20_000)).toMatch(/^421/);
    idle.close();
    expect(await api.stop()).toBe(0);
  });
});
