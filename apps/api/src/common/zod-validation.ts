import { type ArgumentMetadata, Injectable, type PipeTransform } from '@nestjs/common';
import type { ZodType } from 'zod';

/** Validates a request part with a shared contract schema; ZodError becomes a 400 in the filter. */
@Injectable()
export class ZodPipe<T> implements PipeTransform<unknown, T> {
  constructor(private readonly schema: ZodType<T>) {}
  transform(value: unknown, _meta: ArgumentMetadata): T {
    return this.schema.parse(value);
  }
}

/** Ids in URLs are positive decimal BIGINTs; anything else is a 404 (indistinguishable from missing). */
const MAX_BIGINT = 9_223_372_036_854_775_807n;

export function parseId(raw: string): bigint | undefined {
  if (!/^[1-9]\d{0,18}$/.test(raw)) return undefined;
  const id = BigInt(raw);
  return id <= MAX_BIGINT ? id : undefined;
}
