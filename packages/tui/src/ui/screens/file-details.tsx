import { albumPaths, type IndexEntry } from '@lifeboat/core';
import { Text } from 'ink';
import { formatBytes } from '../format.js';

/** The metadata preview of one copy, from the destination's own index. */
export function FileDetails({ entry: e }: { entry: IndexEntry }) {
  const flags = [e.favorite ? 'favourite' : '', e.hidden ? 'hidden' : ''].filter(Boolean).join(', ');
  return (
    <Text wrap="truncate-end">
      {e.key} · {e.kind} · {formatBytes(e.size)} · taken {e.capturedAt?.slice(0, 19).replace('T', ' ') ?? 'unknown'}
      {e.folder ? ` · in folder ${e.folder}` : ''}
      {e.albums.length > 0 ? ` · albums: ${albumPaths(e).join(', ')}` : ''}
      {flags ? ` · ${flags}` : ''} · from {e.source} · sha256 {e.sha256.slice(0, 12)}…
    </Text>
  );
}
