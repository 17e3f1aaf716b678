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
 * The loop the FETCH fast paths share: batches b+1 … b+depth are read from the store while batch b
 * is written, and written strictly in order. A batch the fast path cannot serve (`serve` answers
 * 'fallback') goes through the general path; a tagged answer from either ends the command. On a
 * failure or a tagged answer the reads in flight are awaited first, so no query of this session is
 * left running behind its completion.
 *
 * `depth` above 1 keeps several reads in flight, each on its own pool connection: a full sync's
 * line batches are built by PostgreSQL (the response text is assembled in SQL), so two backends
 * build two batches at once on two cores while this process writes the one before (measured in
 * bench/README "Session 11: the cold full sync").
 */
export async function inPrefetchedBatches<R>(
  batches: readonly number[][],
  read: (batch: number[]) => Promise<R>,
  serve: (batch: number[], result: R) => Promise<FetchOutcome | 'fallback'>,
  fallback?: (batch: number[]) => Promise<FetchOutcome>,
  depth = 1,
): Promise<FetchOutcome> {
  const readAt = (b: number) => (b < batches.length ? guard(read(batches[b] as number[])) : undefined);
  let written = 0;
  let gone = 0;
  const inFlight: (Promise<R> | undefined)[] = [];
  for (let b = 0; b < Math.max(1, depth); b++) inFlight.push(readAt(b));
  try {
    for (let b = 0; b < batches.length; b++) {
      const batch = batches[b] as number[];
      const result = (await inFlight.shift()) as R;
      inFlight.push(readAt(b + Math.max(1, depth)));
      const served = await serve(batch, result);
      if (served === 'fallback' && !fallback) throw new Error('a FETCH batch fell back with no general path');
      const outcome = served === 'fallback' ? await (fallback as NonNullable<typeof fallback>)(batch) : served;
      if ('status' in outcome) {
        await Promise.allSettled(inFlight);
        return outcome;
      }
      written += outcome.written;
      gone += outcome.gone;
    }
  } catch (err) {
    await Promise.allSettled(inFlight);
    throw err;
  }
  return { written, gone };
}
