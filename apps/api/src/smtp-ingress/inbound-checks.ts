import { checkMimeStructure } from '@correio/mime';
import { type SmtpError, smtpError } from './smtp-replies.js';

/**
 * Checks on a complete DATA payload before anything is stored (DESIGN invariant 7). smtp-server
 * only ends DATA at CRLF.CRLF, so a smuggling attempt (`\n.\n`, `\r.\r`, … followed by a second
 * transaction) arrives here as one payload with bare line ends in it, and is refused whole: it is
 * never split into two messages and never stored (CVE-2023-51764 class).
 */
export async function checkInboundMessage(raw: Buffer): Promise<SmtpError | undefined> {
  if (hasBareNewline(raw)) {
    // RFC 5321 §2.3.8: CR and LF may only appear together as CRLF.
    return smtpError(550, '5.5.2', 'Message contains a bare CR or LF (RFC 5321 §2.3.8)');
  }
  const structure = await checkMimeStructure(raw);
  if (!structure.ok) {
    return structure.reason === 'header-too-large'
      ? smtpError(552, '5.3.4', `Message refused: ${structure.detail}`)
      : smtpError(554, '5.6.0', `Message refused: ${structure.detail}`);
  }
  return undefined;
}

/** True when the bytes hold a CR not followed by LF or an LF not preceded by CR. */
export function hasBareNewline(raw: Buffer): boolean {
  let i = raw.indexOf(0x0a);
  while (i !== -1) {
    if (i === 0 || raw[i - 1] !== 0x0d) return true;
    i = raw.indexOf(0x0a, i + 1);
  }
  i = raw.indexOf(0x0d);
  while (i !== -1) {
    if (raw[i + 1] !== 0x0a) return true;
    i = raw.indexOf(0x0d, i + 1);
  }
  return false;
}
