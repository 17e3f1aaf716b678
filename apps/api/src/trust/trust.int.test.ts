import type { MessageTrust } from '@correio/contracts';
import { summarizeMessage } from '@correio/mime';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HttpClient } from '../testing/http-client.js';
import { type TestApp, startTestApp } from '../testing/test-app.js';

// GET /api/v1/messages/:id/trust over real HTTP: verdicts as the MX stored them (messages.auth_results),
// a look-alike From domain, nothing to check on mail that never came through the MX, 404 across accounts.

const crlf = (s: string) => Buffer.from(s.replace(/\r?\n/g, '\r\n'));

describe('trust signals', () => {
  let t: TestApp;
  let ana: { id: string; http: HttpClient };
  let bia: { id: string; http: HttpClient };

  async function deliver(from: string, authResults?: unknown): Promise<string> {
    const raw = crlf(`From: ${from}\nTo: ana@ifsc.edu\nSubject: hi\nMessage-ID: <${Math.random()}@x>\n\nhello\n`);
    const [c] = await t.store.deliver({
      raw,
      summary: await summarizeMessage(raw),
      targets: [{ accountId: ana.id, mailbox: { specialUse: 'inbox' } }],
      envelopeFrom: from,
      authResults,
    });
    return c!.messageId;
  }
  const pass = { spf: 'pass', dkim: [{ domain: 'paypa1.com', selector: 's1', result: 'pass' }], dmarc: 'pass', arc: 'none' };

  beforeAll(async () => {
    t = await startTestApp({ CORREIO_DOMAIN: 'ifsc.edu' });
    const account = async (address: string) => {
      const id = (await t.directory.addAccount({ address, password: `${address}-pw` })).id;
      const http = new HttpClient(t.baseUrl);
      expect((await http.login(address, `${address}-pw`)).status).toBe(200);
      return { id, http };
    };
    ana = await account('ana@ifsc.edu');
    bia = await account('bia@ifsc.edu');
  });
  afterAll(() => t?.close());

  it('warns about a DMARC failure', async () => {
    const id = await deliver('ceo@ifsc.edu', { spf: 'fail', dkim: [], dmarc: 'fail', arc: 'none' });
    const trust = await ana.http.json<MessageTrust>('GET', `/api/v1/messages/${id}/trust`);
    expect(trust).toMatchObject({ checked: true, fromDomain: 'ifsc.edu', dmarc: 'fail', spf: 'fail', dkim: 'none', dkimSignatures: [] });
    expect(trust.lookalike).toBeUndefined();
    expect(trust.warning).toMatch(/failed its authentication checks \(DMARC\)/);
  });

  it("warns about a From domain that looks like a popular one or the server's own, even when it authenticates", async () => {
    const paypal = await ana.http.json<MessageTrust>('GET', `/api/v1/messages/${await deliver('service@paypa1.com', pass)}/trust`);
    expect(paypal).toMatchObject({ dmarc: 'pass', dkim: 'pass', lookalike: { domain: 'paypa1.com', resembles: 'paypal.com' } });
    expect(paypal.warning).toMatch(/paypa1\.com looks like paypal\.com/);
    const own = await ana.http.json<MessageTrust>('GET', `/api/v1/messages/${await deliver('reitor@xn--fsc-ihd.edu', pass)}/trust`);
    expect(own.lookalike?.resembles).toBe('ifsc.edu');
  });

  it('has nothing to say about a genuine message, nor about mail that did not come through the MX', async () => {
    const ok = await ana.http.json<MessageTrust>(
      'GET',
      `/api/v1/messages/${await deliver('joel@example.org', { ...pass, dkim: [] })}/trust`,
    );
    expect(ok).toEqual({ checked: true, fromDomain: 'example.org', dmarc: 'pass', spf: 'pass', dkim: 'none', dkimSignatures: [] });
    const local = await ana.http.json<MessageTrust>('GET', `/api/v1/messages/${await deliver('service@paypa1.com')}/trust`);
    expect(local).toEqual({ checked: false, fromDomain: 'paypa1.com', dmarc: 'none', spf: 'none', dkim: 'none', dkimSignatures: [] });
  });

  it("answers 404 for another account's message and for ids that name nothing", async () => {
    const id = await deliver('joel@example.org', pass);
    expect((await bia.http.request('GET', `/api/v1/messages/${id}/trust`)).status).toBe(404);
    expect((await ana.http.request('GET', '/api/v1/messages/0/trust')).status).toBe(404);
    expect((await ana.http.request('GET', '/api/v1/messages/99999999999999999999/trust')).status).toBe(404);
  });
});
