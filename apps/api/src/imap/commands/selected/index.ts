import type { ImapCommandHandler } from '../../command-context.js';
import { appendCommand } from './append.command.js';
import { checkCommand, closeCommand } from './close.command.js';
import { copyMoveCommand } from './copy-move.command.js';
import { expungeCommand } from './expunge.command.js';
import { fetchCommand } from './fetch.command.js';
import { searchCommand } from './search.command.js';
import { selectCommand } from './select.command.js';
import { sortCommand, threadCommand } from './sort-thread.command.js';
import { storeCommand } from './store.command.js';

/** SELECT/EXAMINE, APPEND and the selected-state commands, for the command table (command-table.ts). */
export const SELECTED_COMMANDS: ImapCommandHandler[] = [
  selectCommand,
  appendCommand,
  closeCommand,
  checkCommand,
  expungeCommand,
  fetchCommand,
  storeCommand,
  searchCommand,
  sortCommand,
  threadCommand,
  copyMoveCommand,
] as ImapCommandHandler[];
