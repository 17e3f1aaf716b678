import { capabilities } from '@correio/imap-protocol';
import type { ImapCommandHandler, ImapDeps, SessionHandle } from '../command-context.js';

/**
 * What the server offers now (RFC 9051 §6.1.1): the lib's list for the session's facts — STARTTLS
 * only on the plain port before TLS, LOGINDISABLED and no AUTH=PLAIN where passwords may not be
 * sent (RFC 9051 §6.2.3, §11.1, RFC 8314), COMPRESS until it is on. NOTIFY is not offered.
 */
export function capabilityList(session: SessionHandle, deps: ImapDeps): string[] {
  return capabilities({
    isTls: session.isTls,
    isAuthenticated: session.state.kind === 'authenticated' || session.state.kind === 'selected',
    isLoginAllowed: canSendPassword(session, deps),
    canStartTls: session.canStartTls,
    appendLimit: deps.maxMessageBytes,
    isCompressed: session.isCompressing,
  });
}

/** RFC 9051 §11.1: passwords only over TLS; development may allow loopback (CORREIO_IMAP_ALLOW_PLAIN_AUTH_ON_LOOPBACK). */
export function canSendPassword(session: SessionHandle, deps: ImapDeps): boolean {
  return session.isTls || (deps.allowPlainAuthOnLoopback && session.isLoopback);
}

/** RFC 9051 §7.1.1: the greeting carries the capabilities so clients need not ask. */
export function greeting(session: SessionHandle, deps: ImapDeps): string {
  return `OK [CAPABILITY ${capabilityList(session, deps).join(' ')}] ${deps.hostname} Correio IMAP server ready`;
}

export const CAPABILITY_COMMAND: ImapCommandHandler<'CAPABILITY'> = {
  names: ['CAPABILITY'],
  allowedIn: ['notAuthenticated', 'authenticated', 'selected'],
  async handle(ctx) {
    ctx.out.untagged(`CAPABILITY ${capabilityList(ctx.session, ctx.deps).join(' ')}`);
    return { status: 'OK', text: 'CAPABILITY completed' };
  },
};
