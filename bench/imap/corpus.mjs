// The benchmark's message corpus: deterministic (message i of a profile is the same bytes on every
// run and machine, computed on its own from a PRNG seeded by (profile, i)), shaped like a mailbox:
// 50 correspondents, threads (Re: with In-Reply-To/References), plain text of log-distributed
// length, some multipart/alternative with HTML, a few attachments (base64). CRLF line ends, no line
// longer than 76 characters or starting with "." (so SMTP needs no dot-stuffing).
//
// SEARCH needles: NEEDLE appears in the body of every message with i % 1000 === 17 (so 100 of
// 100,000), RARE_NEEDLE in the Subject of i % 10000 === 4242. Pseudo-words are built from syllables
// without x or y, so no other text can contain either needle.

export const NEEDLE = 'xylograph';
export const RARE_NEEDLE = 'yttrium';

const SYLLABLES = 'ba be bi bo bu ca ce ci co cu da de di do du fa fe fi fo fu ga ge gi go gu la le li lo lu ma me mi mo mu na ne ni no nu pa pe pi po pu ra re ri ro ru sa se si so su ta te ti to tu va ve vi vo vu ze zi zo an en in on ar er ir or st tr pl gr'.split(' ');
const COMMON = 'the of and to in is that for it as with was on be by at this are from or have an they which one you had not but what all were when we there can said use each she do how their if will up other about out many then them these so some her would make like him into time has look two more write go see number no way could people my than first water been call who oil its now find long down day did get come made may part'.split(' ');
const NAMES = ['Ana', 'Bruna', 'Carlos', 'Daniela', 'Eduardo', 'Fernanda', 'Gustavo', 'Helena', 'Igor', 'Joana'];
const SURNAMES = ['Silva', 'Souza', 'Costa', 'Santos', 'Oliveira'];

/** mulberry32: a small, fast, well-mixed 32-bit PRNG. */
function prng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const VOCAB = (() => {
  const r = prng(7);
  const words = [];
  for (let k = 0; k < 4000; k++) {
    const n = 1 + Math.floor(r() * 3);
    let w = '';
    for (let s = 0; s < n; s++) w += SYLLABLES[Math.floor(r() * SYLLABLES.length)];
    words.push(w);
  }
  return words;
})();

export function correspondent(k) {
  const name = `${NAMES[k % 10]} ${SURNAMES[Math.floor(k / 10) % 5]}`;
  return { name, address: `${name.toLowerCase().replace(' ', '.')}${k}@corpus.test` };
}

function word(r) {
  // Zipf-ish: common words half of the time, then the vocabulary weighted towards its start.
  if (r() < 0.5) return COMMON[Math.floor(r() * COMMON.length)];
  return VOCAB[Math.floor(VOCAB.length * r() * r())];
}

function sentence(r, words) {
  const out = [];
  for (let k = 0; k < words; k++) out.push(word(r));
  const s = out.join(' ');
  return `${s[0].toUpperCase()}${s.slice(1)}.`;
}

/** Wraps text at 76 columns; no line starts with "." */
function wrap(text) {
  const lines = [];
  let line = '';
  for (const w of text.split(' ')) {
    if (line && line.length + 1 + w.length > 76) {
      lines.push(line);
      line = w;
    } else line = line ? `${line} ${w}` : w;
  }
  if (line) lines.push(line);
  return lines.map((l) => (l.startsWith('.') ? ` ${l}` : l));
}

function paragraphs(r, bytes, needle) {
  const lines = [];
  let size = 0;
  let inserted = !needle;
  while (size < bytes) {
    const para = [];
    for (let s = 2 + Math.floor(r() * 5); s > 0; s--) para.push(sentence(r, 5 + Math.floor(r() * 12)));
    if (!inserted && (size + 400 >= bytes || r() < 0.3)) {
      para.push(`The word ${needle} is here.`);
      inserted = true;
    }
    for (const l of wrap(para.join(' '))) {
      lines.push(l);
      size += l.length + 2;
    }
    lines.push('');
    size += 2;
  }
  return lines;
}

function base64Lines(r, bytes) {
  const raw = Buffer.alloc(bytes);
  for (let k = 0; k < bytes; k += 4) raw.writeUInt32LE((r() * 4294967296) >>> 0, Math.min(k, bytes - 4));
  const b64 = raw.toString('base64');
  const lines = [];
  for (let k = 0; k < b64.length; k += 76) lines.push(b64.slice(k, k + 76));
  return lines;
}

/** Log-uniform integer in [lo, hi]. */
function logUniform(r, lo, hi) {
  return Math.round(Math.exp(Math.log(lo) + r() * (Math.log(hi) - Math.log(lo))));
}

/**
 * Message i of a profile, as sent over SMTP (CRLF, no terminating "."). Profiles: 'text' (plain
 * text, 0.5–6 KB: the 100,000-message search mailbox), 'mixed' (text 1–20 KB, 15% with an HTML
 * alternative, 5% with an attachment of 20–300 KB: the sync and fetch mailbox).
 */
export function makeMessage(i, { profile = 'mixed', to = 'user@bench.test', domain = 'corpus.test' } = {}) {
  const r = prng((profile === 'text' ? 0x5eed0000 : 0x0b0b0000) ^ Math.imul(i + 1, 2654435761));
  const from = correspondent(Math.floor(r() * 50));
  const thread = Math.floor(i / 4);
  const tr = prng(0x7777 ^ Math.imul(thread + 1, 40503));
  let subject = sentence(tr, 3 + Math.floor(tr() * 6)).slice(0, -1);
  if (i % 10000 === 4242) subject += ` ${RARE_NEEDLE}`;
  const reply = i % 4 !== 0;
  const date = new Date(Date.UTC(2026, 0, 1) + i * 137_000);
  const headers = [
    `From: ${from.name} <${from.address}>`,
    `To: <${to}>`,
    `Subject: ${reply ? 'Re: ' : ''}${subject} (${i})`,
    `Date: ${date.toUTCString().replace('GMT', '+0000')}`,
    `Message-ID: <${profile}-${i}@${domain}>`,
  ];
  if (reply) headers.push(`In-Reply-To: <${profile}-${thread * 4}@${domain}>`, `References: <${profile}-${thread * 4}@${domain}>`);
  headers.push('MIME-Version: 1.0');
  const needle = i % 1000 === 17 ? NEEDLE : null;
  const kind = profile === 'text' ? 'plain' : r() < 0.05 ? 'attachment' : r() < 0.16 ? 'alternative' : 'plain';
  const textBytes = profile === 'text' ? logUniform(r, 500, 6000) : logUniform(r, 1000, 20000);
  const text = paragraphs(r, textBytes, needle);
  let body;
  if (kind === 'plain') {
    headers.push('Content-Type: text/plain; charset=utf-8', 'Content-Transfer-Encoding: 7bit');
    body = text;
  } else if (kind === 'alternative') {
    const b = `alt-${i}`;
    headers.push(`Content-Type: multipart/alternative; boundary="${b}"`);
    const html = text.map((l) => (l ? `<p>${l}</p>` : ''));
    body = [`--${b}`, 'Content-Type: text/plain; charset=utf-8', '', ...text, `--${b}`, 'Content-Type: text/html; charset=utf-8', '', ...html, `--${b}--`];
  } else {
    const b = `mix-${i}`;
    headers.push(`Content-Type: multipart/mixed; boundary="${b}"`);
    const att = base64Lines(r, logUniform(r, 20_000, 300_000));
    body = [
      `--${b}`,
      'Content-Type: text/plain; charset=utf-8',
      '',
      ...text,
      `--${b}`,
      `Content-Type: application/octet-stream; name="file-${i}.bin"`,
      `Content-Disposition: attachment; filename="file-${i}.bin"`,
      'Content-Transfer-Encoding: base64',
      '',
      ...att,
      `--${b}--`,
    ];
  }
  return Buffer.from(`${headers.join('\r\n')}\r\n\r\n${body.join('\r\n')}\r\n`, 'utf8');
}

/** How many of messages [0, count) of the 'text' or 'mixed' profile contain NEEDLE. */
export function needleCount(count) {
  let n = 0;
  for (let i = 0; i < count; i++) if (i % 1000 === 17) n++;
  return n;
}
