/**
 * The worker thread of SharedCopyReader (shared-copy-reader.ts): runs each requested binary COPY
 * on its own connection and writes the data field of each row into the shared memory at the
 * placement of the row's key. Requests run in the order they came (one connection).
 */
import { setPriority } from 'node:os';
import { parentPort, workerData } from 'node:worker_threads';
import pg from 'pg';
import { copyOutBinary } from './copy-out-binary.js';
import type { SharedCopyRequest, SharedCopyResponse } from './shared-copy-reader.js';

const { url, applicationName } = workerData as { url: string; applicationName: string };

// Reading ahead is background work: the threads that answer clients come first. On Linux a nice
// value is per thread (this one only); elsewhere it would apply to the whole process, so not there.
if (process.platform === 'linux') {
  try {
    setPriority(19);
  } catch {
    // Not permitted (some containers): run at normal priority.
  }
}
let client: Promise<pg.Client> | undefined;

/** The connection, opened on first use; dropped when it fails, so the next request opens another. */
function connection(): Promise<pg.Client> {
  if (client) return client;
  const c = new pg.Client({ connectionString: url, application_name: applicationName });
  const opening = c.connect().then(() => c);
  client = opening;
  const drop = () => {
    if (client === opening) client = undefined;
  };
  c.on('error', drop);
  c.on('end', drop);
  opening.catch(drop);
  return opening;
}

async function run(req: SharedCopyRequest): Promise<SharedCopyResponse> {
  const into = Buffer.from(req.buffer);
  const places = new Map(req.places.map(([key, offset, capacity]) => [key, { offset, capacity }]));
  const found: [string, number][] = [];
  const opened = connection();
  const c = await opened;
  try {
    await copyOutBinary(c, req.sql, (row, length) => {
      if (row.length !== 1) return undefined; // only the second field is placed
      const key = row[0]!.readBigInt64BE(0).toString(); // int8, binary: 8 bytes big-endian
      found.push([key, length]);
      const place = places.get(key);
      return place && length <= place.capacity ? into.subarray(place.offset, place.offset + length) : null;
    });
  } catch (err) {
    // A server that ends the session (57P01 "terminating connection due to administrator command",
    // class 08, or no SQLSTATE: the socket itself) sends its error before the socket closes; the
    // next request, coming in between, must not be written to this connection: drop it now rather
    // than on its 'end' event (a race seen under a loaded CI). A statement's own error keeps it.
    const code = (err as { code?: unknown }).code;
    if (typeof code !== 'string' || code.startsWith('57P') || code.startsWith('08')) {
      if (client === opened) client = undefined;
      c.end().catch(() => {});
    }
    throw err;
  }
  return { seq: req.seq, found };
}

// Connected from the start, so the first request finds the connection open (a failure here is
// retried by that request).
connection().catch(() => {});

parentPort!.on('message', (req: SharedCopyRequest) => {
  run(req).then(
    (res) => parentPort!.postMessage(res),
    (err: { message?: string; code?: string }) =>
      parentPort!.postMessage({ seq: req.seq, error: { message: String(err?.message ?? err), code: err?.code } } satisfies SharedCopyResponse),
  );
});
