import { type ClientSettings, xmlEscape as x } from './client-settings.js';

/**
 * Thunderbird's autoconfig file (clientConfig version 1.1), as documented at
 * https://wiki.mozilla.org/Thunderbird:Autoconfiguration:ConfigFileFormat. The username is the
 * whole address (%EMAILADDRESS%, Thunderbird substitutes it); passwords go in clear inside TLS.
 */
export function thunderbirdConfig(s: ClientSettings, domains: string[]): string {
  const id = domains[0] ?? s.host;
  const server = (tag: 'incomingServer' | 'outgoingServer', type: string, port: number, socketType: string) =>
    `    <${tag} type="${type}">
      <hostname>${x(s.host)}</hostname>
      <port>${port}</port>
      <socketType>${socketType}</socketType>
      <username>%EMAILADDRESS%</username>
      <authentication>password-cleartext</authentication>
    </${tag}>`;
  return `<?xml version="1.0" encoding="UTF-8"?>
<clientConfig version="1.1">
  <emailProvider id="${x(id)}">
${domains.map((d) => `    <domain>${x(d)}</domain>`).join('\n')}
    <displayName>${x(id)} (Correio)</displayName>
    <displayShortName>${x(id)}</displayShortName>
${s.servers
  .filter((v) => v.protocol !== 'smtp')
  .map((v) => server('incomingServer', v.protocol, v.port, v.socketType))
  .join('\n')}
${s.servers
  .filter((v) => v.protocol === 'smtp')
  .map((v) => server('outgoingServer', 'smtp', v.port, v.socketType))
  .join('\n')}
  </emailProvider>
</clientConfig>
`;
}
