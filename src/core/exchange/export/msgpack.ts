// A small MessagePack encoder (the spec: github.com/msgpack/msgpack/blob/master/spec.md), for
// spaCy's DocBin without a new dependency. It writes what Python's msgpack 1.x writes with
// `use_bin_type=True` (srsly's `msgpack_dumps`): the smallest encoding of each integer, str
// for strings, bin for bytes, maps in insertion order; floats as float64.

export type MsgValue = null | boolean | number | bigint | string | Uint8Array | readonly MsgValue[] | { readonly [key: string]: MsgValue };

const utf8 = new TextEncoder();

export class MsgpackWriter {
  private buf = new Uint8Array(1024);
  private view = new DataView(this.buf.buffer);
  private length = 0;

  /** The bytes written so far. */
  bytes(): Uint8Array {
    return this.buf.slice(0, this.length);
  }

  write(v: MsgValue): this {
    if (v === null) this.byte(0xc0);
    else if (typeof v === 'boolean') this.byte(v ? 0xc3 : 0xc2);
    else if (typeof v === 'number') this.number(v);
    else if (typeof v === 'bigint') this.bigint(v);
    else if (typeof v === 'string') this.string(v);
    else if (v instanceof Uint8Array) this.bin(v);
    else if (Array.isArray(v)) {
      this.arrayHeader(v.length);
      for (const x of v as readonly MsgValue[]) this.write(x);
    } else {
      const entries = Object.entries(v as { readonly [key: string]: MsgValue });
      this.mapHeader(entries.length);
      for (const [k, x] of entries) {
        this.string(k);
        this.write(x);
      }
    }
    return this;
  }

  arrayHeader(n: number): this {
    return this.header(n, 0x90, 0xdc, 0xdd);
  }

  mapHeader(n: number): this {
    return this.header(n, 0x80, 0xde, 0xdf);
  }

  /** A bin header only, for bytes the caller then appends with `raw` (a large array written in parts). */
  binHeader(n: number): this {
    if (n < 0x100) return this.byte(0xc4).byte(n);
    if (n < 0x10000) return this.byte(0xc5).u16(n);
    return this.byte(0xc6).u32(n);
  }

  raw(bytes: Uint8Array): this {
    this.reserve(bytes.length);
    this.buf.set(bytes, this.length);
    this.length += bytes.length;
    return this;
  }

  bin(bytes: Uint8Array): this {
    return this.binHeader(bytes.length).raw(bytes);
  }

  string(s: string): this {
    const b = utf8.encode(s);
    const n = b.length;
    if (n < 32) this.byte(0xa0 | n);
    else if (n < 0x100) this.byte(0xd9).byte(n);
    else if (n < 0x10000) this.byte(0xda).u16(n);
    else this.byte(0xdb).u32(n);
    return this.raw(b);
  }

  private number(n: number): this {
    if (!Number.isInteger(n)) {
      this.byte(0xcb).reserve(8);
      this.view.setFloat64(this.length, n);
      this.length += 8;
      return this;
    }
    if (n >= 0) {
      if (n < 0x80) return this.byte(n);
      if (n < 0x100) return this.byte(0xcc).byte(n);
      if (n < 0x10000) return this.byte(0xcd).u16(n);
      if (n < 0x100000000) return this.byte(0xce).u32(n);
      return this.bigint(BigInt(n));
    }
    if (n >= -32) return this.byte(n & 0xff);
    if (n >= -0x80) return this.byte(0xd0).byte(n & 0xff);
    if (n >= -0x8000) return this.byte(0xd1).u16(n & 0xffff);
    if (n >= -0x80000000) return this.byte(0xd2).u32(n >>> 0);
    return this.bigint(BigInt(n));
  }

  private bigint(n: bigint): this {
    if (n >= 0n && n <= 0xffffffffn) return this.number(Number(n));
    this.byte(n >= 0n ? 0xcf : 0xd3).reserve(8);
    if (n >= 0n) this.view.setBigUint64(this.length, n);
    else this.view.setBigInt64(this.length, n);
    this.length += 8;
    return this;
  }

  private header(n: number, fix: number, b16: number, b32: number): this {
    if (n < 16) return this.byte(fix | n);
    if (n < 0x10000) return this.byte(b16).u16(n);
    return this.byte(b32).u32(n);
  }

  private byte(b: number): this {
    this.reserve(1);
    this.buf[this.length++] = b;
    return this;
  }

  private u16(n: number): this {
    this.reserve(2);
    this.view.setUint16(this.length, n);
    this.length += 2;
    return this;
  }

  private u32(n: number): this {
    this.reserve(4);
    this.view.setUint32(this.length, n);
    this.length += 4;
    return this;
  }

  private reserve(n: number): this {
    if (this.length + n <= this.buf.length) return this;
    let size = this.buf.length * 2;
    while (size < this.length + n) size *= 2;
    const next = new Uint8Array(size);
    next.set(this.buf.subarray(0, this.length));
    this.buf = next;
    this.view = new DataView(next.buffer);
    return this;
  }
}

/** One value as MessagePack bytes. */
export function msgpack(v: MsgValue): Uint8Array {
  return new MsgpackWriter().write(v).bytes();
}
