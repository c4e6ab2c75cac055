import type { IndexRebuildService } from '../app/index-rebuild.js';
import type { Io } from '../output/io.js';

/** `lifeboat index rebuild <path|destination>`: prints what IndexRebuildService rebuilt and set aside. */
export async function rebuildIndexCommand(service: IndexRebuildService, io: Io, target: string, json: boolean) {
  let read = 0;
  const summary = await service.rebuild(target, () => {
    read++;
    if (!json && io.isTTY && read % 100 === 0) io.err(`reading unindexed files: ${read}`);
  });
  if (json) {
    io.json({ ok: true, ...summary, added: summary.added.length });
    return 0;
  }
  for (const d of summary.damagedLines) io.err(`damaged: ${d.segment} line ${d.line}: ${d.reason}`);
  for (const key of summary.setAside) io.err(`set aside: ${key}`);
  io.err(
    `Index of ${target} rebuilt: ${summary.files} files; ${summary.alreadyIndexed} already indexed, ${summary.added.length} indexed from their bytes (sha256)${summary.added.length > 0 ? ' without a capture date or albums, so --since/--until do not select them' : ''}; marker ${summary.marker.state === 'kept' ? 'kept' : 'written anew'}.`,
  );
  return 0;
}
