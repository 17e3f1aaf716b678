import type { CommandContext, Completion, ImapUser } from '../../command-context.js';
import { toCompletion } from '../../imap-errors.js';
import { SelectedMailbox } from '../../selected-mailbox.js';

/** The selected mailbox of the session; the dispatcher only runs selected-state commands there. */
export function selectedOf(ctx: CommandContext): { user: ImapUser; mailbox: SelectedMailbox } {
  const state = ctx.session.state;
  if (state.kind !== 'selected' || !(state.mailbox instanceof SelectedMailbox)) {
    throw new Error('selected-state command outside the selected state');
  }
  return { user: state.user, mailbox: state.mailbox };
}

/** The authenticated user in the authenticated or selected state. */
export function userOf(ctx: CommandContext): ImapUser {
  const state = ctx.session.state;
  if (state.kind !== 'authenticated' && state.kind !== 'selected') throw new Error('command needs a logged-in user');
  return state.user;
}

export const ok = (text: string, code?: string): Completion => (code ? { status: 'OK', code, text } : { status: 'OK', text });
export const no = (text: string, code?: string): Completion => (code ? { status: 'NO', code, text } : { status: 'NO', text });
export const bad = (text: string): Completion => ({ status: 'BAD', text });

/**
 * A failed store call as NO [CODE] (RFC 5530), through the one IMAP mapping (imap-errors.ts):
 * AppError texts go out, anything else is logged and answered with a fixed text.
 */
export function storeFailure(ctx: CommandContext, err: unknown): Completion {
  return toCompletion(err, ctx.deps.logger);
}

/** \Recent cannot be stored (RFC 9051 §2.3.2: it is gone in rev2 and session-bound in rev1). */
export function storableFlags(flags: readonly string[]): string[] {
  return flags.filter((f) => f.toLowerCase() !== '\\recent');
}

/** True when MODSEQ belongs in FETCH responses (RFC 7162 §3.1: once CONDSTORE is enabled; QRESYNC implies it). */
export function isCondstore(ctx: CommandContext): boolean {
  return ctx.session.enabled.has('CONDSTORE') || ctx.session.enabled.has('QRESYNC');
}
