/** Injection token for the BlobStore implementation (PostgreSQL by default). */
export const BLOB_STORE = Symbol('BLOB_STORE');
