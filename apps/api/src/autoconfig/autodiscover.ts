import { type ClientSettings, xmlEscape as x } from './client-settings.js';

const RESPONSE_NS = 'http://schemas.microsoft.com/exchange/autodiscover/responseschema/2006';
const OUTLOOK_NS = 'http://schemas.microsoft.com/exchange/autodiscover/outlook/responseschema/2006a';

/**
 * The EMailAddress of an Autodiscover POX request ([MS-OXDSCLI] 2.2.3). Read with a pattern, not an
 * XML parser: the one element is all we need, and no entity or DTD in the body is ever expanded.
 */
export function requestedAddress(body: string): string | undefined {
  const m = /<(?:\w+:)?EMailAddress>\s*([^<\s]+)\s*<\/(?:\w+:)?EMailAddress>/.exec(body);
  return m?.[1];
}

/** The POX answer ([MS-OXDSCLI] 2.2.4): IMAP, POP3 and SMTP settings, implicit TLS first. */
export function autodiscoverResponse(s: ClientSettings, address: string): string {
  const protocol = (type: string, port: number, ssl: boolean) => `      <Protocol>
        <Type>${type}</Type>
        <Server>${x(s.host)}</Server>
        <Port>${port}</Port>
        <LoginName>${x(address)}</LoginName>
        <DomainRequired>off</DomainRequired>
        <SPA>off</SPA>
        <SSL>on</SSL>
        <Encryption>${ssl ? 'SSL' : 'TLS'}</Encryption>
        <AuthRequired>on</AuthRequired>${type === 'SMTP' ? '\n        <UsePOPAuth>on</UsePOPAuth>' : ''}
      </Protocol>`;
  // Outlook takes the first Protocol of each Type: the implicit-TLS ones.
  const first = (p: 'imap' | 'pop3' | 'smtp') => s.servers.find((v) => v.protocol === p)!;
  return `<?xml version="1.0" encoding="utf-8"?>
<Autodiscover xmlns="${RESPONSE_NS}">
  <Response xmlns="${OUTLOOK_NS}">
    <Account>
      <AccountType>email</AccountType>
      <Action>settings</Action>
${protocol('IMAP', first('imap').port, first('imap').socketType === 'SSL')}
${protocol('POP3', first('pop3').port, first('pop3').socketType === 'SSL')}
${protocol('SMTP', first('smtp').port, first('smtp').socketType === 'SSL')}
    </Account>
  </Response>
</Autodiscover>
`;
}

/** The error answer for an address we do not serve ([MS-OXDSCLI] 2.2.4.1.1.1). */
export function autodiscoverError(message: string): string {
  return `<?xml version="1.0" encoding="utf-8"?>
<Autodiscover xmlns="${RESPONSE_NS}">
  <Response>
    <Error Time="${new Date().toISOString().slice(11, 19)}" Id="1">
      <ErrorCode>600</ErrorCode>
      <Message>${x(message)}</Message>
      <DebugData />
    </Error>
  </Response>
</Autodiscover>
`;
}
