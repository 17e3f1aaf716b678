// Smoke test of a fresh install: `npm start` on the embedded default (no DATABASE_URL) in a
// throwaway data folder, the lecture's SMTP dialogue over a raw socket, then the message read back
// through the web app's /api proxy. Prints "smoke: 1 passed, 0 failed" or exits non-zero.
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { root } from './lib/build.mjs';

const free = () => new Promise((resolve) => { const s = net.createServer().listen(0, '127.0.0.1', () => { const p = s.address().port; s.close(() => resolve(p)); }); });
const [web, api, smtp, imap, imaps] = [await free(), await free(), await free(), await free(), await free()];
const dataDir = mkdtempSync(path.join(tmpdir(), 'correio-smoke-'));
const env = { ...process.env, CORREIO_DATA_DIR: dataDir, CORREIO_WEB_PORT: String(web), CORREIO_API_PORT: String(api), CORREIO_SMTP_PORT: String(smtp),
  CORREIO_IMAP_PORT: String(imap), CORREIO_IMAPS_PORT: String(imaps),
  CORREIO_DOMAIN: 'ifsc.edu', CORREIO_ADMIN_ADDRESS: 'joel@ifsc.edu', CORREIO_ADMIN_PASSWORD: 'joel-password' };
delete env.DATABASE_URL;
const child = spawn(process.execPath, [path.join(root, 'scripts/start.mjs')], { env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
let out = '';
child.stdout.on('data', (d) => (out += d));
child.stderr.on('data', (d) => (out += d));
const fail = (msg) => { console.error(`smoke: ${msg}\n--- service output ---\n${out}`); cleanup(); console.log('smoke: 0 passed, 1 failed'); process.exit(1); };
const cleanup = () => { try { process.kill(-child.pid, 'SIGTERM'); } catch {} rmSync(dataDir, { recursive: true, force: true }); };

const deadline = Date.now() + 600_000;
while (!out.includes('Correio is running')) {
  if (child.exitCode !== null || Date.now() > deadline) fail('service did not start');
  await new Promise((r) => setTimeout(r, 200));
}
// Wait for the web app too.
for (;;) {
  try { if ((await fetch(`http://127.0.0.1:${web}/login`)).status < 500) break; } catch {}
  if (Date.now() > deadline) fail('web app did not start');
  await new Promise((r) => setTimeout(r, 300));
}

const body = 'Joel você consegue me ajudar?\r\nMinha linha é discada.\r\n';
const codes = await new Promise((resolve, reject) => {
  const sock = net.connect(smtp, '127.0.0.1');
  const script = ['HELO paulolopes.fr', 'MAIL FROM: <bruna@paulolopes.fr>', 'RCPT TO: <joel@ifsc.edu>', 'DATA', `${body}.`, 'QUIT'];
  const got = [];
  let buf = '';
  sock.on('data', (d) => {
    buf += d;
    for (let i = buf.indexOf('\r\n'); i !== -1; i = buf.indexOf('\r\n')) {
      const line = buf.slice(0, i); buf = buf.slice(i + 2);
      if (line[3] === '-') continue;
      got.push(Number(line.slice(0, 3)));
      const next = script.shift();
      if (next !== undefined) sock.write(`${next}\r\n`);
    }
  });
  sock.on('close', () => resolve(got));
  sock.on('error', reject);
});
if (codes.join(',') !== '220,250,250,250,354,250,221') fail(`SMTP codes ${codes.join(',')}`);

const base = `http://127.0.0.1:${web}/api/v1`;
const login = await fetch(`${base}/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ address: 'joel@ifsc.edu', password: 'joel-password' }) });
if (login.status !== 200) fail(`login through the web proxy: ${login.status}`);
const cookie = login.headers.getSetCookie()[0].split(';')[0];
const boxes = await (await fetch(`${base}/mailboxes`, { headers: { cookie } })).json();
const inbox = boxes.items.find((b) => b.specialUse === 'inbox');
const list = await (await fetch(`${base}/mailboxes/${inbox.id}/messages`, { headers: { cookie } })).json();
if (list.items.length !== 1) fail(`expected 1 message, got ${list.items.length}`);
const raw = Buffer.from(await (await fetch(`${base}/messages/${list.items[0].id}/raw`, { headers: { cookie } })).arrayBuffer());
const hash = (b) => createHash('sha256').update(b).digest('hex');
// Stored = our trace headers (Received, Authentication-Results, ...) + the empty line a headerless
// message needs + the exact bytes sent.
const text = raw.toString('latin1');
const sep = text.indexOf('\r\n\r\n');
const trace = text.slice(0, sep).split(/\r\n(?![ \t])/);
if (!trace.every((h) => /^(Received|Authentication-Results|Received-SPF|ARC-[A-Za-z-]+):/i.test(h))) fail(`unexpected headers above the message: ${trace.join(' | ')}`);
if (hash(raw.subarray(sep + 4)) !== hash(body)) fail('stored bytes differ from what was sent');
console.log(`smoke: SMTP ${codes.join('/')}, message read back through the web proxy, sha256 ${hash(raw).slice(0, 16)}… equal`);

// Writing mail on the embedded default, as the compose window does it: upload a file (multipart
// through the web proxy), save a draft with it, send from the draft to ourselves.
const { csrfToken } = await login.json();
const auth = { cookie, 'x-csrf-token': csrfToken };
const form = new FormData();
form.append('file', new Blob([Buffer.from('smoke attachment\n')], { type: 'text/plain' }), 'smoke.txt');
const upload = await fetch(`${base}/uploads`, { method: 'POST', headers: auth, body: form });
if (upload.status !== 201) fail(`upload through the web proxy: ${upload.status} ${await upload.text()}`);
const { id: uploadId } = await upload.json();
const json = { ...auth, 'content-type': 'application/json' };
const draft = { to: [{ address: 'joel@ifsc.edu' }], subject: 'Smoke draft', html: '<p>Hello <b>me</b></p>', attachments: [{ source: 'upload', uploadId }] };
const saved = await fetch(`${base}/drafts`, { method: 'PUT', headers: json, body: JSON.stringify(draft) });
if (saved.status !== 200) fail(`draft save: ${saved.status} ${await saved.text()}`);
const { id: draftId } = await saved.json();
const sent = await fetch(`${base}/messages/send`, {
  method: 'POST',
  headers: json,
  body: JSON.stringify({ to: ['joel@ifsc.edu'], subject: 'Smoke draft', html: draft.html, attachmentRefs: draft.attachments, draftId }),
});
if (sent.status !== 201) fail(`send from the draft: ${sent.status} ${await sent.text()}`);
const after = await (await fetch(`${base}/mailboxes/${inbox.id}/messages`, { headers: { cookie } })).json();
const drafts = boxes.items.find((b) => b.specialUse === 'drafts');
const left = await (await fetch(`${base}/mailboxes/${drafts.id}/messages`, { headers: { cookie } })).json();
if (after.items.length !== 2 || !after.items[0].hasAttachments || left.items.length !== 0) {
  fail(`after sending the draft: ${after.items.length} in INBOX (attachment: ${after.items[0]?.hasAttachments}), ${left.items.length} drafts left`);
}
console.log('smoke: upload, draft and send from the draft on the embedded database');
cleanup();
console.log('smoke: 1 passed, 0 failed');
process.exit(0);
