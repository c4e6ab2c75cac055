import { existsSync, statSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import { type ConfigStore, type Destination, type RebuildSummary, rebuildIndex, UsageError } from '@lifeboat/core';
import { rememberMarkerId } from '../state/instances.js';
import { inject, injectable } from './di.js';
import { Plugins } from './plugins.js';
import { TOKENS } from './tokens.js';

/** `lifeboat index rebuild <path|destination>`: a destination's index and marker, rebuilt from its files. */
@injectable()
export class IndexRebuildService {
  constructor(
    @inject(TOKENS.config) private readonly config: ConfigStore,
    @inject(Plugins) private readonly plugins: Plugins,
  ) {}

  async rebuild(target: string, onFile?: (key: string) => void): Promise<RebuildSummary> {
    const { name, destination } = await this.open(target);
    try {
      const summary = await rebuildIndex(destination, { name, now: new Date(), ...(onFile ? { onFile } : {}) });
      if (summary.marker.state === 'written') this.adoptRebuilt(target, summary.marker.id);
      return summary;
    } finally {
      await destination.close?.();
    }
  }

  /** A configured destination by name, or a backup folder by its path (a drive alone, on any machine). */
  private async open(target: string): Promise<{ name: string; destination: Destination }> {
    const configured = this.config.read().destinations[target];
    const signal = new AbortController().signal;
    if (configured) {
      // No identity check: a lost or damaged marker is what this command is for.
      const { markerId: _, ...unchecked } = configured;
      return { name: target, destination: await this.plugins.open('destination', target, unchecked, signal) };
    }
    if (existsSync(target) && statSync(target).isDirectory()) {
      const path = resolve(target);
      const ctx = await this.plugins.context('destination', 'rebuild', 'disk', signal);
      const destination = await this.plugins.create('destination', path, { type: 'disk', settings: { path } }, ctx);
      return { name: basename(path), destination };
    }
    throw new UsageError(`"${target}" is neither a configured destination nor a folder`, {
      hint: 'Give the path of the backup folder (the one holding .lifeboat/) or a name from `lifeboat destination list`',
    });
  }

  /** The destinations configured at the rebuilt location take its new marker: the user pointed at this backup. */
  private adoptRebuilt(target: string, markerId: string): void {
    const path = existsSync(target) ? resolve(target) : undefined;
    for (const [name, d] of Object.entries(this.config.read().destinations)) {
      if (name === target || (path !== undefined && d.type === 'disk' && d.settings.path === path)) {
        rememberMarkerId(this.config, name, markerId, true);
      }
    }
  }
}
