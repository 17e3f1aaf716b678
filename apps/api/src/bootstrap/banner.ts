import type { AppConfig } from '../config/config.schema.js';
import type { FirstRunResult } from './first-run.js';

/** Where a serving process listens (ports actually bound, also with port 0), for the banner. */
export interface ServingInfo {
  httpPort?: number;
  smtpPort?: number;
  submissionPorts?: { starttls: number; implicitTls: number };
  pop3Ports?: { plain: number; tls: number };
  imapPorts?: { plain: number; tls: number };
  /** Where the SMTP/POP3/IMAP certificate comes from. */
  tls?: string;
  firstRun: FirstRunResult;
}

/** What an operator needs after `npm start`: where everything listens and how to log in. */
export function formatBanner(config: AppConfig, info: ServingInfo & { database: string }): string {
  const lines = ['', '  Correio is running', ''];
  lines.push(`  Web mail        ${config.webUrl}`);
  if (info.httpPort !== undefined) {
    lines.push(`  REST API        http://${config.bind}:${info.httpPort}/api/v1`);
    lines.push(`  API docs        http://${config.bind}:${info.httpPort}/api/docs`);
  }
  if (info.smtpPort !== undefined) lines.push(`  SMTP (MX)       ${config.bind}:${info.smtpPort}`);
  if (info.submissionPorts) {
    lines.push(
      `  Submission      ${config.bind}:${info.submissionPorts.starttls} (STARTTLS), ${config.bind}:${info.submissionPorts.implicitTls} (TLS)`,
    );
  }
  if (info.imapPorts)
    lines.push(`  IMAP            ${config.bind}:${info.imapPorts.plain} (STARTTLS), ${config.bind}:${info.imapPorts.tls} (TLS)`);
  if (info.pop3Ports)
    lines.push(`  POP3            ${config.bind}:${info.pop3Ports.plain} (STLS), ${config.bind}:${info.pop3Ports.tls} (TLS)`);
  if (info.tls) lines.push(`  TLS certificate ${info.tls}`);
  if (config.roles.includes('delivery')) {
    const via = config.delivery.transportMap ? `transport map ${config.delivery.transportMap}` : `MX lookups (${config.dns.mode} DNS)`;
    lines.push(`  Outbound        delivery worker, ${via}`);
  }
  lines.push(`  Database        ${info.database}`);
  if (info.firstRun.created) {
    lines.push('', `  First admin     ${info.firstRun.adminAddress}`);
    if (info.firstRun.generatedPassword) {
      lines.push(
        `  Password        ${info.firstRun.generatedPassword}   (shown once; change it with: npm run correio -- account password ${info.firstRun.adminAddress})`,
      );
    } else lines.push('  Password        from CORREIO_ADMIN_PASSWORD');
  }
  lines.push('');
  return lines.join('\n');
}
