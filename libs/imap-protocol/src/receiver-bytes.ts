/**
 * The receiver's input queue: chunks as they came, never concatenated while a line is incomplete,
 * so a client sending a long line one byte per packet costs O(n), not O(n²) copying or scanning.
 */
export class ByteQueue {
  private chunks: Buffer[] = [];
  /** Index of the first live chunk (consumed ones are dropped in batches, not shifted one by one). */
  private head = 0;
  private total = 0;
  /** The LF search resumes at chunk scanChunk (an absolute index into chunks), byte scanByte. */
  private scanChunk = 0;
  private scanByte = 0;
  /** Bytes before chunks[scanChunk] (from head). */
  private scanBase = 0;

  get length(): number {
    return this.total;
  }

  push(chunk: Buffer): void {
    if (chunk.length === 0) return;
    this.chunks.push(chunk);
    this.total += chunk.length;
  }

  /** Offset of the first LF, or -1; resumes where the last search stopped. */
  indexOfLf(): number {
    if (this.scanChunk < this.head) this.resetScan();
    while (this.scanChunk < this.chunks.length) {
      const chunk = this.chunks[this.scanChunk] as Buffer;
      const found = chunk.indexOf(0x0a, this.scanByte);
      if (found >= 0) return this.scanBase + found;
      this.scanBase += chunk.length;
      this.scanChunk++;
      this.scanByte = 0;
    }
    return -1;
  }

  /** The first n bytes as one Buffer, removed from the queue. */
  take(n: number): Buffer {
    const parts = this.takeChunks(n);
    return parts.length === 1 ? (parts[0] as Buffer) : Buffer.concat(parts);
  }

  /** The first n bytes as slices of the chunks (no copy), removed from the queue. */
  takeChunks(n: number): Buffer[] {
    const parts: Buffer[] = [];
    let remaining = Math.min(n, this.total);
    while (remaining > 0) {
      const chunk = this.chunks[this.head] as Buffer;
      if (chunk.length <= remaining) {
        parts.push(chunk);
        this.head++;
        remaining -= chunk.length;
        this.total -= chunk.length;
      } else {
        parts.push(chunk.subarray(0, remaining));
        this.chunks[this.head] = chunk.subarray(remaining);
        this.total -= remaining;
        remaining = 0;
      }
    }
    if (this.head > 64 && this.head * 2 > this.chunks.length) {
      this.chunks = this.chunks.slice(this.head);
      this.head = 0;
    }
    this.resetScan();
    return parts;
  }

  /** A copy of up to n bytes from the start, not removed (to read a tag). */
  peek(n: number): Buffer {
    const parts: Buffer[] = [];
    let remaining = n;
    for (let i = this.head; i < this.chunks.length && remaining > 0; i++) {
      const chunk = this.chunks[i] as Buffer;
      parts.push(chunk.subarray(0, remaining));
      remaining -= chunk.length;
    }
    return Buffer.concat(parts);
  }

  clear(): void {
    this.chunks = [];
    this.head = 0;
    this.total = 0;
    this.resetScan();
  }

  private resetScan(): void {
    this.scanChunk = this.head;
    this.scanByte = 0;
    this.scanBase = 0;
  }
}
