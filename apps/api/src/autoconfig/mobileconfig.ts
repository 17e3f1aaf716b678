import { createHash } from 'node:crypto';
import { type ClientSettings, xmlEscape as x } from './client-settings.js';

/** A stable UUID from a name (same account and host → same profile, so a re-install replaces it). */
function nameUuid(name: string): string {
  const h = createHash('sha256').update(name).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-${((Number.parseInt(h[16]!, 16) & 3) | 8).toString(16)}${h.slice(17, 20)}-${h.slice(20, 32)}`.toUpperCase();
}

/**
 * An Apple configuration profile (XML property list) with one com.apple.mail.managed payload:
 * IMAP over implicit TLS in, SMTP submission over implicit TLS out, the same password for both
 * (asked on install; the profile carries none). Keys per Apple's "Mail" payload reference.
 */
export function mobileconfig(s: ClientSettings, account: { address: string; displayName: string }): string {
  const imap = s.servers.find((v) => v.protocol === 'imap')!;
  const smtp = s.servers.find((v) => v.protocol === 'smtp')!;
  const reverseHost = s.host.split('.').reverse().join('.');
  const str = (k: string, v: string) => `\t\t\t<key>${k}</key>\n\t\t\t<string>${x(v)}</string>`;
  const int = (k: string, v: number) => `\t\t\t<key>${k}</key>\n\t\t\t<integer>${v}</integer>`;
  const bool = (k: string, v: boolean) => `\t\t\t<key>${k}</key>\n\t\t\t<${v}/>`;
  const mail = [
    str('EmailAccountDescription', `${account.address} (${s.host})`),
    str('EmailAccountName', account.displayName || account.address),
    str('EmailAccountType', 'EmailTypeIMAP'),
    str('EmailAddress', account.address),
    str('IncomingMailServerAuthentication', 'EmailAuthPassword'),
    str('IncomingMailServerHostName', s.host),
    int('IncomingMailServerPortNumber', imap.port),
    bool('IncomingMailServerUseSSL', imap.socketType === 'SSL'),
    str('IncomingMailServerUsername', account.address),
    str('OutgoingMailServerAuthentication', 'EmailAuthPassword'),
    str('OutgoingMailServerHostName', s.host),
    int('OutgoingMailServerPortNumber', smtp.port),
    bool('OutgoingMailServerUseSSL', smtp.socketType === 'SSL'),
    str('OutgoingMailServerUsername', account.address),
    bool('OutgoingPasswordSameAsIncomingPassword', true),
    str('PayloadDisplayName', `Mail: ${account.address}`),
    str('PayloadIdentifier', `${reverseHost}.correio.mail.${account.address}`),
    str('PayloadType', 'com.apple.mail.managed'),
    str('PayloadUUID', nameUuid(`mail:${s.host}:${account.address}`)),
    int('PayloadVersion', 1),
  ].join('\n');
  const top = (k: string, v: string) => `\t<key>${k}</key>\n\t<string>${x(v)}</string>`;
  return `<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">
<plist version="1.0">
<dict>
\t<key>PayloadContent</key>
\t<array>
\t\t<dict>
${mail}
\t\t</dict>
\t</array>
${top('PayloadDescription', `Sets up ${account.address} (IMAP and SMTP on ${s.host}).`)}
${top('PayloadDisplayName', `${account.address} on ${s.host}`)}
${top('PayloadIdentifier', `${reverseHost}.correio.profile.${account.address}`)}
\t<key>PayloadRemovalDisallowed</key>
\t<false/>
${top('PayloadType', 'Configuration')}
${top('PayloadUUID', nameUuid(`profile:${s.host}:${account.address}`))}
\t<key>PayloadVersion</key>
\t<integer>1</integer>
</dict>
</plist>
`;
}
