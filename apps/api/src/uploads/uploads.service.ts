import { createHash } from 'node:crypto';
import { Inject, Injectable, Logger, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import type { UploadView } from '@correio/contracts';
import { cleanText } from '@correio/mime';
import { AppError, ErrorCode } from '../common/app-error.js';
import { parseId } from '../common/zod-validation.js';
import type { AppConfig } from '../config/config.schema.js';
import { APP_CONFIG } from '../config/load-config.js';
import { UploadRepository } from './repositories/upload.repository.js';

/** An upload is kept this long unless a send used it first (then it goes at once). */
export const UPLOAD_LIFETIME_MS = 24 * 3600_000;
const CLEANUP_EVERY_MS = 10 * 60_000;
const CLEANUP_BATCH = 500;

const CONTENT_TYPE = /^[a-z0-9][a-z0-9!#$&^_.+-]{0,126}\/[a-z0-9][a-z0-9!#$&^_.+-]{0,126}$/i;

export interface UploadedFile {
  id: string;
  filename: string;
  contentType: string;
  content: Buffer;
}

/**
 * Files uploaded for attachments (POST /api/v1/uploads): stored once per account, referenced by id
 * from drafts and sends, removed after a send that used them or after 24 h (checked every 10 min).
 */
@Injectable()
export class UploadsService implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger('uploads');
  private timer?: NodeJS.Timeout;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly repo: UploadRepository,
  ) {}

  /** The largest file accepted (a message holding it could not be larger). */
  get maxBytes(): number {
    return this.config.smtp.maxMessageBytes;
  }

  async create(accountId: string, file: { filename: string; contentType: string; data: Buffer }): Promise<UploadView> {
    if (file.data.length > this.maxBytes) throw new AppError(ErrorCode.TooLarge, `file larger than ${this.maxBytes} bytes`);
    // The type without parameters ("text/csv; charset=utf-8" → text/csv); anything odd is just bytes.
    const type = file.contentType.split(';')[0]!.trim();
    const contentType = CONTENT_TYPE.test(type) ? type.toLowerCase() : 'application/octet-stream';
    // The account's pending uploads together stay under two messages' worth (they wait up to 24 h).
    const maxTotal = 2 * this.maxBytes;
    const row = await this.repo.insert(
      accountId,
      {
        filename: cleanText(file.filename.replace(/[\r\n\\/]/g, '_'), 255) || 'attachment',
        contentType,
        size: file.data.length,
        sha256: createHash('sha256').update(file.data).digest('hex'),
        data: file.data,
      },
      maxTotal,
    );
    if (!row) {
      throw new AppError(
        ErrorCode.TooLarge,
        `your uploads waiting to be sent would pass ${maxTotal} bytes (twice CORREIO_MAX_MESSAGE_BYTES): send or remove some first`,
      );
    }
    return { ...row, id: String(row.id) };
  }

  async remove(accountId: string, rawId: string): Promise<void> {
    const id = parseId(rawId);
    if (id === undefined || (await this.repo.delete(accountId, [id.toString()])) === 0) throw AppError.notFound('upload not found');
  }

  /** The account's uploads named by `ids` with their bytes; a missing one is a 400 naming it. */
  async read(accountId: string, ids: string[]): Promise<Map<string, UploadedFile>> {
    const valid = [...new Set(ids)].filter((id) => parseId(id) !== undefined);
    const rows = valid.length ? await this.repo.findWithData(accountId, valid) : [];
    const found = new Map(rows.map((r) => [String(r.id), { id: String(r.id), filename: r.filename, contentType: r.contentType, content: r.data }]));
    this.requireAll(ids, found);
    return found;
  }

  /** The size of each upload named by `ids`, without reading its bytes; a missing one is a 400 naming it. */
  async sizes(accountId: string, ids: string[]): Promise<Map<string, number>> {
    const valid = [...new Set(ids)].filter((id) => parseId(id) !== undefined);
    const rows = valid.length ? await this.repo.find(accountId, valid) : [];
    const found = new Map(rows.map((r) => [String(r.id), r.size]));
    this.requireAll(ids, found);
    return found;
  }

  private requireAll(ids: string[], found: Map<string, unknown>): void {
    const missing = ids.filter((id) => !found.has(id));
    if (missing.length) throw AppError.invalid('attachment not found (uploads are kept 24 hours)', { uploads: missing });
  }

  /** After a send used them: they are in the message now. */
  async discard(accountId: string, ids: string[]): Promise<void> {
    const valid = ids.filter((id) => parseId(id) !== undefined);
    if (valid.length) await this.repo.delete(accountId, valid);
  }

  /** Removes expired uploads; returns how many. */
  async purgeExpired(): Promise<number> {
    let total = 0;
    for (let n = CLEANUP_BATCH; n === CLEANUP_BATCH; total += n) n = await this.repo.deleteOlderThan(UPLOAD_LIFETIME_MS, CLEANUP_BATCH);
    return total;
  }

  onModuleInit(): void {
    this.timer = setInterval(() => {
      this.purgeExpired().then(
        (n) => n > 0 && this.logger.log(`deleted ${n} expired upload(s)`),
        (err: Error) => this.logger.warn(`cleanup failed: ${err.message}`),
      );
    }, CLEANUP_EVERY_MS).unref();
  }

  onApplicationShutdown(): void {
    clearInterval(this.timer);
  }
}
