import type { ImapCommandName } from '@correio/imap-protocol';
import type { ImapCommandHandler } from '../command-context.js';
import { CAPABILITY_COMMAND } from './capability.command.js';
import { ENABLE_COMMAND, ID_COMMAND, NAMESPACE_COMMAND } from './extension.commands.js';
import { LIST_COMMAND, LSUB_COMMAND } from './list.command.js';
import { AUTHENTICATE_COMMAND, LOGIN_COMMAND } from './login.commands.js';
import { CREATE_COMMAND, DELETE_COMMAND, RENAME_COMMAND, SUBSCRIBE_COMMANDS } from './mailbox.commands.js';
import { GETQUOTA_COMMAND, GETQUOTAROOT_COMMAND, SETQUOTA_COMMAND } from './quota.commands.js';
import { COMPRESS_COMMAND, IDLE_COMMAND, LOGOUT_COMMAND, NOOP_COMMAND, STARTTLS_COMMAND } from './session.commands.js';
import { SELECTED_COMMANDS } from './selected/index.js';
import { STATUS_COMMAND } from './status.command.js';

/** The commands valid outside the selected state (and some in it too): this room's handlers. */
const CORE_COMMANDS: ImapCommandHandler[] = [
  CAPABILITY_COMMAND,
  NOOP_COMMAND,
  LOGOUT_COMMAND,
  STARTTLS_COMMAND,
  AUTHENTICATE_COMMAND,
  LOGIN_COMMAND,
  ENABLE_COMMAND,
  ID_COMMAND,
  NAMESPACE_COMMAND,
  COMPRESS_COMMAND,
  IDLE_COMMAND,
  CREATE_COMMAND,
  DELETE_COMMAND,
  RENAME_COMMAND,
  SUBSCRIBE_COMMANDS,
  LIST_COMMAND,
  LSUB_COMMAND,
  STATUS_COMMAND,
  GETQUOTA_COMMAND,
  GETQUOTAROOT_COMMAND,
  SETQUOTA_COMMAND,
] as ImapCommandHandler[];


/**
 * Command name → handler, each name exactly once (checked at load). NOTIFY (RFC 5465) is parsed but
 * not offered: it has no handler, so it gets BAD like any unknown command.
 */
export function buildCommandTable(handlers: readonly ImapCommandHandler[]): ReadonlyMap<ImapCommandName, ImapCommandHandler> {
  const table = new Map<ImapCommandName, ImapCommandHandler>();
  for (const h of handlers) {
    for (const name of h.names) {
      if (table.has(name)) throw new Error(`IMAP command ${name} has two handlers`);
      table.set(name, h);
    }
  }
  return table;
}

export const COMMAND_TABLE = buildCommandTable([...CORE_COMMANDS, ...SELECTED_COMMANDS]);
