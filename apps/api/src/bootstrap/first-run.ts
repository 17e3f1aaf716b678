import { randomBytes } from 'node:crypto';
import type { AppConfig } from '../config/config.schema.js';
import type { DirectoryService } from '../directory/directory.service.js';

export interface FirstRunResult {
  created: boolean;
  adminAddress?: string;
  /** Set only when the password was generated here: shown once, never stored in clear. */
  generatedPassword?: string;
}

/**
 * On a database with no admin account: creates the default domain and the first admin, with the
 * configured password or a generated one (printed once by the caller). Concurrent first starts are
 * safe: the unique address makes the loser fail, and it then sees the winner's admin.
 */
export async function ensureFirstRun(config: AppConfig, directory: DirectoryService): Promise<FirstRunResult> {
  if ((await directory.countAccounts('admin')) > 0) return { created: false };
  const adminAddress = config.admin.address ?? `admin@${config.defaultDomain}`;
  const generatedPassword = config.admin.password ? undefined : randomBytes(12).toString('base64url');
  try {
    await directory.addAccount({
      address: adminAddress,
      password: config.admin.password ?? generatedPassword!,
      role: 'admin',
      displayName: 'Administrator',
    });
  } catch (err) {
    if ((await directory.countAccounts('admin')) > 0) return { created: false };
    throw err;
  }
  if (!(await directory.isLocalDomain(config.defaultDomain))) await directory.addDomain(config.defaultDomain);
  return { created: true, adminAddress, generatedPassword };
}
