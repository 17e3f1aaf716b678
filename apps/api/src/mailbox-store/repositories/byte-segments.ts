/**
 * Bytes that arrived in pieces, read without joining them: integers may straddle two pieces, and
 * take() hands back views (subarray) of the pieces, never copies. Safe only over pieces nobody
 * writes to again (a socket's 'data' chunks, or copies made for the purpose).
 */
export class ByteSegments {
  private readonly pieces: Buffer[] = [];
  /** Where the first piece's unread bytes start. */
  private offset = 0;
  /** Unread bytes in all pieces. */
  length = 0;

  push(piece: Buffer): void {
    if (piece.length === 0) return;
    this.pieces.push(piece);
    this.length += piece.length;
  }

  /** The byte `at` bytes ahead (at < length). */
  byteAt(at: number): number {
    let i = 0;
    let p = this.offset + at;
    while (p >= (this.pieces[i] as Buffer).length) {
      p -= (this.pieces[i] as Buffer).length;
      i++;
    }
    return (this.pieces[i] as Buffer)[p] as number;
  }

  /** Signed big-endian integer of `size` (2 or 4) bytes, `at` bytes ahead. */
  readIntBE(at: number, size: 2 | 4): number {
    const first = this.pieces[0] as Buffer;
    const p = this.offset + at;
    if (p + size <= first.length) return size === 4 ? first.readInt32BE(p) : first.readInt16BE(p);
    let v = 0;
    for (let k = 0; k < size; k++) v = v * 256 + this.byteAt(at + k);
    const top = 2 ** (8 * size);
    return v >= top / 2 ? v - top : v;
  }

  /** Removes the next `n` bytes (n ≤ length) and returns them as views of the pieces, in order. */
  take(n: number): Buffer[] {
    const out: Buffer[] = [];
    this.length -= n;
    while (n > 0) {
      const first = this.pieces[0] as Buffer;
      const room = first.length - this.offset;
      if (n < room) {
        out.push(first.subarray(this.offset, this.offset + n));
        this.offset += n;
        return out;
      }
      out.push(this.offset === 0 ? first : first.subarray(this.offset));
      this.pieces.shift();
      this.offset = 0;
      n -= room;
    }
    return out;
  }

  /**
   * Removes the next `n` bytes (n ≤ length) without making views of them: the binary COPY's length
   * words and message headers (nine per row of FETCH's bodies) are skipped, and a view each cost
   * an allocation (subarray) and an array for nothing.
   */
  skip(n: number): void {
    this.length -= n;
    while (n > 0) {
      const room = (this.pieces[0] as Buffer).length - this.offset;
      if (n < room) {
        this.offset += n;
        return;
      }
      this.pieces.shift();
      this.offset = 0;
      n -= room;
    }
  }

  /** Everything unread, as views; the segments are left empty. */
  takeAll(): Buffer[] {
    return this.take(this.length);
  }
}

/** One Buffer for a few bytes that may sit in several pieces (a copy only when they do). */
export function joined(views: readonly Buffer[]): Buffer {
  return views.length === 1 ? (views[0] as Buffer) : Buffer.concat(views);
}
