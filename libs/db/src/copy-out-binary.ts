import type pg from 'pg';
import { BinaryCopyParser, type CopyRow, type FieldAllocator } from './copy-binary.js';

/**
 * COPY ... TO STDOUT (FORMAT binary) through a node-postgres client: the fields arrive as the bytes
 * PostgreSQL sent, never decoded into JavaScript strings. node-postgres decodes every DataRow field
 * as a UTF-8 string (its binary result mode does the same, so bytea cannot come back raw), which for
 * large blobs means a string on the V8 heap per blob and a second copy back into a Buffer; the
 * CopyData messages of COPY are handed over as bytes. Reading many message blobs in one statement
 * (the POP3 read-ahead) costs about half the CPU this way, and far less garbage collection.
 *
 * COPY takes no bind parameters: the caller builds the statement from values it has validated
 * (digits only, for ids).
 */
export function copyOutBinary(client: Pick<pg.PoolClient, 'query'>, sql: string, allocate?: FieldAllocator): Promise<CopyRow<Buffer>[]> {
  return new Promise((resolve, reject) => {
    const parser = new BinaryCopyParser(allocate);
    let failure: unknown;
    // A pg "Submittable": the client calls these as the backend's messages arrive.
    const query = {
      submit(connection: { query(text: string): void }): void {
        connection.query(sql); // simple query protocol: COPY TO STDOUT answers with CopyData messages
      },
      handleCopyData(msg: { chunk: Buffer }): void {
        // The chunk is a view into the client's read buffer, reused for what arrives next: the
        // parser copies what it keeps before returning.
        if (failure === undefined) {
          try {
            parser.push(msg.chunk);
          } catch (err) {
            failure = err;
          }
        }
      },
      handleRowDescription(): void {},
      handleDataRow(): void {},
      handleCommandComplete(): void {},
      handleEmptyQuery(): void {},
      handlePortalSuspended(): void {},
      // node-postgres forgets the active query on an error (no readyForQuery follows for it) and
      // calls this on a lost connection too: report at once, as its own Query does.
      handleError(err: unknown): void {
        failure ??= err;
        reject(failure);
      },
      handleReadyForQuery(): void {
        if (failure !== undefined) {
          reject(failure);
          return;
        }
        try {
          resolve(parser.end());
        } catch (err) {
          reject(err);
        }
      },
    };
    client.query(query as unknown as pg.Submittable);
  });
}
