import { Inject, Injectable } from '@nestjs/common';
import { type Pool, type PoolClient, type PrismaClient, withTransaction } from '@correio/db';
import { PG_POOL, PRISMA } from '../../database/database.module.js';

export interface TotpRecord {
  secret: string;
  enabledAt: Date | null;
  lastStep: bigint;
}

/** The only code that touches account_totp and recovery_codes. */
@Injectable()
export class TwoFactorRepository {
  constructor(
    @Inject(PRISMA) private readonly prisma: PrismaClient,
    @Inject(PG_POOL) private readonly pool: Pool,
  ) {}

  findTotp(accountId: bigint): Promise<TotpRecord | null> {
    return this.prisma.accountTotp.findUnique({ where: { accountId }, select: { secret: true, enabledAt: true, lastStep: true } });
  }

  /** A new secret waiting for its first code; replaces an earlier pending one (never an enabled one). */
  async savePendingSecret(accountId: bigint, secret: string): Promise<boolean> {
    const n = await this.prisma.$executeRaw`INSERT INTO account_totp (account_id, secret) VALUES (${accountId}, ${secret})
      ON CONFLICT (account_id) DO UPDATE SET secret = EXCLUDED.secret, last_step = 0, created_at = now()
      WHERE account_totp.enabled_at IS NULL`;
    return n === 1;
  }

  /**
   * Accepts the time step once: true only when it is newer than the last one accepted (RFC 6238
   * §5.2: a code must not be accepted twice), in one statement so two racing logins cannot both win.
   */
  async claimStep(accountId: bigint, step: bigint): Promise<boolean> {
    return (
      (await this.prisma
        .$executeRaw`UPDATE account_totp SET last_step = ${step} WHERE account_id = ${accountId} AND last_step < ${step}`) === 1
    );
  }

  /** Turns 2FA on with a fresh set of recovery codes, in one transaction. */
  async enable(accountId: bigint, step: bigint, codeHashes: string[]): Promise<boolean> {
    return withTransaction(this.pool, async (tx) => {
      const { rowCount } = await tx.query(
        'UPDATE account_totp SET enabled_at = now(), last_step = $2 WHERE account_id = $1 AND enabled_at IS NULL AND last_step < $2',
        [accountId, step],
      );
      if (rowCount !== 1) return false;
      await insertCodes(tx, accountId, codeHashes);
      return true;
    });
  }

  async replaceRecoveryCodes(accountId: bigint, codeHashes: string[]): Promise<void> {
    await withTransaction(this.pool, (tx) => insertCodes(tx, accountId, codeHashes));
  }

  /** Uses a recovery code: true once per code (the UPDATE's condition makes it single use under races). */
  async useRecoveryCode(accountId: bigint, codeHash: string): Promise<boolean> {
    return (
      (await this.prisma.recoveryCode.updateMany({ where: { accountId, codeHash, usedAt: null }, data: { usedAt: new Date() } })).count ===
      1
    );
  }

  countUnusedRecoveryCodes(accountId: bigint): Promise<number> {
    return this.prisma.recoveryCode.count({ where: { accountId, usedAt: null } });
  }

  async disable(accountId: bigint): Promise<void> {
    await withTransaction(this.pool, async (tx) => {
      await tx.query('DELETE FROM recovery_codes WHERE account_id = $1', [accountId]);
      await tx.query('DELETE FROM account_totp WHERE account_id = $1', [accountId]);
    });
  }
}

/** The old set goes with the new one in the caller's transaction. */
async function insertCodes(tx: Pick<PoolClient, 'query'>, accountId: bigint, codeHashes: string[]): Promise<void> {
  await tx.query('DELETE FROM recovery_codes WHERE account_id = $1', [accountId]);
  await tx.query('INSERT INTO recovery_codes (account_id, code_hash) SELECT $1, unnest($2::text[])', [accountId, codeHashes]);
}
