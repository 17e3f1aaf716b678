import { createTestDatabase, TcpProxy, type TestDatabase } from '@correio/testing';
import { createApp, type RunningApp } from '../bootstrap/create-app.js';
import { loadConfig } from '../config/load-config.js';
import { type OpenDatabase, openDatabase } from '../database/open-database.js';
import { AliasService } from '../directory/alias.service.js';
import { DirectoryService } from '../directory/directory.service.js';
import { MailboxStoreService } from '../mailbox-store/mailbox-store.service.js';

export interface TestApp extends RunningApp {
  baseUrl: string;
  db: OpenDatabase;
  testDb: TestDatabase;
  /** Set with { dbProxy: true }: the app reaches the database through it (outage tests). */
  dbProxy?: TcpProxy;
  directory: DirectoryService;
  aliases: AliasService;
  store: MailboxStoreService;
  close(): Promise<void>;
}

/**
 * The real application, in-process, on a fresh database (real PostgreSQL when TEST_DATABASE_URL or
 * DATABASE_URL is set, else PGlite), listening on free ports: tests talk to it over real sockets.
 */
export async function startTestApp(env: Record<string, string> = {}, options: { dbProxy?: boolean } = {}): Promise<TestApp> {
  const testDb = await createTestDatabase({ migrated: true });
  let dbUrl = testDb.url;
  let dbProxy: TcpProxy | undefined;
  if (options.dbProxy) {
    const url = new URL(testDb.url);
    dbProxy = await TcpProxy.start(url.hostname, Number(url.port || 5432));
    url.host = `127.0.0.1:${dbProxy.port}`;
    dbUrl = url.toString();
  }
  const config = loadConfig({
    CORREIO_API_PORT: '0',
    CORREIO_SMTP_PORT: '0',
    CORREIO_SUBMISSION_PORT: '0',
    CORREIO_SUBMISSIONS_PORT: '0',
    CORREIO_POP3_PORT: '0',
    CORREIO_POP3S_PORT: '0',
    CORREIO_IMAP_PORT: '0',
    CORREIO_IMAPS_PORT: '0',
    CORREIO_ADMIN_PASSWORD: 'admin-password',
    // No delivery worker unless a test asks for it (it would race tests that inspect the queue).
    CORREIO_ROLES: 'http,smtp',
    ...env,
    DATABASE_URL: dbUrl,
    DATABASE_IS_PGLITE: testDb.kind === 'pglite' ? 'true' : 'false',
  });
  const db = await openDatabase(config, { allowShared: false, applicationName: 'correio-test' });
  const running = await createApp(config, db, false);
  return {
    ...running,
    baseUrl: `http://127.0.0.1:${running.httpPort}`,
    db,
    testDb,
    dbProxy,
    directory: running.app.get(DirectoryService),
    aliases: running.app.get(AliasService),
    store: running.app.get(MailboxStoreService),
    async close() {
      await running.app.close();
      await db.close();
      await dbProxy?.close();
      await testDb.drop();
    },
  };
}
