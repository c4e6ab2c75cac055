import { existsSync } from 'node:fs';
import { rename } from 'node:fs/promises';
import { adoptDestinationIndex, Catalog, type ConfigStore, describeError, requireMarker } from '@lifeboat/core';
import type { StatePaths } from '../state/paths.js';
import { inject, injectable } from './di.js';
import { Plugins } from './plugins.js';
import { TOKENS } from './tokens.js';

export interface CatalogRebuildResult {
  ok: boolean;
  /** Where the old catalog's files were moved. */
  setAside: string[];
  destinations: Array<{ destination: string; copies?: number; error?: string }>;
}

/**
 * `lifeboat catalog rebuild`: moves a damaged catalog aside (never deletes it) and builds a new one from each
 * configured destination's own index, so the next run copies nothing twice. Run history is not recovered.
 */
@injectable()
export class CatalogRebuildService {
  constructor(
    @inject(TOKENS.paths) private readonly paths: StatePaths,
    @inject(TOKENS.config) private readonly config: ConfigStore,
    @inject(Plugins) private readonly plugins: Plugins,
  ) {}

  async rebuild(): Promise<CatalogRebuildResult> {
    const file = this.paths.catalogFile;
    const stamp = new Date().toISOString().replace(/[-:.]/g, '');
    const setAside: string[] = [];
    for (const suffix of ['', '-wal', '-shm']) {
      if (!existsSync(`${file}${suffix}`)) continue;
      const target = `${file}.damaged-${stamp}${suffix}`;
      await rename(`${file}${suffix}`, target);
      setAside.push(target);
    }
    const catalog = Catalog.open(file);
    const signal = new AbortController().signal;
    const destinations: CatalogRebuildResult['destinations'] = [];
    try {
      for (const [name, config] of Object.entries(this.config.read().destinations)) {
        try {
          const destination = await this.plugins.open('destination', name, config, signal);
          try {
            await requireMarker(destination, name);
            destinations.push({ destination: name, copies: await adoptDestinationIndex(catalog, name, destination) });
          } finally {
            await destination.close?.();
          }
        } catch (error) {
          destinations.push({ destination: name, error: describeError(error) });
        }
      }
    } finally {
      catalog.close();
    }
    return { ok: destinations.every((r) => r.error === undefined), setAside, destinations };
  }
}
