import { statfsSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { type DestinationDescription, describeError, type RuleDestination } from '@lifeboat/core';
import type { DependencyContainer } from 'tsyringe';
import { contextFor, pluginHost, resolveConfig } from '../container.js';
import { createInstance } from '../state/instances.js';

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

/** Describes configured destinations (medium, offsite, free space) through their plugins, for the 3-2-1 meter. */
export async function describeDestinations(c: DependencyContainer, names: string[]): Promise<Described[]> {
  const config = resolveConfig(c).read();
  const host = await pluginHost(c);
  const out: Described[] = [];
  for (const name of names) {
    const cfg = config.destinations[name];
    if (!cfg) {
      out.push({ name, error: 'not configured' });
      continue;
    }
    try {
      const ctx = await contextFor(c, 'destination', name, cfg.type, new AbortController().signal);
      const destination = await createInstance(host, 'destination', name, cfg, ctx);
      out.push({ name, description: await destination.describe() });
    } catch (error) {
      out.push({ name, error: describeError(error) });
    }
  }
  return out;
}

export const ruleDestinations = (described: Described[]): RuleDestination[] =>
  described.flatMap((d) => (d.description ? [{ name: d.name, description: d.description }] : []));
