import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HttpClient } from '../testing/http-client.js';
import { type TestApp, startTestApp } from '../testing/test-app.js';

/** Real parsers (Python's xml.etree and plistlib): a malformed document fails the test. */
function python<T>(script: string, input: string): T {
  return JSON.parse(execFileSync('python3', ['-c', script], { input, encoding: 'utf8' })) as T;
}

const THUNDERBIRD = `
import sys, json, xml.etree.ElementTree as ET
root = ET.fromstring(sys.stdin.buffer.read())
assert root.tag == 'clientConfig' and root.get('version') == '1.1', root.tag
p = root.find('emailProvider')
def server(e):
    return {'type': e.get('type'), **{c.tag: c.text for c in e}}
print(json.dumps({'id': p.get('id'), 'domains': [d.text for d in p.findall('domain')],
  'incoming': [server(e) for e in p.findall('incomingServer')], 'outgoing': [server(e) for e in p.findall('outgoingServer')]}))
`;

const AUTODISCOVER = `
import sys, json, xml.etree.ElementTree as ET
ns = {'r': 'http://schemas.microsoft.com/exchange/autodiscover/responseschema/2006', 'o': 'http://schemas.microsoft.com/exchange/autodiscover/outlook/responseschema/2006a'}
root = ET.fromstring(sys.stdin.buffer.read())
acc = root.find('o:Response/o:Account', ns)
if acc is None:
    print(json.dumps({'error': root.find('r:Response/r:Error/r:ErrorCode', ns).text})); sys.exit()
print(json.dumps({'type': acc.find('o:AccountType', ns).text, 'protocols': [{c.tag.split('}')[1]: c.text for c in p} for p in acc.findall('o:Protocol', ns)]}))
`;

const PLIST = `
import sys, json, plistlib
print(json.dumps(plistlib.loads(sys.stdin.buffer.read()), default=str))
`;

interface Server {
  type: string;
  hostname: string;
  port: string;
  socketType: string;
  username: string;
  authentication: string;
}

describe('mail client set-up', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ CORREIO_DOMAIN: 'ifsc.edu', CORREIO_HOSTNAME: 'mail.ifsc.edu' });
    await t.directory.addAccount({ address: 'joel@ifsc.edu', password: 'joel-password', displayName: 'Joel <& "Souza">' });
  });
  afterAll(() => t.close());

  it("answers Thunderbird's autoconfig in its documented format, on both paths", async () => {
    for (const path of ['/.well-known/autoconfig/mail/config-v1.1.xml', '/mail/config-v1.1.xml']) {
      const res = await fetch(`${t.baseUrl}${path}?emailaddress=joel%40ifsc.edu`);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/^application\/xml/);
      const c = python<{ id: string; domains: string[]; incoming: Server[]; outgoing: Server[] }>(THUNDERBIRD, await res.text());
      expect(c.id).toBe('ifsc.edu');
      expect(c.domains).toEqual(['ifsc.edu']);
      const common = { hostname: 'mail.ifsc.edu', username: '%EMAILADDRESS%', authentication: 'password-cleartext' };
      expect(c.incoming).toEqual([
        { type: 'imap', port: '993', socketType: 'SSL', ...common },
        { type: 'imap', port: '143', socketType: 'STARTTLS', ...common },
        { type: 'pop3', port: '995', socketType: 'SSL', ...common },
        { type: 'pop3', port: '110', socketType: 'STARTTLS', ...common },
      ]);
      expect(c.outgoing).toEqual([
        { type: 'smtp', port: '465', socketType: 'SSL', ...common },
        { type: 'smtp', port: '587', socketType: 'STARTTLS', ...common },
      ]);
    }
    expect((await fetch(`${t.baseUrl}/.well-known/autoconfig/mail/config-v1.1.xml?emailaddress=a%40gmail.com`)).status).toBe(404);
  });

  it('answers a POSTed Autodiscover request (POX), and an error for a foreign address', async () => {
    const request = (email: string) => `<?xml version="1.0" encoding="utf-8"?>
<Autodiscover xmlns="http://schemas.microsoft.com/exchange/autodiscover/outlook/requestschema/2006">
  <Request><EMailAddress>${email}</EMailAddress>
  <AcceptableResponseSchema>http://schemas.microsoft.com/exchange/autodiscover/outlook/responseschema/2006a</AcceptableResponseSchema></Request>
</Autodiscover>`;
    const res = await fetch(`${t.baseUrl}/autodiscover/autodiscover.xml`, {
      method: 'POST',
      headers: { 'content-type': 'text/xml' },
      body: request('Joel@ifsc.edu'),
    });
    expect(res.status).toBe(200);
    const a = python<{ type: string; protocols: Record<string, string>[] }>(AUTODISCOVER, await res.text());
    expect(a.type).toBe('email');
    expect(a.protocols.map((p) => [p.Type, p.Server, p.Port, p.LoginName, p.Encryption])).toEqual([
      ['IMAP', 'mail.ifsc.edu', '993', 'joel@ifsc.edu', 'SSL'],
      ['POP3', 'mail.ifsc.edu', '995', 'joel@ifsc.edu', 'SSL'],
      ['SMTP', 'mail.ifsc.edu', '465', 'joel@ifsc.edu', 'SSL'],
    ]);
    const foreign = await fetch(`${t.baseUrl}/Autodiscover/Autodiscover.xml`, {
      method: 'POST',
      headers: { 'content-type': 'text/xml' },
      body: request('x@gmail.com'),
    });
    expect(python<{ error: string }>(AUTODISCOVER, await foreign.text())).toEqual({ error: '600' });
  });

  it('gives the logged-in user a well-formed .mobileconfig with IMAP and SMTP, escaping their name', async () => {
    expect((await fetch(`${t.baseUrl}/api/v1/settings/mobileconfig`)).status).toBe(401);
    const joel = new HttpClient(t.baseUrl);
    await joel.login('joel@ifsc.edu', 'joel-password');
    const res = await joel.request('GET', '/api/v1/settings/mobileconfig');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^application\/x-apple-aspen-config/);
    expect(res.headers.get('content-disposition')).toBe('attachment; filename="joel@ifsc.edu.mobileconfig"');
    const p = python<{ PayloadType: string; PayloadContent: Record<string, unknown>[] }>(PLIST, await res.text());
    expect(p.PayloadType).toBe('Configuration');
    expect(p.PayloadContent).toHaveLength(1);
    expect(p.PayloadContent[0]).toMatchObject({
      PayloadType: 'com.apple.mail.managed',
      EmailAccountType: 'EmailTypeIMAP',
      EmailAddress: 'joel@ifsc.edu',
      EmailAccountName: 'Joel <& "Souza">',
      IncomingMailServerHostName: 'mail.ifsc.edu',
      IncomingMailServerPortNumber: 993,
      IncomingMailServerUseSSL: true,
      IncomingMailServerUsername: 'joel@ifsc.edu',
      OutgoingMailServerHostName: 'mail.ifsc.edu',
      OutgoingMailServerPortNumber: 465,
      OutgoingMailServerUseSSL: true,
      OutgoingPasswordSameAsIncomingPassword: true,
    });
  });
});
