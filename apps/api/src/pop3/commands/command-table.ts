import type { Pop3Command, Pop3CommandName } from '@correio/pop3-protocol';
import type { Pop3Session, Pop3State } from '../pop3-session.js';
import { AUTH_COMMANDS } from './authorization.commands.js';
import { MAILDROP_COMMANDS } from './maildrop.commands.js';
import { SESSION_COMMANDS } from './session.commands.js';

/** One command: the states it is valid in (RFC 1939 §4–§7) and what it does. */
export interface Pop3CommandHandler<N extends Pop3CommandName> {
  allowedIn: Pop3State['kind'][];
  handle(session: Pop3Session, command: Extract<Pop3Command, { name: N }>): Promise<void> | void;
}

export type CommandTable<N extends Pop3CommandName> = { [K in N]: Pop3CommandHandler<K> };

/** Every command the parser knows, each exactly once (the type checks completeness). */
export const COMMANDS: CommandTable<Pop3CommandName> = { ...AUTH_COMMANDS, ...MAILDROP_COMMANDS, ...SESSION_COMMANDS };
