import { createHash } from 'node:crypto';
import type { UploadView } from '@correio/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HttpClient, fileForm } from '../testing/http-client.js';
import { type TestApp, startTestApp } from '../testing/test-app.js';
import { UploadsService } from './uploads.service.js';

const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');
const LIMIT = 256 * 1024;

// POST /api/v1/uploads over real HTTP (multipart, streamed): stored per account, limited to the
// message size, removable; another account's upload is missing to everyone else.
describe('uploads', () => {
  let t: TestApp;
  let ana: HttpClient;
  let bia: HttpClient;
  let anaId: string;

  beforeAll(async () => {
    t = await startTestApp({ CORREIO_DOMAIN: 'ifsc.edu', CORREIO_MAX_MESSAGE_BYTES: String(LIMIT) });
    anaId = (await t.directory.addAccount({ address: 'ana@ifsc.edu', password: 'ana-password' })).id;
    await t.directory.addAccount({ address: 'bia@ifsc.edu', password: 'bia-password' });
    ana = new HttpClient(t.baseUrl);
    bia = new HttpClient(t.baseUrl);
    expect((await ana.login('ana@ifsc.edu', 'ana-password')).status).toBe(200);
    expect((await bia.login('bia@ifsc.edu', 'bia-password')).status).toBe(200);
  });
  afterAll(() => t?.close());

  const count = async () => (await t.db.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM uploads')).rows[0]!.n;

  it('stores a file byte for byte and answers its id, size and SHA-256', async () => {
    const pdf = Buffer.from('%PDF-1.4\n\u0000\u00ff binário', 'latin1');
    const res = await ana.upload('/api/v1/uploads', fileForm('relatório.pdf', 'application/pdf', pdf));
    expect(res.status).toBe(201);
    const view = (await res.json()) as UploadView;
    expect(view).toEqual({ id: expect.stringMatching(/^\d+$/), filename: 'relatório.pdf', contentType: 'application/pdf', size: pdf.length, sha256: sha256(pdf) });
    const stored = await t.app.get(UploadsService).read(anaId, [view.id]);
    expect(sha256(stored.get(view.id)!.content)).toBe(sha256(pdf));
  });

  it('keeps the media type without parameters; an odd one is application/octet-stream', async () => {
    const csv = (await (await ana.upload('/api/v1/uploads', fileForm('a.csv', 'text/csv; charset=utf-8', Buffer.from('a,b')))).json()) as UploadView;
    expect(csv.contentType).toBe('text/csv');
    const odd = (await (await ana.upload('/api/v1/uploads', fileForm('x', 'not a type', Buffer.from('x')))).json()) as UploadView;
    expect(odd.contentType).toBe('application/octet-stream');
  });

  it('refuses a file over CORREIO_MAX_MESSAGE_BYTES with 413 and stores nothing', async () => {
    const before = await count();
    const res = await ana.upload('/api/v1/uploads', fileForm('big.bin', 'application/octet-stream', Buffer.alloc(LIMIT + 1, 7)));
    expect(res.status).toBe(413);
    expect(((await res.json()) as { message: string }).message).toMatch(/larger than the 262144-byte limit/);
    expect(await count()).toBe(before);
    // Exactly at the limit is fine.
    expect((await ana.upload('/api/v1/uploads', fileForm('edge.bin', 'application/octet-stream', Buffer.alloc(LIMIT, 1)))).status).toBe(201);
  });

  it('needs a file field, a session and the CSRF token', async () => {
    const form = new FormData();
    form.append('other', 'x');
    expect((await ana.upload('/api/v1/uploads', form)).status).toBe(400);
    expect((await ana.request('POST', '/api/v1/uploads', { file: 'x' })).status).toBe(400);
    expect((await new HttpClient(t.baseUrl).upload('/api/v1/uploads', fileForm('a.txt', 'text/plain', Buffer.from('a')))).status).toBe(401);
  });

  it("another account's upload is 404; its owner deletes it (204), then it is gone", async () => {
    const view = (await (await ana.upload('/api/v1/uploads', fileForm('a.txt', 'text/plain', Buffer.from('segredo')))).json()) as UploadView;
    expect((await bia.request('DELETE', `/api/v1/uploads/${view.id}`)).status).toBe(404);
    expect((await bia.request('POST', '/api/v1/messages/send', { to: ['ana@ifsc.edu'], text: 'x', attachmentRefs: [{ source: 'upload', uploadId: view.id }] })).status).toBe(400);
    expect((await ana.request('DELETE', `/api/v1/uploads/${view.id}`)).status).toBe(204);
    expect((await ana.request('DELETE', `/api/v1/uploads/${view.id}`)).status).toBe(404);
    expect((await ana.request('DELETE', '/api/v1/uploads/99999999999999999999')).status).toBe(404);
  });

  it("refuses an upload (413, stores nothing) that would take the account's pending uploads past twice the limit", async () => {
    await t.directory.addAccount({ address: 'caio@ifsc.edu', password: 'caio-password' });
    const caio = new HttpClient(t.baseUrl);
    expect((await caio.login('caio@ifsc.edu', 'caio-password')).status).toBe(200);
    const put = (name: string, size: number) => caio.upload('/api/v1/uploads', fileForm(name, 'application/octet-stream', Buffer.alloc(size, 1)));
    const first = (await (await put('1.bin', LIMIT)).json()) as UploadView;
    expect((await put('2.bin', LIMIT - 10)).status).toBe(201);
    const before = await count();
    const res = await put('3.bin', 11);
    expect(res.status).toBe(413);
    expect(((await res.json()) as { message: string }).message).toMatch(/uploads waiting to be sent would pass 524288 bytes/);
    expect(await count()).toBe(before);
    // Exactly at the total is fine; other accounts are not concerned; removing one makes room.
    expect((await put('3.bin', 10)).status).toBe(201);
    expect((await ana.upload('/api/v1/uploads', fileForm('a.bin', 'application/octet-stream', Buffer.alloc(10, 1)))).status).toBe(201);
    expect((await caio.request('DELETE', `/api/v1/uploads/${first.id}`)).status).toBe(204);
    expect((await put('4.bin', LIMIT)).status).toBe(201);
  });

  it('expires uploads after 24 hours', async () => {
    const view = (await (await ana.upload('/api/v1/uploads', fileForm('old.txt', 'text/plain', Buffer.from('velho')))).json()) as UploadView;
    await t.db.pool.query(`UPDATE uploads SET created_at = now() - interval '25 hours' WHERE id = $1`, [view.id]);
    expect(await t.app.get(UploadsService).purgeExpired()).toBe(1);
    expect((await ana.request('DELETE', `/api/v1/uploads/${view.id}`)).status).toBe(404);
  });
});
