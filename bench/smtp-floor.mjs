#!/usr/bin/env node
// The floor under one SMTP session: how many messages per second smtp-source gets from servers that
// store nothing, sending one message per connection, one session at a time — as the 1-session cells
// of bench/smtp-ingest.mjs do. See bench/README.md ("The one-session floor").
//
//   node bench/smtp-floor.mjs [--messages N] [--rounds R] [--size BYTES]
//
// Servers, interleaved per round (medians printed):
//   - smtp-sink: Postfix's C test server (accepts and discards): the client's and the kernel's part;
//   - node-raw: a plain Node socket server with static replies: the least a Node server costs;
//   - smtp-server: the library Correio's MX is built on, configured like the MX, DATA dropped:
//     what is spent before the MX does any work of its own.
// Compare with the 1-session cells of bench/smtp-ingest.mjs run just before or after (Postfix and
// Correio, both storing every message durably). Needs Debian's postfix (for smtp-source and
// smtp-sink; installed when missing, as root). Loopback only.
import { fork } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { spawn } from 'node:child_process';
import { children, cleanup, cleanups, freePort, handleSignals, loadavg, log, median } from './lib/harness.mjs';
import { ensurePostfix, SMTP_SOURCE_BIN, startSmtpSink } from './lib/postfix.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const { values: args } = parseArgs({
  options: {
    messages: { type: 'string', default: '1000' },
    rounds: { type: 'string', default: '5' },
    size: { type: 'string', default: '4096' },
  },
});
handleSignals();
const N = Number(args.messages);

function smtpSource(port) {
  return new Promise((resolve, reject) => {
    const t0 = process.hrtime.bigint();
    const argv = ['-4', '-s', '1', '-m', String(N), '-l', args.size, '-M', 'loadgen.client.test', '-f', 'loadgen@client.test', '-t', 'sink@bench.test', `127.0.0.1:${port}`];
    const child = spawn(SMTP_SOURCE_BIN, argv, { stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    child.stderr.on('data', (d) => (err += d));
    child.once('exit', (code) => {
      const s = Number(process.hrtime.bigint() - t0) / 1e9;
      if (code === 0) resolve(N / s);
      else reject(new Error(`smtp-source exited ${code}: ${err.trim()}`));
    });
  });
}

async function startNode(mode) {
  const port = await freePort();
  const child = fork(path.join(here, 'lib/smtp-floor-server.mjs'), [mode, String(port)], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  children.add(child);
  await new Promise((resolve, reject) => {
    child.once('message', resolve);
    child.once('exit', (code) => reject(new Error(`${mode} server exited ${code}`)));
  });
  cleanups.push(() => child.kill('SIGKILL'));
  return port;
}

async function main() {
  const missing = await ensurePostfix({ log });
  if (missing) throw new Error(missing);
  const sink = await startSmtpSink({ maxConnections: 100 });
  cleanups.push(() => sink.child.kill('SIGKILL'));
  const servers = { 'smtp-sink': sink.port, 'node-raw': await startNode('raw'), 'smtp-server': await startNode('smtp-server') };
  log(`load ${loadavg()}; warm-up`);
  for (const port of Object.values(servers)) await smtpSource(port);
  const rates = Object.fromEntries(Object.keys(servers).map((k) => [k, []]));
  for (let r = 0; r < Number(args.rounds); r++) {
    const order = r % 2 === 0 ? Object.keys(servers) : Object.keys(servers).reverse();
    for (const name of order) rates[name].push(await smtpSource(servers[name]));
    log(`round ${r + 1}: ${order.map((n) => `${n} ${rates[n].at(-1).toFixed(0)}`).join(', ')} msg/s (load ${loadavg()})`);
  }
  console.log(`One session, a new connection per message, ${args.size}-byte messages, ${N} per run, medians of ${args.rounds} interleaved rounds:`);
  console.log('| server | msg/s | ms per message |\n|:--|--:|--:|');
  for (const [name, xs] of Object.entries(rates)) console.log(`| ${name} | ${median(xs).toFixed(1)} | ${(1000 / median(xs)).toFixed(3)} |`);
  console.log(`\nload avg at end ${loadavg()}`);
}

main().then(
  () => cleanup(),
  (err) => {
    console.error(err);
    cleanup();
    process.exitCode = 1;
  },
);
