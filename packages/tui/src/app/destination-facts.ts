import { statfsSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import {
  type ConfigStore,
  type DestinationDescription,
  describeError,
  encryptedCopiesText,
  evaluate321,
  type RuleDestination,
} from '@lifeboat/core';
import { inject, injectable } from './di.js';
import { Plugins } from './plugins.js';
import { TOKENS } from './tokens.js';

export interface FolderFacts {
  /** The folder, or the nearest existing folder above it (the one whose drive would hold it). */
  existing: string;
  freeBytes: number;
  /** On the same device as the system's root folder: a failing system disk would take the copy too. */
  sameDiskAsSystem: boolean;
}

/** Free space and drive of a folder that may not exist yet; undefined when nothing above it can be read. */
export function folderFacts(path: string): FolderFacts | undefined {
  let at = resolve(path);
  for (;;) {
    try {
      const st = statSync(at);
      const fs = statfsSync(at);
      return { existing: at, freeBytes: fs.bavail * fs.bsize, sameDiskAsSystem: st.dev === statSync('/').dev };
    } catch {
      const up = dirname(at);
      if (up === at) return undefined;
      at = up;
    }
  }
}

export type Described = { name: string; description?: DestinationDescription; error?: string };

/** What configured destinations are (medium, offsite, free space), as their plugins describe them. */
@injectable()
export class DestinationFacts {
  constructor(
    @inject(TOKENS.config) private readonly config: ConfigStore,
    @inject(Plugins) private readonly plugins: Plugins,
  ) {}

  /** Every configured destination, described, for the 3-2-1 meter. */
  describeAll(): Promise<Described[]> {
    return this.describe(Object.keys(this.config.read().destinations));
  }

  /** Describes the named destinations through their plugins; one that cannot be reached says why. */
  async describe(names: string[]): Promise<Described[]> {
    const config = this.config.read();
    await this.plugins.host();
    const out: Described[] = [];
    for (const name of names) {
      const cfg = config.destinations[name];
      if (!cfg) {
        out.push({ name, error: 'not configured' });
        continue;
      }
      try {
        const destination = await this.plugins.open('destination', name, cfg, new AbortController().signal);
        out.push({ name, description: await destination.describe() });
      } catch (error) {
        out.push({ name, error: describeError(error) });
      }
    }
    return out;
  }
}

export const ruleDestinations = (described: Described[]): RuleDestination[] =>
  described.flatMap((d) => (d.description ? [{ name: d.name, description: d.description }] : []));

/** The 3-2-1 evaluation of described destinations, in the lines `plan set` prints (the TUI shows the same). */
export function ruleLines(described: Described[]): string[] {
  const rule = evaluate321(ruleDestinations(described));
  return [
    `3-2-1: ${rule.ok ? 'met' : `not met (missing: ${rule.missing.join(', ')})`}`,
    ...(rule.encrypted.length > 0 ? [`  ${encryptedCopiesText(rule)}`] : []),
    ...rule.checks.map((check) => `  ${check.ok ? 'ok  ' : 'MISS'} ${check.explanation}`),
  ];
}
