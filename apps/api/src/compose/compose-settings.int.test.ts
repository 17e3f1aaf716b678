import { ComposeSettings, type Identity } from '@correio/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HttpClient } from '../testing/http-client.js';
import { type TestApp, startTestApp } from '../testing/test-app.js';

// Compose settings: the addresses an account sends as (its own and its aliases) with signatures
// (sanitized), the undo-send window, the size limit.
describe('compose settings and signatures', () => {
  let t: TestApp;
  let bruna: HttpClient;

  beforeAll(async () => {
    t = await startTestApp({ CORREIO_DOMAIN: 'paulolopes.fr', CORREIO_MAX_MESSAGE_BYTES: '1048576' });
    await t.directory.addAccount({ address: 'bruna@paulolopes.fr', password: 'bruna-password', displayName: 'Bruna Lopes' });
    await t.directory.addAccount({ address: 'joel@paulolopes.fr', password: 'joel-password' });
    await t.aliases.addAlias('contato@paulolopes.fr', 'bruna@paulolopes.fr');
    await t.aliases.addAlias('vendas@paulolopes.fr', 'joel@paulolopes.fr');
    bruna = new HttpClient(t.baseUrl);
    expect((await bruna.login('bruna@paulolopes.fr', 'bruna-password')).status).toBe(200);
  });
  afterAll(() => t?.close());

  it('lists the own address first and the aliases that deliver to it, with the defaults', async () => {
    const settings = await bruna.json<ComposeSettings>('GET', '/api/v1/compose/settings');
    expect(ComposeSettings.parse(settings)).toEqual(settings);
    expect(settings).toEqual({
      identities: [
        { address: 'bruna@paulolopes.fr', name: 'Bruna Lopes', signatureHtml: '', isPrimary: true },
        { address: 'contato@paulolopes.fr', name: 'Bruna Lopes', signatureHtml: '', isPrimary: false },
      ],
      undoSendSeconds: 10,
      maxMessageBytes: 1048576,
    });
  });

  it('sets the undo window within 0-30 s', async () => {
    expect((await bruna.json<ComposeSettings>('PATCH', '/api/v1/compose/settings', { undoSendSeconds: 0 })).undoSendSeconds).toBe(0);
    expect((await bruna.request('PATCH', '/api/v1/compose/settings', { undoSendSeconds: 31 })).status).toBe(400);
    expect((await bruna.json<ComposeSettings>('PATCH', '/api/v1/compose/settings', { undoSendSeconds: 5 })).undoSendSeconds).toBe(5);
    expect((await bruna.json<ComposeSettings>('GET', '/api/v1/compose/settings')).undoSendSeconds).toBe(5);
  });

  it('stores a sanitized signature per address; an address it cannot send as is 403', async () => {
    const res = await bruna.json<Identity>('PUT', '/api/v1/compose/signatures/Contato@PauloLopes.fr', {
      html: '<p style="color:#333;position:absolute">Bruna — <a href="https://paulolopes.fr">paulolopes.fr</a></p><script>x()</script><img src="https://t.example/x.gif">',
    });
    expect(res).toEqual({
      address: 'contato@paulolopes.fr',
      name: 'Bruna Lopes',
      signatureHtml: '<p style="color:#333">Bruna — <a href="https://paulolopes.fr">paulolopes.fr</a></p><img />',
      isPrimary: false,
    });
    const settings = await bruna.json<ComposeSettings>('GET', '/api/v1/compose/settings');
    expect(settings.identities.find((i) => i.address === 'contato@paulolopes.fr')?.signatureHtml).toBe(res.signatureHtml);
    for (const address of ['joel@paulolopes.fr', 'vendas@paulolopes.fr', 'someone@gmail.example']) {
      expect((await bruna.request('PUT', `/api/v1/compose/signatures/${address}`, { html: '<p>x</p>' })).status).toBe(403);
    }
  });

  it('documents every compose route in OpenAPI', async () => {
    const doc = (await (await fetch(`${t.baseUrl}/api/docs-json`)).json()) as { paths: Record<string, Record<string, { summary?: string }>> };
    const routes: [string, string][] = [
      ['/api/v1/uploads', 'post'],
      ['/api/v1/uploads/{id}', 'delete'],
      ['/api/v1/drafts', 'put'],
      ['/api/v1/drafts/{id}', 'put'],
      ['/api/v1/drafts/{id}', 'get'],
      ['/api/v1/drafts/{id}', 'delete'],
      ['/api/v1/contacts/suggest', 'get'],
      ['/api/v1/compose/settings', 'get'],
      ['/api/v1/compose/settings', 'patch'],
      ['/api/v1/compose/signatures/{address}', 'put'],
      ['/api/v1/messages/scheduled', 'get'],
      ['/api/v1/messages/{id}/delivery', 'get'],
    ];
    for (const [path, method] of routes) expect(doc.paths[path]?.[method]?.summary, `${method} ${path}`).toEqual(expect.any(String));
  });
});
