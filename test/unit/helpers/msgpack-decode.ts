// A MessagePack decoder for tests (the spec's formats, as Python's msgpack reads them): reads
// back what src/core/exchange/export/msgpack.ts writes, independently of it.
export type Decoded = null | boolean | number | bigint | string | Uint8Array | Decoded[] | { [k: string]: Decoded };

export function decodeMsgpack(bytes: Uint8Array): Decoded {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let pos = 0;
  const utf8 = new TextDecoder('utf-8', { fatal: true });
  const take = (n: number) => {
    const out = bytes.subarray(pos, pos + n);
    if (out.length !== n) throw new Error(`msgpack: truncated at ${pos}`);
    pos += n;
    return out;
  };
  const u8 = () => view.getUint8(pos++);
  const u16 = () => { const v = view.getUint16(pos); pos += 2; return v; };
  const u32 = () => { const v = view.getUint32(pos); pos += 4; return v; };
  const array = (n: number): Decoded[] => Array.from({ length: n }, () => next());
  const map = (n: number): { [k: string]: Decoded } => {
    const o: { [k: string]: Decoded } = {};
    for (let i = 0; i < n; i++) {
      const k = next();
      if (typeof k !== 'string') throw new Error('msgpack: a map key that is not a string');
      o[k] = next();
    }
    return o;
  };
  const next = (): Decoded => {
    const b = u8();
    if (b < 0x80) return b;
    if (b >= 0xe0) return b - 0x100;
    if ((b & 0xf0) === 0x80) return map(b & 0x0f);
    if ((b & 0xf0) === 0x90) return array(b & 0x0f);
    if ((b & 0xe0) === 0xa0) return utf8.decode(take(b & 0x1f));
    switch (b) {
      case 0xc0: return null;
      case 0xc2: return false;
      case 0xc3: return true;
      case 0xc4: return take(u8()).slice();
      case 0xc5: return take(u16()).slice();
      case 0xc6: return take(u32()).slice();
      case 0xcb: { const v = view.getFloat64(pos); pos += 8; return v; }
      case 0xcc: return u8();
      case 0xcd: return u16();
      case 0xce: return u32();
      case 0xcf: { const v = view.getBigUint64(pos); pos += 8; return v; }
      case 0xd0: { const v = view.getInt8(pos); pos += 1; return v; }
      case 0xd1: { const v = view.getInt16(pos); pos += 2; return v; }
      case 0xd2: { const v = view.getInt32(pos); pos += 4; return v; }
      case 0xd3: { const v = view.getBigInt64(pos); pos += 8; return v; }
      case 0xd9: return utf8.decode(take(u8()));
      case 0xda: return utf8.decode(take(u16()));
      case 0xdb: return utf8.decode(take(u32()));
      case 0xdc: return array(u16());
      case 0xdd: return array(u32());
      case 0xde: return map(u16());
      case 0xdf: return map(u32());
      default: throw new Error(`msgpack: unsupported type 0x${b.toString(16)} at ${pos - 1}`);
    }
  };
  const v = next();
  if (pos !== bytes.length) throw new Error(`msgpack: ${bytes.length - pos} bytes after the value`);
  return v;
}
