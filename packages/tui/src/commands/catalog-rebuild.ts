import type { CatalogRebuildService } from '../app/catalog-rebuild.js';
import type { Io } from '../output/io.js';

/** `lifeboat catalog rebuild`: prints what CatalogRebuildService set aside and read back. */
export async function rebuildCatalog(service: CatalogRebuildService, io: Io, json: boolean) {
  const { ok, setAside, destinations } = await service.rebuild();
  if (json) io.json({ ok, setAside, destinations });
  else {
    for (const a of setAside) io.err(`Moved the old catalog aside: ${a}`);
    for (const r of destinations) {
      io.err(r.error ? `  ${r.destination}: NOT READ: ${r.error}` : `  ${r.destination}: ${r.copies} copies`);
    }
    io.err(
      ok
        ? 'Catalog rebuilt from the destinations. The next run copies only what they lack.'
        : 'Catalog rebuilt from the destinations that could be read; run `lifeboat catalog rebuild` again once the others are back (it sets this catalog aside too), or let the next run adopt them.',
    );
  }
  return ok ? 0 : 1;
}
