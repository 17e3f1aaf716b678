import type { UploadView } from '@correio/contracts';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { HttpClient, fileForm } from '../testing/http-client.js';
import { type TestApp, startTestApp } from '../testing/test-app.js';
import { UploadsService } from '../uploads/uploads.service.js';

const LIMIT = 64 * 1024;

// Attachments by reference are bounded by the message size limit while they are resolved (not
// after composing), so one request cannot make the server hold many times CORREIO_MAX_MESSAGE_BYTES.
describe('attachments by reference: size limit and duplicates', () => {
  let t: TestApp;
  let bruna: HttpClient;

  beforeAll(async () => {
    t = await startTestApp({ CORREIO_DOMAIN: 'paulolopes.fr', CORREIO_MAX_MESSAGE_BYTES: String(LIMIT) });
    await t.directory.addAccount({ address: 'bruna@paulolopes.fr', password: 'bruna-password' });
    bruna = new HttpClient(t.baseUrl);
    expect((await bruna.login('bruna@paulolopes.fr', 'bruna-password')).status).toBe(200);
  });
  afterAll(() => t?.close());

  async function upload(name: string, size: number): Promise<UploadView> {
    const res = await bruna.upload('/api/v1/uploads', fileForm(name, 'application/octet-stream', Buffer.alloc(size, 7)));
    expect(res.status).toBe(201);
    return (await res.json()) as UploadView;
  }
  const remove = (u: UploadView) => bruna.request('DELETE', `/api/v1/uploads/${u.id}`);

  it('refs whose sizes together pass CORREIO_MAX_MESSAGE_BYTES: 413 before any upload is read, nothing sent, the uploads kept', async () => {
    const a = await upload('a.bin', Math.floor(LIMIT * 0.6));
    const b = await upload('b.bin', Math.floor(LIMIT * 0.6));
    const read = vi.spyOn(t.app.get(UploadsService), 'read');
    const res = await bruna.request('POST', '/api/v1/messages/send', {
      to: ['ana@ifsc.edu'],
      subject: 'grande',
      text: 'x',
      attachmentRefs: [
        { source: 'upload', uploadId: a.id },
        { source: 'upload', uploadId: b.id },
      ],
    });
    expect(res.status).toBe(413);
    expect(((await res.json()) as { message: string }).message).toMatch(/larger than 65536 bytes/);
    // Refused from the recorded sizes: no upload's bytes were loaded, nothing was composed.
    expect(read).not.toHaveBeenCalled();
    read.mockRestore();
    const { rows } = await t.db.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM outbound_messages');
    expect(rows[0]!.n).toBe(0);
    expect((await remove(a)).status).toBe(204);
    expect((await remove(b)).status).toBe(204);
  });

  it('the same upload named twice is a 400', async () => {
    const a = await upload('a.bin', 100);
    const res = await bruna.request('POST', '/api/v1/messages/send', {
      to: ['ana@ifsc.edu'],
      subject: 'dupla',
      text: 'x',
      attachmentRefs: [
        { source: 'upload', uploadId: a.id },
        { source: 'upload', uploadId: a.id, inline: true, contentId: 'a@x' },
      ],
    });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { message: string }).message).toMatch(/named twice/);
    expect((await remove(a)).status).toBe(204);
  });
});
