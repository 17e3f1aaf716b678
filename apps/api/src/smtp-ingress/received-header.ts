import type { SMTPServerSession } from 'smtp-server';

/**
 * The trace header of RFC 5321 §4.4 (syntax "Time-stamp-line"): where the message came from (the
 * name the client gave and its address), who received it, with which protocol (RFC 3848: ESMTP,
 * ESMTPS with TLS, ESMTPSA when also authenticated), the TLS details, and for which recipient when
 * there is exactly one. Folded to stay under 78 characters per line (RFC 5322 §2.1.1).
 */
export function buildReceivedHeader(session: SMTPServerSession, opts: { hostname: string; id: string; recipient?: string; now?: Date }): string {
  const helo = sanitize(session.hostNameAppearsAs || 'unknown');
  const ip = session.remoteAddress.replace(/^::ffff:/, '');
  const tcpInfo = session.clientHostname && session.clientHostname !== `[${ip}]` ? `${sanitize(session.clientHostname)} [${ip}]` : `[${ip}]`;
  const tls = session.secure ? tlsDescription(session) : '';
  const protocol = (session as { transmissionType?: string }).transmissionType ?? (session.secure ? 'ESMTPS' : 'ESMTP');
  const parts = [
    `from ${helo} (${tcpInfo})`,
    ...(tls ? [`(${tls})`] : []),
    `by ${opts.hostname} (Correio)`,
    `with ${protocol} id ${opts.id}`,
    ...(opts.recipient ? [`for <${sanitize(opts.recipient)}>`] : []),
  ];
  return `Received: ${parts.join('\r\n\t')};\r\n\t${rfc5322Date(opts.now ?? new Date())}\r\n`;
}

function tlsDescription(session: SMTPServerSession): string {
  const t = (session as { tlsOptions?: { name?: string; standardName?: string; version?: string } }).tlsOptions;
  if (!t) return 'using TLS';
  return `using ${t.version ?? 'TLS'} with cipher ${t.standardName ?? t.name ?? 'unknown'}`;
}

/** Keeps client-supplied names from breaking the header: no control characters, no parentheses. */
function sanitize(value: string): string {
  return value.replace(/[\x00-\x1f\x7f()<>;\\]/g, '').slice(0, 255);
}

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** RFC 5322 §3.3 date-time in UTC, e.g. "Thu, 26 Nov 2026 10:20:00 +0000". */
export function rfc5322Date(d: Date): string {
  const p = (n: number) => String(n).padStart(2, '0');
  return `${DAYS[d.getUTCDay()]}, ${d.getUTCDate()} ${MONTHS[d.getUTCMonth()]} ${d.getUTCFullYear()} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())} +0000`;
}
