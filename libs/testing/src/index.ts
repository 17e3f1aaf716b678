/**
 * @correio/testing — helpers for tests that use real parts: throwaway databases (real PostgreSQL or
 * PGlite), the built API as a real process, and a raw-socket SMTP client for transcripts.
 */
export { createTestDatabase, testServerUrl, type TestDatabase } from './test-database';
export { SmtpTranscript, code } from './smtp-transcript';
export { startApiProcess, freePort, repoRoot, type ApiProcess } from './api-process';
export { splitTrace, originalBytes } from './trace-headers';
export { TcpProxy } from './tcp-proxy';
export { WebhookReceiver, type ReceivedHook } from './webhook-receiver';
export { SseClient, type SseEvent } from './sse-client';
export { sendSmtpOnce, type SmtpOnceResult } from './smtp-once';
export { ImapWire } from './imap-wire';
export { Pop3Wire } from './pop3-wire';
