import { createHash } from 'node:crypto';

// The binary container of a snapshot: a magic, the format version, a JSON header, 8-byte
// aligned sections of typed arrays and strings, and a SHA-256 of everything before it. A
// torn write, a flipped byte or a file of another format is rejected before any of its
// content is read as an index.

const MAGIC = new Uint8Array([0x50, 0x4d, 0x53, 0x4e, 0x41, 0x50, 0x0d, 0x0a]); // "PMSNAP\r\n": a text-mode copy breaks it
/** Bumped whenever the layout of the sections changes. */
export const SNAPSHOT_FORMAT_VERSION = 4;
const DIGEST_BYTES = 32;
const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** Why a snapshot was not used; the caller rebuilds. */
export type SnapshotRejection = 'torn' | 'checksum' | 'format' | 'stale';

export class SnapshotRejectedError extends Error {
  constructor(
    readonly reason: SnapshotRejection,
    /** What was wrong, without the "snapshot rejected" prefix of `message`. */
    readonly detail: string,
  ) {
    super(`snapshot rejected (${reason}): ${detail}`);
    this.name = 'SnapshotRejectedError';
  }
}

const pad8 = (n: number): number => (8 - (n % 8)) % 8;

/** Collects sections in order; `finish` lays them out behind the header and signs the whole. */
export class SnapshotWriter {
  private readonly chunks: Uint8Array[] = [];
  private size = 0;

  private push(bytes: Uint8Array): void {
    this.chunks.push(bytes);
    this.size += bytes.byteLength;
    const padding = pad8(bytes.byteLength);
    if (padding > 0) {
      this.chunks.push(new Uint8Array(padding));
      this.size += padding;
    }
  }

  private typed(array: Int32Array | Float32Array | Float64Array | Uint8Array): void {
    this.push(new Uint8Array(new Float64Array([array.length]).buffer));
    this.push(new Uint8Array(array.buffer, array.byteOffset, array.byteLength));
  }

  int32(array: Int32Array): void {
    this.typed(array);
  }

  uint8(array: Uint8Array): void {
    this.typed(array);
  }

  float32(array: Float32Array): void {
    this.typed(array);
  }

  float64(array: Float64Array): void {
    this.typed(array);
  }

  strings(values: readonly string[]): void {
    // Encoded in one piece: a buffer per string cost more than the encoding (100k ids and
    // ~200k terms at 100k companies).
    const encoder = new TextEncoder();
    const lengths = new Int32Array(values.length);
    let total = 0;
    for (let i = 0; i < values.length; i += 1) total += lengths[i] = Buffer.byteLength(values[i]!, 'utf8');
    let blob = encoder.encode(values.join(''));
    if (blob.byteLength !== total) {
      // A lone surrogate at the end of one string and the start of the next join into one
      // character: encoded string by string instead, each on its own.
      blob = new Uint8Array(total);
      let at = 0;
      for (const value of values) at += encoder.encodeInto(value, blob.subarray(at)).written;
    }
    this.int32(lengths);
    this.uint8(blob);
  }

  finish(header: object): Uint8Array {
    const headerBytes = new TextEncoder().encode(JSON.stringify({ ...header, littleEndian: LITTLE_ENDIAN, payloadBytes: this.size }));
    const prefix = 8 + 4 + 4 + headerBytes.byteLength;
    const start = prefix + pad8(prefix);
    const out = new Uint8Array(start + this.size + DIGEST_BYTES);
    out.set(MAGIC, 0);
    const view = new DataView(out.buffer);
    view.setUint32(8, SNAPSHOT_FORMAT_VERSION, true);
    view.setUint32(12, headerBytes.byteLength, true);
    out.set(headerBytes, 16);
    let at = start;
    for (const chunk of this.chunks) {
      out.set(chunk, at);
      at += chunk.byteLength;
    }
    out.set(createHash('sha256').update(out.subarray(0, at)).digest(), at);
    return out;
  }
}

/** Reads what a `SnapshotWriter` wrote, in the same order; every read is bounds-checked. */
export class SnapshotReader {
  readonly header: Record<string, unknown>;
  private readonly bytes: Uint8Array;
  private at: number;
  private readonly end: number;

  /**
   * Checks magic, version, length and checksum (unless `checked`: a reader of the same bytes
   * did, on another thread); throws `SnapshotRejectedError`.
   */
  constructor(file: Uint8Array, { checked = false }: { readonly checked?: boolean } = {}) {
    if (file.byteLength < 16 + DIGEST_BYTES) throw new SnapshotRejectedError('torn', `${file.byteLength} bytes is shorter than any snapshot`);
    if (!MAGIC.every((byte, i) => file[i] === byte)) throw new SnapshotRejectedError('format', 'not a partnermatch index snapshot');
    const view = new DataView(file.buffer, file.byteOffset, file.byteLength);
    const version = view.getUint32(8, true);
    if (version !== SNAPSHOT_FORMAT_VERSION) throw new SnapshotRejectedError('format', `format version ${version}, expected ${SNAPSHOT_FORMAT_VERSION}`);
    const headerLength = view.getUint32(12, true);
    if (16 + headerLength + DIGEST_BYTES > file.byteLength) throw new SnapshotRejectedError('torn', 'the header runs past the end of the file');
    const digestAt = file.byteLength - DIGEST_BYTES;
    if (!checked && !createHash('sha256').update(file.subarray(0, digestAt)).digest().equals(file.subarray(digestAt))) {
      throw new SnapshotRejectedError('checksum', 'the SHA-256 does not match the content (a torn write or a changed byte)');
    }
    let header: Record<string, unknown>;
    try {
      header = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(file.subarray(16, 16 + headerLength))) as Record<string, unknown>;
    } catch {
      throw new SnapshotRejectedError('format', 'the header is not JSON');
    }
    if (header['littleEndian'] !== LITTLE_ENDIAN) throw new SnapshotRejectedError('format', 'written on a machine of the other byte order');
    const start = 16 + headerLength + pad8(16 + headerLength);
    if (start + Number(header['payloadBytes']) !== digestAt) throw new SnapshotRejectedError('torn', 'the payload length does not match the file');
    // Typed views need aligned offsets; a pooled Buffer may not start on one.
    this.bytes = file.byteOffset % 8 === 0 ? file : file.slice();
    this.header = header;
    this.at = start;
    this.end = digestAt;
  }

  private take(byteLength: number): number {
    const at = this.at;
    if (at + byteLength > this.end) throw new SnapshotRejectedError('format', 'a section runs past the end of the payload');
    this.at = at + byteLength + pad8(byteLength);
    return at;
  }

  private count(): number {
    const at = this.take(8);
    const n = new Float64Array(this.bytes.buffer, this.bytes.byteOffset + at, 1)[0]!;
    if (!Number.isInteger(n) || n < 0) throw new SnapshotRejectedError('format', 'a section length is not a count');
    return n;
  }

  int32(): Int32Array {
    const n = this.count();
    return new Int32Array(this.bytes.buffer, this.bytes.byteOffset + this.take(n * 4), n);
  }

  float32(): Float32Array {
    const n = this.count();
    return new Float32Array(this.bytes.buffer, this.bytes.byteOffset + this.take(n * 4), n);
  }

  float64(): Float64Array {
    const n = this.count();
    return new Float64Array(this.bytes.buffer, this.bytes.byteOffset + this.take(n * 8), n);
  }

  uint8(): Uint8Array {
    const n = this.count();
    return new Uint8Array(this.bytes.buffer, this.bytes.byteOffset + this.take(n), n);
  }

  /** A strings section as written: each string's UTF-8 length, and their bytes one after another. */
  utf8(): Utf8Strings {
    const lengths = this.int32();
    const blob = this.uint8();
    let total = 0;
    for (let i = 0; i < lengths.length; i += 1) {
      if (lengths[i]! < 0) throw new SnapshotRejectedError('format', 'a string runs past its section');
      total += lengths[i]!;
    }
    if (total !== blob.byteLength) throw new SnapshotRejectedError('format', 'a string section holds more or less than its strings');
    return { lengths, blob };
  }
}

/** A strings section: each string's UTF-8 length, and their bytes one after another. */
export interface Utf8Strings {
  readonly lengths: Int32Array;
  readonly blob: Uint8Array;
}

/** The strings of a strings section. */
export function decodeStrings({ lengths, blob }: Utf8Strings): string[] {
  // One decode of the whole blob, then each string cut out of it: a decoder call per
  // string (ids, vocabulary: hundreds of thousands) costs more than the text itself.
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(blob);
  } catch {
    throw new SnapshotRejectedError('format', 'a string section is not UTF-8');
  }
  const out = new Array<string>(lengths.length);
  let at = 0;
  let charAt = 0;
  for (let i = 0; i < lengths.length; i += 1) {
    const end = at + lengths[i]!;
    // UTF-16 units of these bytes: one per lead byte, two for a four-byte sequence.
    let units = 0;
    for (let b = at; b < end; b += 1) {
      const byte = blob[b]!;
      if ((byte & 0xc0) !== 0x80) units += byte >= 0xf0 ? 2 : 1;
    }
    out[i] = text.slice(charAt, charAt + units);
    charAt += units;
    at = end;
  }
  return out;
}