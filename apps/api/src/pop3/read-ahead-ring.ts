/** A stretch of the ring in use: a message read ahead, until released. */
export interface RingRegion {
  readonly offset: number;
  readonly capacity: number;
  isReleased: boolean;
}

/**
 * The memory one POP3 session reads its maildrop ahead into: a SharedArrayBuffer, allocated once
 * and reused, so a download allocates nothing per message on the main thread (the worker that reads
 * the blobs writes into it; see SharedCopyReader). Regions are taken in order and come back in any
 * order; the space of a region is reused only once it and every region taken before it are
 * released (a FIFO ring: read-ahead is consumed in order, and a region released out of order waits
 * for the older ones). Nothing is ever overwritten while in use: a region's holder releases it only
 * when the socket has taken its bytes.
 */
export class ReadAheadRing {
  readonly memory: SharedArrayBuffer;
  private readonly regions: RingRegion[] = [];

  constructor(readonly capacity: number) {
    this.memory = new SharedArrayBuffer(capacity);
  }

  /** A region of `size` bytes, or undefined when the free space (contiguous) is too small now. */
  alloc(size: number): RingRegion | undefined {
    if (size <= 0 || size > this.capacity) return undefined;
    const offset = this.freeOffset(size);
    if (offset === undefined) return undefined;
    const region: RingRegion = { offset, capacity: size, isReleased: false };
    this.regions.push(region);
    return region;
  }

  release(region: RingRegion): void {
    region.isReleased = true;
    while (this.regions.length > 0 && this.regions[0]!.isReleased) this.regions.shift();
  }

  /** Regions not yet reclaimed (tests). */
  get inUse(): number {
    return this.regions.length;
  }

  private freeOffset(size: number): number | undefined {
    if (this.regions.length === 0) return 0;
    const first = this.regions[0]!.offset;
    const last = this.regions[this.regions.length - 1]!;
    const end = last.offset + last.capacity;
    if (end > first) {
      // In use: [first, end). Free: [end, capacity), then [0, first) after wrapping.
      if (this.capacity - end >= size) return end;
      return first >= size ? 0 : undefined;
    }
    // Wrapped: in use [first, capacity) and [0, end). Free: [end, first).
    return first - end >= size ? end : undefined;
  }
}
