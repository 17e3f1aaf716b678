import { availableParallelism } from 'node:os';
import { z } from 'zod';

/**
 * Every setting Correio reads, validated once at boot (nothing else reads process.env).
 * Names and defaults are documented in README.md and .env.example.
 */

const port = z.coerce.number().int().min(0).max(65535);
const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

export const ROLES = ['http', 'smtp', 'imap', 'pop3', 'delivery'] as const;
export type Role = (typeof ROLES)[number];

export const EnvSchema = z.object({
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must be a postgresql:// URL')
    .optional(),
  CORREIO_DATA_DIR: z.string().default('./data'),
  /** Connections to PostgreSQL per process. Forced to 1 on the embedded database (see open-database.ts). */
  DATABASE_POOL_MAX: z.coerce.number().int().min(1).max(500).default(10),
  /** Set by tests and tools when DATABASE_URL points at a PGlite socket (one connection only). */
  DATABASE_IS_PGLITE: bool.default(false),
  CORREIO_ROLES: z
    .string()
    .default('http,smtp,delivery,pop3,imap')
    .transform((s) => s.split(',').map((r) => r.trim()).filter(Boolean))
    .pipe(z.array(z.enum(ROLES)).min(1)),
  CORREIO_HOSTNAME: z.string().min(1).default('localhost'),
  /** GET /metrics (Prometheus): unset → loopback clients only; set → `Authorization: Bearer <token>` from anywhere. */
  CORREIO_METRICS_TOKEN: z.string().min(16).optional(),
  /**
   * Processes serving the roles (node:cluster, sharing the listening sockets). 'auto' = one per
   * CPU. Needs a PostgreSQL server: the embedded database has one owner, so it always runs one.
   */
  CORREIO_WORKERS: z
    .union([z.literal('auto'), z.coerce.number().int().min(1).max(64)])
    .default(1),
  CORREIO_BIND: z.string().default('127.0.0.1'),
  CORREIO_API_PORT: port.default(3001),
  CORREIO_SMTP_PORT: port.default(2525),
  CORREIO_SUBMISSION_PORT: port.default(2587),
  CORREIO_SUBMISSIONS_PORT: port.default(2465),
  CORREIO_IMAP_PORT: port.default(1143),
  CORREIO_IMAPS_PORT: port.default(1993),
  /** Development only: allow IMAP LOGIN and AUTHENTICATE PLAIN without TLS when the client is on loopback. */
  CORREIO_IMAP_ALLOW_PLAIN_AUTH_ON_LOOPBACK: bool.default(false),
  CORREIO_POP3_PORT: port.default(1110),
  CORREIO_POP3S_PORT: port.default(1995),
  /** Development only: allow POP3 USER/PASS and AUTH PLAIN without TLS when the client is on loopback. */
  CORREIO_POP3_ALLOW_PLAIN_AUTH_ON_LOOPBACK: bool.default(false),
  /** A POP3 download (RETR) marks the message read in the webmail and IMAP. Off: POP3 is invisible. */
  CORREIO_POP3_MARK_READ: bool.default(false),
  /** Pause before the 220 greeting on the MX (an early-talker check, as Postfix's postscreen does). */
  CORREIO_SMTP_GREETING_DELAY_MS: z.coerce.number().int().min(0).max(10_000).default(0),
  CORREIO_SMTP_MAX_RECIPIENTS: z.coerce.number().int().min(100).max(10_000).default(100),
  CORREIO_SMTP_MAX_CONNECTIONS_PER_IP: z.coerce.number().int().min(1).default(100),
  /** Look up the client's name (PTR) for Received headers, through the replaceable resolver. */
  CORREIO_SMTP_REVERSE_DNS: bool.default(true),
  /** Development only: allow AUTH without TLS when the client is on loopback. */
  CORREIO_SMTP_ALLOW_PLAIN_AUTH_ON_LOOPBACK: bool.default(false),
  CORREIO_TLS_CERT: z.string().optional(),
  CORREIO_TLS_KEY: z.string().optional(),
  /** Static routes for outbound mail: "ifsc.edu=127.0.0.1:2625,*=smtp.provider.example:587". */
  CORREIO_TRANSPORT_MAP: z.string().default(''),
  /** Waits between delivery attempts after temporary failures (Postfix-like: minutes growing to hours). */
  CORREIO_DELIVERY_RETRY_SCHEDULE: z.string().default('5m,10m,20m,40m,1h20m,2h40m,4h'),
  /** Deliver to private, loopback and link-local addresses found in DNS (never by default). */
  CORREIO_DELIVERY_ALLOW_PRIVATE: bool.default(false),
  /** Give up on a recipient after this long of temporary failures, then bounce (Postfix: 5d). */
  CORREIO_DELIVERY_QUEUE_LIFETIME: z.string().default('5d'),
  /** Warn the sender once (DSN Action: delayed) after mail has waited this long; "off" never. */
  CORREIO_DELIVERY_DELAY_WARNING: z.string().default('4h'),
  /**
   * How long a worker owns the recipients it claimed. Longer than one SMTP attempt can take (the
   * sender's timeouts); a worker that dies loses its claims when it runs out.
   */
  CORREIO_DELIVERY_LEASE: z.string().default('10m'),
  /** How long finished entries (all recipients delivered or bounced) stay for the admin API before they and their bytes are removed. */
  CORREIO_DELIVERY_KEEP_FINISHED: z.string().default('7d'),
  /** SMTP connections at once per destination domain and worker process, so one slow domain cannot take every slot (Postfix default_destination_concurrency_limit: 20). */
  CORREIO_DELIVERY_MAX_PER_DOMAIN: z.coerce.number().int().min(1).max(100).default(20),
  /** Relay every remote domain not in the transport map through this host ("host:port", "[host]:port"). */
  CORREIO_SMARTHOST: z
    .string()
    .regex(/^\[?[^\]\s:]+\]?(:\d{1,5})?$/, 'expected host:port')
    .optional(),
  CORREIO_SMARTHOST_USER: z.string().optional(),
  CORREIO_SMARTHOST_PASSWORD: z.string().optional(),
  /** required: STARTTLS or no mail; implicit: TLS from the start (port 465); opportunistic: STARTTLS when offered. */
  CORREIO_SMARTHOST_TLS: z.enum(['required', 'implicit', 'opportunistic']).default('required'),
  /** Verify the smarthost's certificate (off only for a self-signed relay you trust). */
  CORREIO_SMARTHOST_TLS_VERIFY: bool.default(true),
  /** Testing only: send the smarthost credentials without TLS when the smarthost is on loopback. */
  CORREIO_SMARTHOST_ALLOW_PLAIN_AUTH_ON_LOOPBACK: bool.default(false),
  /** Webhook targets on private, loopback, link-local or unique-local addresses (SSRF; never by default, tests only). */
  CORREIO_WEBHOOKS_ALLOW_PRIVATE: bool.default(false),
  /** How long one webhook request may take (connect to last byte of the answer's head). */
  CORREIO_WEBHOOKS_TIMEOUT: z.string().default('10s'),
  /** The wait before the first retry of a failed webhook request; it doubles each time up to 1h (±20% jitter). */
  CORREIO_WEBHOOKS_RETRY_BASE: z.string().default('5s'),
  /** A webhook delivery is retried for this long after its event, then marked failed. */
  CORREIO_WEBHOOKS_RETRY_FOR: z.string().default('24h'),
  /** How long account events (the outbox behind webhooks and GET /api/v1/events) and webhook deliveries are kept. */
  CORREIO_EVENTS_KEEP: z.string().default('7d'),
  /** How often each process looks for accounts an admin removed, to delete them and their mail; "off" never (tests that drive the purge). */
  CORREIO_ACCOUNT_PURGE_INTERVAL: z.string().default('2s'),
  CORREIO_DNS: z.enum(['static', 'system']).default('static'),
  CORREIO_DNS_RECORDS: z.string().optional(),
  CORREIO_DNS_SERVERS: z
    .string()
    .default('')
    .transform((s) => s.split(',').map((x) => x.trim()).filter(Boolean)),
  CORREIO_WEB_URL: z.string().url().default('http://localhost:3000'),
  CORREIO_DOMAIN: z.string().min(1).default('correio.test'),
  CORREIO_ADMIN_ADDRESS: z.string().email().optional(),
  CORREIO_ADMIN_PASSWORD: z.string().min(8).optional(),
  CORREIO_MAX_MESSAGE_BYTES: z.coerce.number().int().min(1024).default(50 * 1024 * 1024),
  CORREIO_SESSION_TTL_HOURS: z.coerce.number().int().min(1).default(24 * 14),
  /** Secure flag on the session cookie; on by default when the web URL is https. */
  CORREIO_COOKIE_SECURE: bool.optional(),
  CORREIO_EMBEDDED_PG_PORT: port.default(0),
  /** REST requests one API key (or one webmail session) may make per window; 0 = no limit (issue 13). */
  CORREIO_API_RATE_LIMIT_PER_KEY: z.coerce.number().int().min(0).default(600),
  /** REST requests per client address and window that present a key or fail to authenticate; 0 = no limit. */
  CORREIO_API_RATE_LIMIT_PER_IP: z.coerce.number().int().min(0).default(1200),
  /** The rate limits' window (a duration: "1m", "30s"). */
  CORREIO_API_RATE_LIMIT_WINDOW: z.string().default('1m'),
  /** Largest JSON request body the REST API reads (files go through multipart uploads); 413 above. */
  CORREIO_API_BODY_LIMIT_BYTES: z.coerce.number().int().min(1024).default(1024 * 1024),
  /** Issue 15: the SRS secret (HMAC key of forwarded mail's rewritten senders); unset → made once under dataDir. */
  CORREIO_SRS_SECRET: z.string().min(16).optional(),
  LOG_LEVEL: z.enum(['error', 'warn', 'log', 'debug', 'verbose']).default('log'),
  LOG_FORMAT: z.enum(['json', 'pretty']).default('pretty'),
});

export type Env = z.infer<typeof EnvSchema>;

export interface AppConfig {
  /** undefined → the embedded PostgreSQL (PGlite) under dataDir. */
  databaseUrl: string | undefined;
  database: { poolMax: number; isPglite: boolean };
  dataDir: string;
  roles: Role[];
  /** Worker processes (1 = no cluster). Always 1 on the embedded database. */
  workers: number;
  hostname: string;
  bind: string;
  /** /metrics access: a bearer token, or (undefined) loopback only. */
  metrics: { token: string | undefined };
  http: { port: number };
  smtp: {
    port: number;
    submissionPort: number;
    submissionsPort: number;
    maxMessageBytes: number;
    greetingDelayMs: number;
    maxRecipients: number;
    maxConnectionsPerIp: number;
    allowPlainAuthOnLoopback: boolean;
    reverseDns: boolean;
  };
  /** IMAP: plain port with STARTTLS (1143, production 143) and implicit TLS (1993, production 993). */
  imap: { port: number; tlsPort: number; allowPlainAuthOnLoopback: boolean };
  pop3: { port: number; tlsPort: number; allowPlainAuthOnLoopback: boolean; markReadOnRetr: boolean };
  /** Certificate and key files; when unset a self-signed pair is made once under dataDir/tls. */
  tls: { certFile: string | undefined; keyFile: string | undefined };
  dns: { mode: 'static' | 'system'; recordsFile: string | undefined; servers: string[] };
  delivery: {
    transportMap: string;
    retryScheduleMs: number[];
    allowPrivate: boolean;
    queueLifetimeMs: number;
    /** 0 = no delay warnings. */
    delayWarningMs: number;
    maxPerDomain: number;
    keepFinishedMs: number;
    leaseMs: number;
    smarthost: SmarthostConfig | undefined;
  };
  /** Issue 13: webhook delivery (role delivery) and the account event outbox. */
  webhooks: { allowPrivate: boolean; timeoutMs: number; retryBaseMs: number; retryForMs: number };
  events: { keepMs: number };
  /** The purge of removed accounts (admin/accounts/account-purge.worker.ts). 0 = no background purge. */
  accountPurge: { intervalMs: number };
  webUrl: string;
  defaultDomain: string;
  admin: { address: string | undefined; password: string | undefined };
  session: { ttlMs: number; cookieSecure: boolean };
  embeddedPgPort: number;
  /** REST limits (issue 13): per key/session and per client address, fixed windows; JSON body size. */
  apiLimits: { perKey: number; perIp: number; windowMs: number; bodyLimitBytes: number };
  log: { level: Env['LOG_LEVEL']; format: Env['LOG_FORMAT'] };
  /** Issue 15: mail rules (forwarding's SRS secret; undefined → dataDir/srs-secret). */
  rules: { srsSecret: string | undefined };
}

export interface SmarthostConfig {
  host: string;
  port: number;
  auth: { user: string; pass: string } | undefined;
  tls: 'required' | 'implicit' | 'opportunistic';
  verifyCertificate: boolean;
  allowPlainAuthOnLoopback: boolean;
}

function toSmarthost(env: Env): SmarthostConfig | undefined {
  if ((env.CORREIO_SMARTHOST_USER === undefined) !== (env.CORREIO_SMARTHOST_PASSWORD === undefined)) {
    throw new Error('CORREIO_SMARTHOST_USER and CORREIO_SMARTHOST_PASSWORD go together: set both or neither');
  }
  if (!env.CORREIO_SMARTHOST) {
    if (env.CORREIO_SMARTHOST_USER) throw new Error('CORREIO_SMARTHOST_USER is set but CORREIO_SMARTHOST is not');
    return undefined;
  }
  const m = /^\[?([^\]\s:]+)\]?(?::(\d{1,5}))?$/.exec(env.CORREIO_SMARTHOST)!;
  const tls = env.CORREIO_SMARTHOST_TLS;
  return {
    host: m[1]!,
    port: Number(m[2] ?? (tls === 'implicit' ? 465 : 587)),
    auth: env.CORREIO_SMARTHOST_USER ? { user: env.CORREIO_SMARTHOST_USER, pass: env.CORREIO_SMARTHOST_PASSWORD! } : undefined,
    tls,
    verifyCertificate: env.CORREIO_SMARTHOST_TLS_VERIFY,
    allowPlainAuthOnLoopback: env.CORREIO_SMARTHOST_ALLOW_PLAIN_AUTH_ON_LOOPBACK,
  };
}

export function toAppConfig(env: Env): AppConfig {
  if ((env.CORREIO_TLS_CERT === undefined) !== (env.CORREIO_TLS_KEY === undefined)) {
    throw new Error('CORREIO_TLS_CERT and CORREIO_TLS_KEY go together: set both or neither');
  }
  const delayWarning = env.CORREIO_DELIVERY_DELAY_WARNING.trim().toLowerCase();
  const accountPurgeInterval = env.CORREIO_ACCOUNT_PURGE_INTERVAL.trim().toLowerCase();
  return {
    databaseUrl: env.DATABASE_URL,
    database: { poolMax: env.DATABASE_POOL_MAX, isPglite: env.DATABASE_IS_PGLITE },
    dataDir: env.CORREIO_DATA_DIR,
    roles: env.CORREIO_ROLES,
    workers: !env.DATABASE_URL || env.DATABASE_IS_PGLITE ? 1 : env.CORREIO_WORKERS === 'auto' ? availableParallelism() : env.CORREIO_WORKERS,
    hostname: env.CORREIO_HOSTNAME,
    metrics: { token: env.CORREIO_METRICS_TOKEN },
    bind: env.CORREIO_BIND,
    http: { port: env.CORREIO_API_PORT },
    smtp: {
      port: env.CORREIO_SMTP_PORT,
      submissionPort: env.CORREIO_SUBMISSION_PORT,
      submissionsPort: env.CORREIO_SUBMISSIONS_PORT,
      maxMessageBytes: env.CORREIO_MAX_MESSAGE_BYTES,
      greetingDelayMs: env.CORREIO_SMTP_GREETING_DELAY_MS,
      maxRecipients: env.CORREIO_SMTP_MAX_RECIPIENTS,
      maxConnectionsPerIp: env.CORREIO_SMTP_MAX_CONNECTIONS_PER_IP,
      allowPlainAuthOnLoopback: env.CORREIO_SMTP_ALLOW_PLAIN_AUTH_ON_LOOPBACK,
      reverseDns: env.CORREIO_SMTP_REVERSE_DNS,
    },
    imap: { port: env.CORREIO_IMAP_PORT, tlsPort: env.CORREIO_IMAPS_PORT, allowPlainAuthOnLoopback: env.CORREIO_IMAP_ALLOW_PLAIN_AUTH_ON_LOOPBACK },
    pop3: { port: env.CORREIO_POP3_PORT, tlsPort: env.CORREIO_POP3S_PORT, allowPlainAuthOnLoopback: env.CORREIO_POP3_ALLOW_PLAIN_AUTH_ON_LOOPBACK, markReadOnRetr: env.CORREIO_POP3_MARK_READ },
    tls: { certFile: env.CORREIO_TLS_CERT, keyFile: env.CORREIO_TLS_KEY },
    dns: { mode: env.CORREIO_DNS, recordsFile: env.CORREIO_DNS_RECORDS, servers: env.CORREIO_DNS_SERVERS },
    delivery: {
      transportMap: env.CORREIO_TRANSPORT_MAP,
      retryScheduleMs: parseDurations(env.CORREIO_DELIVERY_RETRY_SCHEDULE),
      allowPrivate: env.CORREIO_DELIVERY_ALLOW_PRIVATE,
      queueLifetimeMs: parseDuration('CORREIO_DELIVERY_QUEUE_LIFETIME', env.CORREIO_DELIVERY_QUEUE_LIFETIME),
      delayWarningMs: delayWarning === 'off' || delayWarning === '0' ? 0 : parseDuration('CORREIO_DELIVERY_DELAY_WARNING', delayWarning),
      maxPerDomain: env.CORREIO_DELIVERY_MAX_PER_DOMAIN,
      leaseMs: parseDuration('CORREIO_DELIVERY_LEASE', env.CORREIO_DELIVERY_LEASE),
      keepFinishedMs: parseDuration('CORREIO_DELIVERY_KEEP_FINISHED', env.CORREIO_DELIVERY_KEEP_FINISHED),
      smarthost: toSmarthost(env),
    },
    webhooks: {
      allowPrivate: env.CORREIO_WEBHOOKS_ALLOW_PRIVATE,
      timeoutMs: parseDuration('CORREIO_WEBHOOKS_TIMEOUT', env.CORREIO_WEBHOOKS_TIMEOUT),
      retryBaseMs: parseDuration('CORREIO_WEBHOOKS_RETRY_BASE', env.CORREIO_WEBHOOKS_RETRY_BASE),
      retryForMs: parseDuration('CORREIO_WEBHOOKS_RETRY_FOR', env.CORREIO_WEBHOOKS_RETRY_FOR),
    },
    events: { keepMs: parseDuration('CORREIO_EVENTS_KEEP', env.CORREIO_EVENTS_KEEP) },
    accountPurge: { intervalMs: accountPurgeInterval === 'off' ? 0 : parseDuration('CORREIO_ACCOUNT_PURGE_INTERVAL', accountPurgeInterval) },
    webUrl: env.CORREIO_WEB_URL,
    defaultDomain: env.CORREIO_DOMAIN.toLowerCase(),
    admin: { address: env.CORREIO_ADMIN_ADDRESS?.toLowerCase(), password: env.CORREIO_ADMIN_PASSWORD },
    session: {
      ttlMs: env.CORREIO_SESSION_TTL_HOURS * 3_600_000,
      cookieSecure: env.CORREIO_COOKIE_SECURE ?? env.CORREIO_WEB_URL.startsWith('https:'),
    },
    embeddedPgPort: env.CORREIO_EMBEDDED_PG_PORT,
    apiLimits: {
      perKey: env.CORREIO_API_RATE_LIMIT_PER_KEY,
      perIp: env.CORREIO_API_RATE_LIMIT_PER_IP,
      windowMs: parseDuration('CORREIO_API_RATE_LIMIT_WINDOW', env.CORREIO_API_RATE_LIMIT_WINDOW),
      bodyLimitBytes: env.CORREIO_API_BODY_LIMIT_BYTES,
    },
    log: { level: env.LOG_LEVEL, format: env.LOG_FORMAT },
    rules: { srsSecret: env.CORREIO_SRS_SECRET },
  };
}

/** One duration ("1h20m") in milliseconds; the setting's name is in the error. */
function parseDuration(name: string, value: string): number {
  const list = parseDurations(value);
  if (list.length !== 1) throw new Error(`${name}: one duration expected, got "${value}"`);
  return list[0]!;
}

/** "5m,1h20m,30s" → milliseconds. */
export function parseDurations(list: string): number[] {
  const unit: Record<string, number> = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 };
  return list.split(',').map((item) => {
    const parts = [...item.trim().matchAll(/(\d+)(ms|s|m|h|d)/g)];
    if (parts.length === 0 || parts.map((p) => p[0]).join('') !== item.trim()) throw new Error(`not a duration: "${item}"`);
    return parts.reduce((ms, p) => ms + Number(p[1]) * unit[p[2]!]!, 0);
  });
}
