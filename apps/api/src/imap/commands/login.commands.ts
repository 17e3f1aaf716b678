import { setTimeout as sleep } from 'node:timers/promises';
import { isDatabaseUnavailable } from '../../common/app-error.js';
import { type MailLoginResult, TWO_FACTOR_HINT } from '../../security/mail-login.service.js';
import type { CommandContext, Completion, ImapCommandHandler } from '../command-context.js';
import { canSendPassword, capabilityList } from './capability.command.js';

const PRIVACY: Completion = { status: 'NO', code: 'PRIVACYREQUIRED', text: 'Use STARTTLS (or port 993) before sending a password' };

/**
 * The login shared by LOGIN and AUTHENTICATE PLAIN: progressive delay per IP and account
 * (LoginThrottle, as POP3 and SMTP do), the mail login check (app passwords; the account password
 * unless two-factor login is on), then the per-account
 * session limit. RFC 5530 codes: AUTHENTICATIONFAILED, UNAVAILABLE, LIMIT.
 */
async function logIn(ctx: CommandContext, rawUser: string, password: string): Promise<Completion> {
  const user = rawUser.trim().toLowerCase();
  const keys = [`ip:${ctx.session.remoteAddress}`, `acct:${user}`];
  const delay = ctx.deps.throttle.delayFor(keys);
  if (delay > 0) await sleep(delay);
  let result: MailLoginResult;
  try {
    result = await ctx.deps.login.authenticate(user, password, 'imap', ctx.session.remoteAddress);
  } catch (err) {
    if (isDatabaseUnavailable(err)) return { status: 'NO', code: 'UNAVAILABLE', text: 'Authentication temporarily unavailable' };
    throw err;
  }
  if (!result.ok) {
    ctx.deps.throttle.recordFailure(keys);
    // RFC 5530 §3: AUTHENTICATIONFAILED whatever the reason; the text may say more (issue 15).
    return { status: 'NO', code: 'AUTHENTICATIONFAILED', text: result.needsAppPassword ? TWO_FACTOR_HINT : 'Invalid credentials' };
  }
  const { account } = result;
  ctx.deps.throttle.recordSuccess(keys);
  if (!ctx.session.logIn({ accountId: account.id, address: account.address })) {
    return { status: 'NO', code: 'LIMIT', text: 'Too many connections for this account' };
  }
  // RFC 9051 §7.2.2: the tagged OK of a login carries the capabilities, which change with it.
  return { status: 'OK', code: `CAPABILITY ${capabilityList(ctx.session, ctx.deps).join(' ')}`, text: 'Logged in' };
}

/** RFC 9051 §6.2.3 LOGIN; refused before TLS (LOGINDISABLED is advertised then). */
export const LOGIN_COMMAND: ImapCommandHandler<'LOGIN'> = {
  names: ['LOGIN'],
  allowedIn: ['notAuthenticated'],
  async handle(ctx, cmd) {
    if (!canSendPassword(ctx.session, ctx.deps)) return PRIVACY;
    return logIn(ctx, cmd.user, cmd.password);
  },
};

/**
 * RFC 9051 §6.2.2 AUTHENTICATE with SASL PLAIN (RFC 4616), the initial response on the command
 * line (SASL-IR, RFC 4959; "=" is an empty one) or after an empty "+ " challenge; "*" cancels (BAD).
 */
export const AUTHENTICATE_COMMAND: ImapCommandHandler<'AUTHENTICATE'> = {
  names: ['AUTHENTICATE'],
  allowedIn: ['notAuthenticated'],
  async handle(ctx, cmd) {
    if (cmd.mechanism.toUpperCase() !== 'PLAIN') return { status: 'NO', code: 'CANNOT', text: 'Unsupported authentication mechanism' };
    if (!canSendPassword(ctx.session, ctx.deps)) return PRIVACY;
    let response = cmd.initialResponse;
    if (response === undefined) {
      ctx.out.continuation('');
      const line = await ctx.session.readLine();
      if (line === undefined) return { status: 'BAD', text: 'Connection closed' };
      response = line.toString('latin1').trim();
      if (response === '*') return { status: 'BAD', text: 'Authentication cancelled' };
    }
    const creds = decodePlain(response === '=' ? '' : response);
    if (!creds) return { status: 'BAD', text: 'Invalid SASL PLAIN response' };
    // RFC 4616 §2: an authorization identity other than the user's own is not supported.
    if (creds.authzid && creds.authzid.toLowerCase() !== creds.user.toLowerCase()) {
      return { status: 'NO', code: 'AUTHORIZATIONFAILED', text: 'Cannot act as another user' };
    }
    return logIn(ctx, creds.user, creds.password);
  },
};

/** RFC 4616: base64 of authzid NUL authcid NUL passwd. */
export function decodePlain(base64: string): { authzid: string; user: string; password: string } | undefined {
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(base64)) return undefined;
  const parts = Buffer.from(base64, 'base64').toString('utf8').split('\0');
  if (parts.length !== 3 || !parts[1] || !parts[2]) return undefined;
  return { authzid: parts[0]!, user: parts[1], password: parts[2] };
}
