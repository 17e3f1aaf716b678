import { setTimeout as sleep } from 'node:timers/promises';
import { continuationLine, decodeSaslPlain, errLine, multiLine, okLine } from '@correio/pop3-protocol';
import { isDatabaseUnavailable } from '../../common/app-error.js';
import { type MailLoginResult, TWO_FACTOR_HINT } from '../../security/mail-login.service.js';
import { MaildropPrefetcher } from '../maildrop-prefetch.js';
import type { Pop3Session } from '../pop3-session.js';
import type { CommandTable } from './command-table.js';

const PLAINTEXT_REFUSED = 'Plaintext authentication disallowed on non-secure connections; use STLS';

/**
 * The login shared by USER/PASS and AUTH PLAIN: progressive delay per IP and account (LoginThrottle),
 * then the maildrop lock (RFC 1939 §4, `[IN-USE]` per RFC 2449 §8.1.2), then the INBOX snapshot.
 */
async function login(s: Pop3Session, rawUser: string, password: string): Promise<void> {
  const user = rawUser.trim().toLowerCase();
  const keys = [`ip:${s.remoteAddress}`, `acct:${user}`];
  const delay = s.deps.throttle.delayFor(keys);
  if (delay > 0) await sleep(delay);
  let result: MailLoginResult;
  try {
    result = await s.deps.login.authenticate(user, password, 'pop3', s.remoteAddress);
  } catch (err) {
    // RFC 3206 §4: SYS/TEMP when the failure is ours and may go away (database down).
    if (isDatabaseUnavailable(err)) return s.write(errLine('Authentication temporarily unavailable', 'SYS/TEMP'));
    throw err;
  }
  if (!result.ok) {
    s.deps.throttle.recordFailure(keys);
    // RFC 3206 §5: AUTH says the credentials, not the server, are the problem.
    return s.write(errLine(result.needsAppPassword ? TWO_FACTOR_HINT : 'Invalid credentials', 'AUTH'));
  }
  const { account } = result;
  s.deps.throttle.recordSuccess(keys);
  if (!s.holdLock(account.id)) return s.write(errLine('Maildrop is in use by another session', 'IN-USE'));
  try {
    const drop = await s.deps.store.getMaildrop(account.id);
    const messages = drop.messages.map((m) => ({ ...m, isDeleted: false }));
    const accountId = account.id;
    const prefetch = new MaildropPrefetcher(messages, (requests, into) => s.deps.store.readRawInto(accountId, requests, into), s.deps.prefetchLimits, Date.now, s.deps.prefetchBudget);
    s.state = { kind: 'transaction', maildrop: { accountId, mailboxId: drop.mailboxId, uidValidity: drop.uidValidity, messages, prefetch } };
    prefetch.start();
    const octets = messages.reduce((n, m) => n + m.size, 0);
    s.write(okLine(`Maildrop has ${messages.length} messages (${octets} octets)`));
  } catch (err) {
    s.releaseLock();
    throw err;
  }
}

/** USER, PASS, AUTH (RFC 5034) and STLS (RFC 2595): the AUTHORIZATION state. */
export const AUTH_COMMANDS: CommandTable<'USER' | 'PASS' | 'AUTH' | 'STLS'> = {
  USER: {
    allowedIn: ['authorization'],
    handle(s, cmd) {
      if (!s.isPlainAuthAllowed) return s.write(errLine(PLAINTEXT_REFUSED, 'AUTH'));
      s.state = { kind: 'authorization', user: cmd.user };
      s.write(okLine('Send PASS'));
    },
  },
  PASS: {
    allowedIn: ['authorization'],
    async handle(s, cmd) {
      const user = s.state.kind === 'authorization' ? s.state.user : undefined;
      // RFC 1939 §7: PASS only right after a successful USER; a failed PASS starts over.
      s.state = { kind: 'authorization' };
      if (!user) return s.write(errLine('USER first'));
      if (!s.isPlainAuthAllowed) return s.write(errLine(PLAINTEXT_REFUSED, 'AUTH'));
      await login(s, user, cmd.password);
    },
  },
  AUTH: {
    allowedIn: ['authorization'],
    async handle(s, cmd) {
      s.state = { kind: 'authorization' };
      // Bare AUTH lists the mechanisms (RFC 1734's form, still sent by some clients).
      if (!cmd.mechanism) return s.write(multiLine('Mechanisms follow', s.isPlainAuthAllowed ? ['PLAIN'] : []));
      if (cmd.mechanism !== 'PLAIN') return s.write(errLine('Unsupported authentication mechanism'));
      if (!s.isPlainAuthAllowed) return s.write(errLine(PLAINTEXT_REFUSED, 'AUTH'));
      let response = cmd.initialResponse;
      if (response === undefined) {
        // RFC 5034 §4: an empty challenge, then the client's response line; "*" cancels.
        s.write(continuationLine());
        response = await s.nextLine();
        if (response === undefined) return;
        if (response === '*') return s.write(errLine('Authentication cancelled'));
      }
      const creds = decodeSaslPlain(response);
      if (!creds) return s.write(errLine('Invalid SASL PLAIN response'));
      await login(s, creds.user, creds.password);
    },
  },
  STLS: {
    allowedIn: ['authorization'],
    async handle(s) {
      if (!s.canStartTls) return s.write(errLine(s.isSecure ? 'Command not permitted when TLS active' : 'STLS not available here'));
      await s.startTls();
    },
  },
};
