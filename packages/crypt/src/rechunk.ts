/**
 * Cuts a byte stream into pieces of exactly `first` bytes, then `size` bytes each; the last piece may be shorter
 * (and is left out when empty). Memory stays at one piece plus one input chunk, whatever the stream's length.
 */
export async function* rechunk(
  source: AsyncIterable<Uint8Array>,
  first: number,
  size: number,
): AsyncGenerator<Uint8Array> {
  let want = first;
  let piece = new Uint8Array(want);
  let filled = 0;
  for await (const chunk of source) {
    let offset = 0;
    while (offset < chunk.length) {
      const take = Math.min(want - filled, chunk.length - offset);
      piece.set(chunk.subarray(offset, offset + take), filled);
      filled += take;
      offset += take;
      if (filled === want) {
        yield piece;
        want = size;
        piece = new Uint8Array(want);
        filled = 0;
      }
    }
  }
  if (filled > 0) yield piece.subarray(0, filled);
}
