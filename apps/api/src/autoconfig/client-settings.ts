import type { AppConfig } from '../config/config.schema.js';

export type SocketType = 'SSL' | 'STARTTLS';
export interface ServerSetting {
  protocol: 'imap' | 'pop3' | 'smtp';
  port: number;
  socketType: SocketType;
}
export interface ClientSettings {
  host: string;
  /** Preferred first: implicit TLS (RFC 8314 §3.3 recommends it over STARTTLS), then STARTTLS. */
  servers: ServerSetting[];
}

/** A port of 0 (ephemeral: tests) is advertised as the protocol's standard port. */
const or = (port: number, standard: number) => (port > 0 ? port : standard);

/** What mail clients are told: the public host name and the ports and TLS modes from config. */
export function clientSettings(config: AppConfig): ClientSettings {
  return {
    host: config.hostname,
    servers: [
      { protocol: 'imap', port: or(config.imap.tlsPort, 993), socketType: 'SSL' },
      { protocol: 'imap', port: or(config.imap.port, 143), socketType: 'STARTTLS' },
      { protocol: 'pop3', port: or(config.pop3.tlsPort, 995), socketType: 'SSL' },
      { protocol: 'pop3', port: or(config.pop3.port, 110), socketType: 'STARTTLS' },
      { protocol: 'smtp', port: or(config.smtp.submissionsPort, 465), socketType: 'SSL' },
      { protocol: 'smtp', port: or(config.smtp.submissionPort, 587), socketType: 'STARTTLS' },
    ],
  };
}

/** XML 1.0 character data and attribute values (&, <, >, both quotes); drops characters XML forbids. */
export function xmlEscape(s: string): string {
  return s
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}
