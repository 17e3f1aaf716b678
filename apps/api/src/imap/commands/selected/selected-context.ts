import { AppError, ErrorCode, isDatabaseUnavailable } from '../../../common/app-error.js';
import type { CommandContext, Completion, ImapUser } from '../../command-context.js';
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

const CODES: Record<ErrorCode, string> = {
  [ErrorCode.NotFound]: 'NONEXISTENT',
  [ErrorCode.Conflict]: 'ALREADYEXISTS',
  [ErrorCode.Forbidden]: 'CANNOT',
  [ErrorCode.OverQuota]: 'OVERQUOTA',
  [ErrorCode.TooLarge]: 'TOOBIG',
  [ErrorCode.InvalidInput]: 'CANNOT',
  [ErrorCode.Unauthenticated]: 'AUTHORIZATIONFAILED',
  [ErrorCode.Unavailable]: 'UNAVAILABLE',
};

/**
 * The store's errors as NO [CODE] (RFC 5530), mapped as imap-store.types.ts documents; anything
 * else is rethrown for the session, which never lets internal text reach the wire.
 */
export function storeFailure(err: unknown): Completion {
  if (err instanceof AppError) return no(err.message, CODES[err.code]);
  if (isDatabaseUnavailable(err)) return no('Try again later', 'UNAVAILABLE');
  throw err;
}

/** \Recent cannot be stored (RFC 9051 §2.3.2: it is gone in rev2 and session-bound in rev1). */
export function storableFlags(flags: readonly string[]): string[] {
  return flags.filter((f) => f.toLowerCase() !== '\\recent');
}

/** True when MODSEQ belongs in FETCH responses (RFC 7162 §3.1: once CONDSTORE is enabled; QRESYNC implies it). */
export function isCondstore(ctx: CommandContext): boolean {
  return ctx.session.enabled.has('CONDSTORE') || ctx.session.enabled.has('QRESYNC');
}
