import { Counter, Registry } from 'prom-client';

/**
 * The process's event counters, incremented where the events happen (one import, one line each).
 * Module-level so the protocol servers need no new constructor dependency; per process, which is
 * what Prometheus expects of a target (each worker process is scraped, or summed, on its own).
 * Gauges that read the database live in MetricsService, one per application.
 */
export const eventRegistry = new Registry();

export const messagesReceived = new Counter({
  name: 'correio_messages_received_total',
  help: 'Messages accepted over SMTP (MX) and stored or forwarded (after the 250 to DATA)',
  registers: [eventRegistry],
});

export const outboundResults = new Counter({
  name: 'correio_outbound_recipients_total',
  help: 'Outbound delivery attempts per recipient by result: sent, deferred (will retry), bounced',
  labelNames: ['result'] as const,
  registers: [eventRegistry],
});

export const connectionsOpened = new Counter({
  name: 'correio_connections_total',
  help: 'Client connections accepted, by listener: mx, submission, submissions, imap, imaps, pop3, pop3s',
  labelNames: ['listener'] as const,
  registers: [eventRegistry],
});

export const loginFailures = new Counter({
  name: 'correio_login_failures_total',
  help: 'Failed logins on any protocol (webmail, IMAP, POP3, submission): wrong password, unknown or disabled account',
  registers: [eventRegistry],
});

export const httpRequests = new Counter({
  name: 'correio_http_requests_total',
  help: 'HTTP requests answered, by method and status class',
  labelNames: ['method', 'status'] as const,
  registers: [eventRegistry],
});
