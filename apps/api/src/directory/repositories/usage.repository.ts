import { Injectable } from '@nestjs/common';
import type { PoolClient } from '@correio/db';

/**
 * Account storage usage released inside the mail store's own transactions (the store passes its
 * client) so that usage always equals the bytes committed. Owned by the directory like the rest of
 * the accounts table; the charge on delivery is inlined in the store's one-statement insert
 * (mailbox-store/repositories/delivery.repository.ts).
 */
@Injectable()
export class UsageRepository {
  async release(tx: Pick<PoolClient, 'query'>, accountId: string, bytes: number): Promise<void> {
    await tx.query('UPDATE accounts SET used_bytes = GREATEST(used_bytes - $2, 0) WHERE id = $1', [accountId, bytes]);
  }
}
