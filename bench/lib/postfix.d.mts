// Types for postfix.mjs (used from TypeScript by test/system/support/postfix.ts).

export declare const POSTFIX_BIN: string;
export declare const SMTP_SOURCE_BIN: string;

/** Is Debian's postfix installed (the postfix command and smtp-source)? */
export declare function postfixInstalled(): boolean;

/**
 * Makes sure Postfix is installed (apt-get, preseeded "No configuration") when missing and root.
 * Resolves to null when Postfix is usable, else the reason it is not.
 */
export declare function ensurePostfix(options?: { install?: boolean; log?: (msg: string) => void }): Promise<string | null>;

/** A free TCP port on 127.0.0.1. */
export declare function freePort(): Promise<number>;

export interface StartPostfixOptions {
  /** smtpd port on 127.0.0.1 (default: a free one). */
  port?: number;
  /** Domains delivered into the instance's Maildir (default ['postfix.test']). */
  domains?: string[];
  /** Domains relayed to [127.0.0.1]:relayPort. */
  relayDomains?: string[];
  /** The MX to relay to (also the relayhost). */
  relayPort?: number;
  /** Extra main.cf settings; they override the defaults. */
  settings?: Record<string, string | number>;
  /** myhostname (default postfix.localhost). */
  hostname?: string;
  /** Temp directory name prefix. */
  prefix?: string;
}

export interface MaildirMessage {
  file: string;
  mtimeMs: number;
  raw: Buffer;
}

export interface PostfixInstance {
  root: string;
  configDir: string;
  queueDir: string;
  dataDir: string;
  mailBase: string;
  logFile: string;
  /** smtpd port on 127.0.0.1. */
  port: number;
  /** The Maildir every local recipient's mail goes to. */
  maildir: string;
  postconf(args?: string[]): Promise<string>;
  queueCount(): Promise<number>;
  waitForEmptyQueue(timeoutMs?: number): Promise<void>;
  maildirCount(): Promise<number>;
  readMaildir(): Promise<MaildirMessage[]>;
  clearMaildir(): Promise<void>;
  log(): Promise<string>;
  waitForLog(re: RegExp, timeoutMs?: number): Promise<string>;
  flush(): Promise<void>;
  stop(options?: { keepFiles?: boolean }): Promise<void>;
  stopSync(): void;
}

export declare function startPostfix(options?: StartPostfixOptions): Promise<PostfixInstance>;

export declare const SMTP_SINK_BIN: string;

/** Files per queue of an instance. */
export declare function queueSizes(instance: PostfixInstance): Promise<Record<'maildrop' | 'incoming' | 'active' | 'deferred' | 'hold', number>>;

/** postsuper -H ALL, then postqueue -f. */
export declare function releaseHeld(instance: PostfixInstance): Promise<void>;

export interface SmtpSink {
  port: number;
  counters: { sessions: number; quits: number; messages: number };
  arrivalOf(n: number): number | undefined;
  waitForMessages(n: number, timeoutMs?: number): Promise<number>;
  stop(): Promise<void>;
}

/** Postfix's smtp-sink on 127.0.0.1 with its counters parsed and timestamped. */
export declare function startSmtpSink(options?: { port?: number; hostname?: string; user?: string; maxConnections?: number }): Promise<SmtpSink>;
