/**
 * A remote server's reply in plain words for the sender (webmail's delivery status). Decided by
 * the RFC 3463 enhanced status code when the reply has one, else by the basic code (RFC 5321
 * §4.2) and a few texts our own worker writes (no connection, gave up, null MX).
 */
export function explainReply(state: 'deferred' | 'bounced', reply: string | null): string {
  const text = reply ?? '';
  const enhanced = text.match(/\b([245])\.(\d{1,3})\.(\d{1,3})\b/);
  const basic = Number(text.match(/^\s*(?:gave up after \d+ attempts: )?([245]\d\d)\b/)?.[1] ?? 0);
  const cls = enhanced ? `${enhanced[2]}.${enhanced[3]}` : '';
  const later = state === 'deferred' ? ' Correio will keep trying.' : '';
  if (/^gave up after/i.test(text) && state === 'bounced' && basic < 500) {
    return 'Correio could not deliver it for days and gave up; the last problem was temporary (see the reply).';
  }
  if (cls === '1.1' || /user unknown|no such user|does not exist|unknown user|mailbox unavailable/i.test(text)) {
    return "The recipient's server says this address does not exist.";
  }
  if (cls === '1.2' || /does not accept mail|null MX|domain not found|NXDOMAIN|no MX/i.test(text)) {
    return "The recipient's domain does not exist or does not accept mail.";
  }
  if (cls.startsWith('1.')) return "The recipient's server refused the address.";
  if (cls === '2.2' || /mailbox full|quota/i.test(text)) return `The recipient's mailbox is full.${later}`;
  if (cls === '2.1') return "The recipient's mailbox is disabled.";
  if (cls === '3.4' || basic === 552) return "The message is too large for the recipient's server.";
  if (cls.startsWith('7.')) return `The recipient's server refused the message by policy (spam filtering or sender authentication).${later}`;
  if (/connect|timed? ?out|ECONNREFUSED|ECONNRESET|EHOSTUNREACH|no answer/i.test(text)) {
    return `Correio could not reach the recipient's server.${later}`;
  }
  if (state === 'deferred' || (basic >= 400 && basic < 500)) return `The recipient's server is not accepting the message right now.${later}`;
  return "The recipient's server refused the message.";
}
