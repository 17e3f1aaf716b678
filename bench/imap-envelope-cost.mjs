#!/usr/bin/env node
// CPU time of computing IMAP's ENVELOPE text at delivery (libs/imap-protocol rawEnvelopeForms,
// called once per message by the delivery statement's caller since issue 11's last round), in
// µs per message, on one core, in this process: the MX's added cost per message without the noise
// of a whole SMTP run (bench/mx-cpu.mjs measures that, in ms per message). See bench/README.md.
//
//   npm run build && node bench/imap-envelope-cost.mjs [--messages N] [--rounds R]
//
// Messages: the imap.mjs corpus ('mixed' profile) as the MX stores them, i.e. with a block of
// trace headers in front (Received, Authentication-Results, a DKIM-Signature, ARC: ~2.5 KB, what
// mail from a large provider carries), and the same without the trace block.
import { createRequire } from 'node:module';
import { parseArgs } from 'node:util';
import os from 'node:os';
import { makeMessage } from './imap/corpus.mjs';

const require = createRequire(import.meta.url);
const { rawEnvelopeForms } = require('../libs/imap-protocol/dist/index.js');

const { values: args } = parseArgs({ options: { messages: { type: 'string', default: '5000' }, rounds: { type: 'string', default: '5' } } });
const N = Number(args.messages);
const ROUNDS = Number(args.rounds);

const b64 = (n, seed) => Buffer.alloc(n, seed).toString('base64').slice(0, n);
function traceBlock(i) {
  return [
    `Received: from mail-ed1-f${i % 90}.google.com (mail-ed1-f${i % 90}.google.com [209.85.208.${i % 250}])`,
    `\tby mx.bench.test (Correio) with ESMTPS id ${i.toString(16)}`,
    `\tfor <user@bench.test>; Sun, 6 Dec 2026 22:00:00 +0000`,
    `Authentication-Results: mx.bench.test; spf=pass smtp.mailfrom=corpus.test; dkim=pass header.d=corpus.test header.s=s1;`,
    `\tdmarc=pass header.from=corpus.test; arc=none`,
    `ARC-Seal: i=1; a=rsa-sha256; t=1765000000; cv=none; d=google.com; s=arc-20240605;`,
    ...Array.from({ length: 5 }, (_, k) => `\tb=${b64(70, i + k)}`),
    `ARC-Message-Signature: i=1; a=rsa-sha256; c=relaxed/relaxed; d=google.com; s=arc-20240605;`,
    `\th=to:subject:message-id:date:from:mime-version:dkim-signature;`,
    ...Array.from({ length: 5 }, (_, k) => `\tbh=${b64(70, i + k + 9)}`),
    `DKIM-Signature: v=1; a=rsa-sha256; c=relaxed/relaxed; d=corpus.test; s=s1; t=1765000000;`,
    `\th=to:subject:message-id:date:from:mime-version:from:to:cc:subject:date:message-id:reply-to;`,
    `\tbh=${b64(44, i)};`,
    ...Array.from({ length: 5 }, (_, k) => `\tb=${b64(70, i + k + 3)}`),
    `X-Google-Smtp-Source: ${b64(60, i)}`,
    `X-Received: by 2002:a05:6402:${(i % 9000) + 1000}:b0:5d0:${i % 999} with SMTP id ${i}; Sun, 06 Dec 2026 14:00:00 -0800 (PST)`,
  ].join('\r\n') + '\r\n';
}

function measure(label, messages) {
  const perRound = [];
  for (let r = 0; r < ROUNDS + 1; r++) {
    const start = process.cpuUsage();
    let bytes = 0;
    for (const m of messages) bytes += rawEnvelopeForms(m)?.envelope.length ?? 0;
    const used = process.cpuUsage(start);
    if (r > 0) perRound.push((used.user + used.system) / messages.length); // round 0 warms the JIT
    if (bytes === 0) throw new Error('no envelope computed');
  }
  perRound.sort((a, b) => a - b);
  const headerBytes = messages.reduce((s, m) => s + m.indexOf('\r\n\r\n'), 0) / messages.length;
  console.log(
    `${label.padEnd(44)} header ${Math.round(headerBytes).toString().padStart(5)} B   µs/message: median ${perRound[Math.floor(perRound.length / 2)].toFixed(2)}, min ${perRound[0].toFixed(2)}, max ${perRound.at(-1).toFixed(2)}`,
  );
}

const plain = Array.from({ length: N }, (_, i) => Buffer.from(makeMessage(i, { profile: 'mixed' })));
const traced = plain.map((m, i) => Buffer.concat([Buffer.from(traceBlock(i)), m]));
console.log(`rawEnvelopeForms, ${N} messages × ${ROUNDS} rounds; node ${process.version}; load ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}`);
measure("corpus 'mixed' (as APPENDed)", plain);
measure("corpus 'mixed' + 2.5 KB of trace headers (MX)", traced);
