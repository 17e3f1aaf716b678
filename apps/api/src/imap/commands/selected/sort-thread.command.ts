import { type ImapCommand, sortMessages, threadByOrderedSubject, threadByReferences, threadValue } from '@correio/imap-protocol';
import type { CommandContext, Completion, ImapCommandHandler } from '../../command-context.js';
import { BADCHARSET, isSupportedCharset, searchUids } from './search-key.js';
import { writeSearchResult } from './search-response.js';
import { no, ok, selectedOf, storeFailure } from './selected-context.js';

/**
 * SORT / UID SORT and THREAD / UID THREAD (RFC 5256; ESORT RETURN options, RFC 5267): the store
 * searches and hands back the sort fields of the matches; ordering and threading are the lib's.
 * Like SEARCH they carry sequence numbers, so no EXPUNGE may follow the non-UID forms.
 */
export const sortCommand: ImapCommandHandler<'SORT'> = {
  names: ['SORT'],
  allowedIn: ['selected'],
  allowsExpungeAfter: false,
  async handle(ctx: CommandContext, command: Extract<ImapCommand, { name: 'SORT' }>): Promise<Completion> {
    const { mailbox } = selectedOf(ctx);
    if (!isSupportedCharset(command.charset)) return no('Unsupported charset', BADCHARSET);
    try {
      const uids = await searchUids(ctx, mailbox, command.search);
      const fields = uids.length > 0 ? await ctx.deps.store.sortFields(mailbox.accountId, mailbox.mailboxId, uids) : [];
      const sorted = sortMessages(fields, command.criteria);
      writeSearchResult(ctx, mailbox, sorted, { isUid: command.uid, isEsearch: command.isEsearch, returns: command.return, name: 'SORT' });
    } catch (err) {
      return storeFailure(ctx, err);
    }
    return ok(`${command.uid ? 'UID SORT' : 'SORT'} completed`);
  },
};

export const threadCommand: ImapCommandHandler<'THREAD'> = {
  names: ['THREAD'],
  allowedIn: ['selected'],
  allowsExpungeAfter: false,
  async handle(ctx: CommandContext, command: Extract<ImapCommand, { name: 'THREAD' }>): Promise<Completion> {
    const { mailbox } = selectedOf(ctx);
    if (!isSupportedCharset(command.charset)) return no('Unsupported charset', BADCHARSET);
    try {
      const uids = await searchUids(ctx, mailbox, command.search);
      const fields = uids.length > 0 ? await ctx.deps.store.sortFields(mailbox.accountId, mailbox.mailboxId, uids) : [];
      const threads = command.algorithm === 'REFERENCES' ? threadByReferences(fields) : threadByOrderedSubject(fields);
      const text = threadValue(threads, command.uid ? (uid) => uid : (uid) => mailbox.seqOf(uid));
      ctx.out.untagged(text === '' ? 'THREAD' : `THREAD ${text}`);
    } catch (err) {
      return storeFailure(ctx, err);
    }
    return ok(`${command.uid ? 'UID THREAD' : 'THREAD'} completed`);
  },
};
