// The measurements of bench/imap.mjs, each against one server ("target": { name, port(), password }).
// Every run checks what it got (message counts, bytes, search hits), so a fast wrong answer
// fails the benchmark instead of winning it. Times are performance.now() on the client.
import { connectImap } from './client.mjs';
import { makeMessage } from './corpus.mjs';

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
/** A delivery whose EXISTS has not come within this long counts as not pushed. */
const MISS_AFTER_MS = 5000;

async function open(target, user, onUntagged) {
  const c = await connectImap(target.port(), { onUntagged });
  await c.login(user, target.password);
  return c;
}

function existsOf(lines) {
  for (const l of lines) {
    const m = /^\* (\d+) EXISTS/i.exec(l);
    if (m) return Number(m[1]);
  }
  return -1;
}

/**
 * Full sync: SELECT INBOX, then `UID FETCH 1:* (FLAGS ENVELOPE)` on a fresh connection (after
 * LOGIN, which is not timed). Returns the FETCH's time and SELECT + FETCH's time, in ms.
 */
export async function fullSync(target, user, expected) {
  const c = await open(target, user);
  const m0 = process.hrtime.bigint();
  const t0 = performance.now();
  const sel = await c.command('SELECT INBOX', { collect: true });
  const t1 = performance.now();
  const m1 = process.hrtime.bigint();
  const r = await c.command('UID FETCH 1:* (FLAGS ENVELOPE)');
  const t2 = performance.now();
  const m2 = process.hrtime.bigint();
  await c.logout();
  if (existsOf(sel.lines) !== expected || r.untagged !== expected) {
    throw new Error(
      `${target.name}: full sync of ${user} saw ${existsOf(sel.lines)} EXISTS and ${r.untagged} FETCH responses, expected ${expected}`,
    );
  }
  // marks: CLOCK_MONOTONIC in µs, the clock of V8's CPU profiles, to cut a server's profile to the commands.
  const us = (t) => Number(t / 1000n);
  return { fetchMs: t2 - t1, selectFetchMs: t2 - t0, bytes: r.bytes, marks: { select: us(m0), fetch: us(m1), end: us(m2) } };
}

/** `FETCH 1:n BODY.PEEK[]` (PEEK: every run sees the same flags). Returns ms and bytes received. */
export async function fetchBodies(target, user, n) {
  const c = await open(target, user);
  await c.command('SELECT INBOX');
  const t0 = performance.now();
  const r = await c.command(`FETCH 1:${n} BODY.PEEK[]`);
  const ms = performance.now() - t0;
  await c.logout();
  if (r.untagged !== n) throw new Error(`${target.name}: FETCH BODY[] of ${n} messages gave ${r.untagged} responses`);
  return { ms, bytes: r.bytes };
}

/** `SEARCH TEXT <term>` in the INBOX; checks the number of hits. */
export async function searchText(target, user, term, expectedHits) {
  const c = await open(target, user);
  await c.command('SELECT INBOX');
  const t0 = performance.now();
  const r = await c.command(`SEARCH TEXT ${term}`, { collect: true });
  const ms = performance.now() - t0;
  await c.logout();
  const line = r.lines.find((l) => /^\* SEARCH/i.test(l)) ?? '';
  const hits = line.trim().split(' ').length - 2;
  if (hits !== expectedHits)
    throw new Error(`${target.name}: SEARCH TEXT ${term} found ${hits}, expected ${expectedHits}: ${line.slice(0, 200)}`);
  return { ms, hits };
}

/** A seeded PRNG per client, so both servers get the same sequence of requests. */
function rng(seed) {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    return x / 4294967296;
  };
}

/**
 * Mixed load: `clients` concurrent clients, each on its own account, loop for `seconds`:
 * connect, LOGIN, SELECT INBOX, FETCH 20 (FLAGS ENVELOPE), FETCH one BODY.PEEK[], STORE +FLAGS
 * \Seen, APPEND a message, UID STORE +FLAGS \Deleted on it (its APPENDUID), EXPUNGE, LOGOUT —
 * 9 commands a loop, each awaited before the next (as a mail client does). The mailbox keeps its
 * size. loginEachLoop false: one connection per client for the whole window (LOGIN once, no LOGOUT
 * in the loop), so the IMAP commands weigh more than the password hashing. Returns completed
 * commands per second over the whole window.
 */
export async function mixedLoad(target, users, seconds, { loginEachLoop = true } = {}) {
  const deadline = performance.now() + seconds * 1000;
  let commands = 0;
  let loops = 0;
  const started = performance.now();
  /** Per command: every round trip's time in ms (the report gives medians, to see which command a change moved). */
  const times = {};
  const client = async (user, k) => {
    const r = rng(0x1234 + k);
    let c = null;
    const timed = async (name, run) => {
      const t0 = performance.now();
      const out = await run();
      times[name] ??= [];
      times[name].push(performance.now() - t0);
      return out;
    };
    while (performance.now() < deadline) {
      if (!c) {
        c = await open(target, user);
        commands++;
      }
      const sel = await timed('SELECT', () => c.command('SELECT INBOX', { collect: true }));
      commands++;
      const n = existsOf(sel.lines);
      const a = 1 + Math.floor(r() * Math.max(1, n - 20));
      await timed('FETCH 20 (FLAGS ENVELOPE)', () => c.command(`FETCH ${a}:${Math.min(n, a + 19)} (FLAGS ENVELOPE)`));
      commands++;
      const one = 1 + Math.floor(r() * n);
      await timed('FETCH BODY.PEEK[]', () => c.command(`FETCH ${one} BODY.PEEK[]`));
      commands++;
      await timed('STORE', () => c.command(`STORE ${one} +FLAGS.SILENT (\\Seen)`));
      commands++;
      const app = await timed('APPEND', () =>
        c.append('INBOX', makeMessage(100_000 + k * 1000 + (loops % 1000), { profile: 'text', to: user })),
      );
      commands++;
      const uid = /APPENDUID \d+ (\d+)/i.exec(app.text)?.[1];
      if (!uid) throw new Error(`${target.name}: APPEND gave no APPENDUID: ${app.text}`);
      await timed('UID STORE', () => c.command(`UID STORE ${uid} +FLAGS.SILENT (\\Deleted)`));
      commands++;
      await timed('EXPUNGE', () => c.command('EXPUNGE'));
      commands++;
      if (loginEachLoop) {
        await c.logout();
        commands++;
        c = null;
      }
      loops++;
    }
    if (c) {
      await c.logout();
      commands++;
    }
  };
  await Promise.all(users.map((u, k) => client(u, k)));
  const elapsed = (performance.now() - started) / 1000;
  const perCommand = Object.fromEntries(Object.entries(times).map(([name, list]) => [name, percentile(list, 50)]));
  return { commandsPerSecond: commands / elapsed, loops, commands, perCommand };
}

/**
 * IDLE push latency. One client SELECTs the INBOX and IDLEs; `deliver()` delivers one message and
 * resolves { sent, acked } — the time the delivery was handed over (last byte of SMTP DATA, or
 * the LDA started) and the time it was acknowledged (the 250 after DATA, or the LDA exited). The
 * server's COMMIT lies between them. For each message: EXISTS arrival − sent (upper bound of
 * COMMIT → EXISTS) and − acked (lower bound, ≤ 0 when EXISTS came before the acknowledgement).
 * `missed`: deliveries whose EXISTS did not come during IDLE within MISS_AFTER_MS.
 */
export async function idleLatency(target, user, samples, deliver) {
  let exists = -1;
  let wake = null;
  const onUntagged = (line, at) => {
    const m = /^\* (\d+) EXISTS/i.exec(line);
    if (!m) return;
    const n = Number(m[1]);
    if (n > exists) {
      exists = n;
      wake?.(at);
    }
  };
  const c = await open(target, user, onUntagged);
  await c.command('SELECT INBOX');
  const idle = await c.idle();
  const upper = [];
  const lower = [];
  let missed = 0;
  try {
    for (let k = 0; k < samples; k++) {
      await sleep(20 + ((k * 37) % 100));
      const arrived = new Promise((resolve) => {
        const t = setTimeout(() => resolve(null), MISS_AFTER_MS);
        wake = (at) => {
          clearTimeout(t);
          wake = null;
          resolve(at);
        };
      });
      const { sent, acked } = await deliver(k);
      const at = await arrived;
      if (at === null) {
        // Not pushed during IDLE: counted as a miss, not timed. Two misses in a row end the run
        // (a server that does not push would otherwise cost 5 s per delivery).
        wake = null;
        missed++;
        if (missed >= 2 && upper.length === 0) break;
        continue;
      }
      upper.push(at - sent);
      lower.push(at - acked);
    }
  } finally {
    await idle.done().catch(() => {});
    await c.logout();
  }
  return { upper, lower, missed };
}

export function percentile(xs, p) {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))];
}
