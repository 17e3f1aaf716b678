// The one-session latency probe shared by bench/smtp-ingest.mjs (Correio next to Postfix) and
// bench/smtp-ingest-ab.mjs (two Correio builds next to each other): per-command reply times of one
// sequential SMTP session, and their table.
import net from 'node:net';
import { median } from './harness.mjs';

const SENDER = 'loadgen@client.test';

/**
 * Per-command latency of one sequential session, median over `n` sessions (4 KiB body): where a
 * message's time goes when nothing runs in parallel.
 */
export async function commandLatencies(port, rcpt, n = 100, size = 4096) {
  const body = `${'x'.repeat(76)}\r\n`.repeat(Math.ceil(size / 78)).slice(0, size);
  const steps = [
    ['220', null],
    ['HELO', 'HELO loadgen.client.test\r\n'],
    ['MAIL', `MAIL FROM:<${SENDER}>\r\n`],
    ['RCPT', `RCPT TO:<${rcpt}>\r\n`],
    ['DATA', 'DATA\r\n'],
    ['end of data', `Subject: latency probe\r\n\r\n${body}\r\n.\r\n`],
    ['QUIT', 'QUIT\r\n'],
  ];
  const times = Object.fromEntries(steps.map(([name]) => [name, []]));
  const session = () =>
    new Promise((resolve, reject) => {
      const sock = net.connect(port, '127.0.0.1');
      let buf = '';
      let step = 0;
      let t = process.hrtime.bigint();
      sock.once('connect', () => (t = process.hrtime.bigint()));
      sock.on('data', (d) => {
        buf += d;
        for (let i = buf.indexOf('\r\n'); i >= 0; i = buf.indexOf('\r\n')) {
          const line = buf.slice(0, i);
          buf = buf.slice(i + 2);
          if (line[3] === '-') continue;
          const now = process.hrtime.bigint();
          times[steps[step][0]].push(Number(now - t) / 1e6);
          t = now;
          if (!/^[23]/.test(line)) {
            sock.destroy();
            return reject(new Error(`latency probe: ${steps[step][0]} answered ${line}`));
          }
          if (++step === steps.length) {
            sock.destroy();
            return resolve();
          }
          sock.write(steps[step][1]);
        }
      });
      sock.once('error', reject);
    });
  for (let i = 0; i < n; i++) await session();
  return Object.fromEntries(Object.entries(times).map(([k, v]) => [k, median(v)]));
}

export function formatLatency(latency) {
  const steps = Object.keys(Object.values(latency)[0]);
  const head = ['server', 'connect→220', ...steps.slice(1), 'total'];
  const body = Object.entries(latency).map(([name, t]) => [
    name,
    ...steps.map((k) => t[k].toFixed(2)),
    steps.reduce((sum, k) => sum + t[k], 0).toFixed(2),
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => b[i].length)));
  const line = (cells) => `| ${cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join(' | ')} |`;
  const sep = `|${widths.map((w, i) => (i === 0 ? `:${'-'.repeat(w + 1)}` : `${'-'.repeat(w + 1)}:`)).join('|')}|`;
  return [line(head), sep, ...body.map(line)].join('\n');
}
