import { Injectable } from '@nestjs/common';
import { AppError } from '../common/app-error.js';
import type { BulkQueryResolver } from './bulk-query.resolver.js';

/** The default BULK_QUERY_RESOLVER until the search module is wired in (see bulk-query.resolver.ts). */
@Injectable()
export class SearchUnavailableResolver implements BulkQueryResolver {
  resolve(): Promise<string[]> {
    return Promise.reject(AppError.invalid('search targets are not available on this server yet; select by ids or conversations'));
  }
}
