/**
 * Received mail is stored as our trace headers (Received, Authentication-Results, Received-SPF,
 * ARC-*) on top of the exact bytes the client sent, plus one empty line when the message had no
 * header section. originalBytes() takes the trace off again, so tests can compare the rest with
 * what was sent, byte for byte.
 */
const TRACE = /^(received|authentication-results|received-spf|arc-seal|arc-message-signature|arc-authentication-results)[ \t]*:/i;

export function splitTrace(stored: Buffer): { trace: string[]; original: Buffer } {
  const trace: string[] = [];
  let pos = 0;
  for (;;) {
    const end = stored.indexOf('\r\n', pos);
    if (end === -1) break;
    const line = stored.subarray(pos, end).toString('latin1');
    if (TRACE.test(line)) trace.push(line);
    else if ((line.startsWith(' ') || line.startsWith('\t')) && trace.length) trace[trace.length - 1] += `\r\n${line}`;
    else break;
    pos = end + 2;
  }
  return { trace, original: stored.subarray(pos) };
}

/** The stored message without our trace headers (and without the separator added to a headerless one). */
export function originalBytes(stored: Buffer, sentHadHeaders = true): Buffer {
  const { original } = splitTrace(stored);
  return !sentHadHeaders && original.subarray(0, 2).toString() === '\r\n' ? original.subarray(2) : original;
}
