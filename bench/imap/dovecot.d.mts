// Types for bench/imap/dovecot.mjs (plain ESM so `node bench/imap.mjs` runs it without a build;
// test/system/imap-clients.e2e.test.ts imports it for its Dovecot control run).

export const DOVECOT_BIN: string;

export function dovecotImapInstalled(): boolean;

/** Installs Debian's dovecot-imapd when missing (root only). Returns null when usable, else why not. */
export function ensureDovecotImap(options?: { install?: boolean; log?: (msg: string) => void }): Promise<string | null>;

export function dovecotVersion(): string;

export interface DovecotImapInstance {
  root: string;
  port: number;
  /** The implicit-TLS port when started with `tls`, else 0. */
  tlsPort: number;
  uid: number;
  gid: number;
  conf: string;
  pid?: number;
  maildir(user: string): string;
  log(): Promise<string>;
  restart(): Promise<void>;
  deliver(user: string, message: string | Buffer, from?: string): Promise<void>;
  stop(options?: { keepFiles?: boolean }): Promise<void>;
  stopSync(): void;
}

export function startDovecotImap(options: {
  users: { name: string; password: string; passwordHash?: string }[];
  prefix?: string;
  tls?: { certFile: string; keyFile: string };
}): Promise<DovecotImapInstance>;
