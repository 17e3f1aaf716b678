import * as imapProtocol from '@correio/imap-protocol';
import type { MessageStructure } from '@correio/imap-protocol';

/**
 * The message structure function of @correio/imap-protocol (libs/imap-protocol/src/message), looked
 * up by name so this module compiles before and after that export exists.
 */
const lib = imapProtocol as unknown as {
  computeMessageStructure?: (raw: Buffer) => MessageStructure;
  MESSAGE_STRUCTURE_VERSION?: number;
};

/** The version a kept structure must have; an older one is recomputed (never a newer or equal one). */
export function currentStructureVersion(): number {
  return lib.MESSAGE_STRUCTURE_VERSION ?? 1;
}

export function computeStructure(raw: Buffer): MessageStructure {
  if (!lib.computeMessageStructure) throw new Error('computeMessageStructure is not available from @correio/imap-protocol');
  return lib.computeMessageStructure(raw);
}
