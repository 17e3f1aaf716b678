import type { CommandContext, ImapUser } from '../command-context.js';

/** The logged-in user; the dispatcher runs commands allowed only when authenticated, so one is there. */
export function userOf(ctx: CommandContext): ImapUser {
  const state = ctx.session.state;
  if (state.kind !== 'authenticated' && state.kind !== 'selected') throw new Error(`no user in state ${state.kind}`);
  return state.user;
}

/** RFC 6855 §3 / RFC 9051: names and strings go as UTF-8 once UTF8=ACCEPT or IMAP4rev2 is enabled. */
export function isUtf8Session(ctx: CommandContext): boolean {
  return ctx.session.enabled.has('UTF8=ACCEPT') || ctx.session.enabled.has('IMAP4REV2');
}
