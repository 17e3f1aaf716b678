import type { ImapCommandHandler } from '../command-context.js';

const ANY_STATE = ['notAuthenticated', 'authenticated', 'selected'] as const;

/**
 * RFC 9051 §6.1.2: NOOP does nothing; the session writes pending updates before its OK (§7.5.1).
 * Clients poll with it, so it also re-checks the selected mailbox against the store (one row read):
 * a change whose notification was lost (NOTIFY is not durable) still reaches the client.
 */
export const NOOP_COMMAND: ImapCommandHandler<'NOOP'> = {
  names: ['NOOP'],
  allowedIn: ANY_STATE,
  async handle(ctx) {
    if (ctx.session.state.kind === 'selected') ctx.session.state.mailbox.noteResync();
    return { status: 'OK', text: 'NOOP completed' };
  },
};

/** RFC 9051 §6.1.3: BYE, then the tagged OK, then the server closes (the session does on state logout). */
export const LOGOUT_COMMAND: ImapCommandHandler<'LOGOUT'> = {
  names: ['LOGOUT'],
  allowedIn: ANY_STATE,
  async handle(ctx) {
    ctx.out.untagged('BYE Correio IMAP server logging out');
    ctx.session.setState({ kind: 'logout' });
    return { status: 'OK', text: 'LOGOUT completed' };
  },
};

/**
 * RFC 9051 §6.2.1: TLS begins after the tagged OK; bytes pipelined behind STARTTLS are dropped
 * (imap-session.ts startTls). Only on the plain port, before TLS.
 */
export const STARTTLS_COMMAND: ImapCommandHandler<'STARTTLS'> = {
  names: ['STARTTLS'],
  allowedIn: ['notAuthenticated'],
  async handle(ctx) {
    if (!ctx.session.canStartTls) return { status: 'BAD', text: ctx.session.isTls ? 'TLS is already active' : 'STARTTLS not available here' };
    ctx.session.afterCompletion(() => ctx.session.startTls());
    return { status: 'OK', text: 'Begin TLS negotiation now' };
  },
};

/** RFC 4978: COMPRESS DEFLATE; compression starts right after the CRLF of the tagged OK. */
export const COMPRESS_COMMAND: ImapCommandHandler<'COMPRESS'> = {
  names: ['COMPRESS'],
  allowedIn: ['authenticated', 'selected'],
  async handle(ctx, cmd) {
    if (ctx.session.isCompressing) return { status: 'NO', code: 'COMPRESSIONACTIVE', text: 'DEFLATE is already active' };
    if (cmd.mechanism.toUpperCase() !== 'DEFLATE') return { status: 'BAD', text: 'Unknown compression mechanism' };
    ctx.session.afterCompletion(() => ctx.session.startCompression());
    return { status: 'OK', text: 'DEFLATE active' };
  },
};

/**
 * RFC 2177 IDLE: "+ idling", then updates of the selected mailbox go out as they arrive (the
 * session flushes them at once while idling) until the client sends DONE.
 */
export const IDLE_COMMAND: ImapCommandHandler<'IDLE'> = {
  names: ['IDLE'],
  allowedIn: ['authenticated', 'selected'],
  async handle(ctx) {
    ctx.out.continuation('idling');
    // Re-check the mailbox on entering IDLE (one row read), as NOOP does: nothing missed stays missed.
    if (ctx.session.state.kind === 'selected') ctx.session.state.mailbox.noteResync();
    ctx.session.setIdling(true);
    try {
      const line = await ctx.session.readLine();
      if (line === undefined) return { status: 'BAD', text: 'Connection closed' };
      // RFC 2177 §3: the only thing a client may send during IDLE is DONE (case-insensitive, ABNF).
      if (line.toString('latin1').trim().toUpperCase() !== 'DONE') return { status: 'BAD', text: 'Expected DONE' };
      return { status: 'OK', text: 'IDLE terminated' };
    } finally {
      ctx.session.setIdling(false);
    }
  },
};
