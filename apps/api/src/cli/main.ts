import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import type { INestApplicationContext } from '@nestjs/common';
import { AppError } from '../common/app-error.js';
import { ConfigError, loadConfig } from '../config/load-config.js';
import { type OpenDatabase, openDatabase } from '../database/open-database.js';
import { AliasService } from '../directory/alias.service.js';
import { DirectoryService } from '../directory/directory.service.js';
import { CliModule } from './cli.module.js';
import { buildProgram } from './commands.js';

/**
 * `npm run correio -- <object> <verb> ...`: the admin command line. It opens the database like the
 * service does (DATABASE_URL, or the embedded one); when the service is running on the embedded
 * database, it goes through the service's database socket, since PGlite's folder has one owner.
 * Exit codes: 0 ok, 1 failure (message on stderr), 2 usage error.
 */
async function main(): Promise<number> {
  let db: OpenDatabase | undefined;
  let app: INestApplicationContext | undefined;
  let json = false;
  // Opened by the first command that needs it: usage errors and --help touch no database.
  const context = async (): Promise<INestApplicationContext> => {
    if (!app) {
      const config = loadConfig();
      db = await openDatabase(config, { allowShared: true, applicationName: 'correio-cli' });
      app = await NestFactory.createApplicationContext(CliModule.forRoot(config, db.pool), { logger: false });
    }
    return app;
  };
  const program = buildProgram({
    directory: async () => (await context()).get(DirectoryService),
    aliases: async () => (await context()).get(AliasService),
    print(human, data) {
      console.log(json ? JSON.stringify(data, (_, v: unknown) => (typeof v === 'bigint' ? v.toString() : v), 2) : human);
    },
  });
  program.hook('preAction', (cmd) => {
    json = Boolean(cmd.optsWithGlobals().json);
  });
  try {
    await program.parseAsync(process.argv);
    return 0;
  } catch (err) {
    const e = err as { code?: string; exitCode?: number; message?: string };
    if (typeof e.code === 'string' && e.code.startsWith('commander.')) {
      return e.code === 'commander.helpDisplayed' || e.code === 'commander.version' || e.code === 'commander.help' ? 0 : 2;
    }
    if (err instanceof ConfigError || err instanceof AppError) console.error(`correio: ${err.message}`);
    else console.error(`correio: ${e.message ?? String(err)}`);
    return 1;
  } finally {
    await app?.close().catch(() => {});
    await db?.close().catch(() => {});
  }
}

main().then((code) => process.exit(code));
