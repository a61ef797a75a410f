// zlib (RFC 1950) compression with the Web API every host has (Node ≥ 18, the browser, VS Code's
// web worker), so the extension and the CLI write the same .spacy files without Node's zlib.
// spaCy's DocBin.to_bytes is zlib.compress(msgpack) (level 6, what "deflate" streams use).

export async function zlibCompress(bytes: Uint8Array): Promise<Uint8Array> {
  const stream = new Blob([bytes]).stream().pipeThrough(new CompressionStream('deflate'));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}
