import type { Completion } from '../../command-context.js';

/** What a FETCH path wrote: responses sent, and requested messages another session expunged meanwhile. */
export interface FetchTally {
  written: number;
  gone: number;
}

export type FetchOutcome = Completion | FetchTally;

/** A read-ahead promise nobody awaits yet must not become an unhandled rejection. */
export function guard<T>(promise: Promise<T> | undefined): Promise<T> | undefined {
  promise?.catch(() => {});
  return promise;
}

/**
 * The loop the FETCH fast paths share: batch b+1 is read from the store while batch b is written,
 * strictly in order. A batch the fast path cannot serve (`serve` answers 'fallback') goes through
 * the general path; a tagged answer from either ends the command. On a failure or a tagged answer the read in flight is awaited first, so no
 * query of this session is left running behind its completion.
 */
export async function inPrefetchedBatches<R>(
  batches: readonly number[][],
  read: (batch: number[]) => Promise<R>,
  serve: (batch: number[], result: R) => Promise<FetchOutcome | 'fallback'>,
  fallback?: (batch: number[]) => Promise<FetchOutcome>,
): Promise<FetchOutcome> {
  const readAt = (b: number) => (b < batches.length ? guard(read(batches[b] as number[])) : undefined);
  let written = 0;
  let gone = 0;
  let next = readAt(0);
  try {
    for (let b = 0; b < batches.length; b++) {
      const batch = batches[b] as number[];
      const result = (await next) as R;
      next = readAt(b + 1);
      const served = await serve(batch, result);
      if (served === 'fallback' && !fallback) throw new Error('a FETCH batch fell back with no general path');
      const outcome = served === 'fallback' ? await (fallback as NonNullable<typeof fallback>)(batch) : served;
      if ('status' in outcome) {
        await Promise.allSettled([next]);
        return outcome;
      }
      written += outcome.written;
      gone += outcome.gone;
    }
  } catch (err) {
    await Promise.allSettled([next]);
    throw err;
  }
  return { written, gone };
}
