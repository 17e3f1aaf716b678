import type { ImapCommandHandler } from '../../command-context.js';
import { checkCommand, closeCommand } from './close.command.js';
import { expungeCommand } from './expunge.command.js';
import { fetchCommand } from './fetch.command.js';
import { selectCommand } from './select.command.js';
import { storeCommand } from './store.command.js';

/** The selected-state commands (and SELECT/EXAMINE, APPEND), for R4's command table. */
export const SELECTED_COMMANDS: ImapCommandHandler[] = [
  selectCommand,
  closeCommand,
  checkCommand,
  expungeCommand,
  fetchCommand,
  storeCommand,
] as ImapCommandHandler[];
