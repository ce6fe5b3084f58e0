/**
 * @module
 * A lock-free single-producer/single-consumer float32 ring on a SharedArrayBuffer. The producer
 * alone moves the write index and the consumer alone moves the read index; both are free-running
 * 32-bit counters, so `write - read` is the fill level even after they wrap. `read` and `write`
 * copy element by element: they allocate nothing, take no lock and never wait, so the audio
 * thread can call them every period.
 */

const WRITE = 0;
const READ = 1;
const OVERRUNS = 2;
const UNDERRUNS = 3;
const FLUSH_REQUESTED = 4;
const FLUSH_TARGET = 5;
const STREAMING = 6;
const CONSUMED = 7; // total frames the consumer has taken (or skipped), for drain and latency

/** 64 bytes keeps the indices on their own cache line, apart from the samples. */
const HEADER_BYTES = 64;

export class SpscRing {
  readonly buffer: SharedArrayBuffer;
  readonly capacity: number;
  readonly #header: Int32Array<SharedArrayBuffer>;
  readonly #data: Float32Array<SharedArrayBuffer>;
  readonly #mask: number;

  /** Creates a ring of at least `minCapacity` samples (rounded up to a power of two). */
  static create(minCapacity: number): SpscRing {
    if (!(minCapacity >= 2 && minCapacity <= 2 ** 28)) {
      throw new RangeError(`ring capacity must be from 2 to 2^28 samples, got ${minCapacity}`);
    }
    const capacity = 2 ** Math.ceil(Math.log2(minCapacity));
    return new SpscRing(new SharedArrayBuffer(HEADER_BYTES + capacity * 4));
  }

  /** Attaches to a ring created elsewhere (for example in another thread). */
  constructor(buffer: SharedArrayBuffer) {
    const capacity = (buffer.byteLength - HEADER_BYTES) / 4;
    if (!Number.isInteger(Math.log2(capacity))) throw new RangeError("not a ring buffer");
    this.buffer = buffer;
    this.capacity = capacity;
    this.#mask = capacity - 1;
    this.#header = new Int32Array(buffer, 0, HEADER_BYTES / 4);
    this.#data = new Float32Array(buffer, HEADER_BYTES, capacity);
  }

  availableRead(): number {
    return (Atomics.load(this.#header, WRITE) - Atomics.load(this.#header, READ)) >>> 0;
  }

  availableWrite(): number {
    return this.capacity - this.availableRead();
  }

  /** Producer: copies up to `length` samples; returns how many fit. */
  write(source: Float32Array, offset = 0, length = source.length - offset): number {
    const w = Atomics.load(this.#header, WRITE);
    const free = this.capacity - ((w - Atomics.load(this.#header, READ)) >>> 0);
    const count = length < free ? length : free;
    const data = this.#data;
    const mask = this.#mask;
    for (let i = 0; i < count; i++) data[(w + i) & mask] = source[offset + i];
    // The store publishes the samples: a consumer that sees the new index sees the data.
    Atomics.store(this.#header, WRITE, (w + count) | 0);
    return count;
  }

  /** Consumer: copies up to `length` samples into `target`; returns how many were there. */
  read(target: Float32Array, offset = 0, length = target.length - offset): number {
    this.#applyFlush();
    const r = Atomics.load(this.#header, READ);
    const available = (Atomics.load(this.#header, WRITE) - r) >>> 0;
    const count = length < available ? length : available;
    const data = this.#data;
    const mask = this.#mask;
    for (let i = 0; i < count; i++) target[offset + i] = data[(r + i) & mask];
    Atomics.store(this.#header, READ, (r + count) | 0);
    Atomics.add(this.#header, CONSUMED, count);
    return count;
  }

  /** Consumer: drops everything queued now. */
  discard(): number {
    const r = Atomics.load(this.#header, READ);
    const w = Atomics.load(this.#header, WRITE);
    Atomics.store(this.#header, READ, w);
    const dropped = (w - r) >>> 0;
    Atomics.add(this.#header, CONSUMED, dropped);
    return dropped;
  }

  /**
   * Producer: asks the consumer to drop everything written so far (barge-in). The consumer applies
   * it at its next read, so the read index keeps a single writer.
   */
  requestFlush(): void {
    Atomics.store(this.#header, FLUSH_TARGET, Atomics.load(this.#header, WRITE));
    Atomics.store(this.#header, FLUSH_REQUESTED, 1);
  }

  #applyFlush(): void {
    if (Atomics.exchange(this.#header, FLUSH_REQUESTED, 0) === 0) return;
    const target = Atomics.load(this.#header, FLUSH_TARGET);
    const r = Atomics.load(this.#header, READ);
    // Only ever forward: a target older than the read index has nothing left to drop.
    if (((target - r) | 0) > 0) {
      Atomics.store(this.#header, READ, target);
      Atomics.add(this.#header, CONSUMED, (target - r) >>> 0);
    }
  }

  /** Producer: whether a stream is under way, so the consumer can tell a gap from silence. */
  setStreaming(streaming: boolean): void {
    Atomics.store(this.#header, STREAMING, streaming ? 1 : 0);
  }

  get streaming(): boolean {
    return Atomics.load(this.#header, STREAMING) === 1;
  }

  /** Total samples the consumer has taken or dropped (wraps at 2^32). */
  get consumed(): number {
    return Atomics.load(this.#header, CONSUMED) >>> 0;
  }

  countOverrun(samples: number): void {
    Atomics.add(this.#header, OVERRUNS, samples);
  }

  countUnderrun(samples: number): void {
    Atomics.add(this.#header, UNDERRUNS, samples);
  }

  /** Samples dropped because the ring was full. */
  get overruns(): number {
    return Atomics.load(this.#header, OVERRUNS) >>> 0;
  }

  /** Samples of silence played because the ring ran dry during a stream. */
  get underruns(): number {
    return Atomics.load(this.#header, UNDERRUNS) >>> 0;
  }
}
