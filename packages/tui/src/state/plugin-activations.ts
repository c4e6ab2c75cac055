import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ActivationRecord } from '@lifeboat/core';
import { makeDirsSync } from '@lifeboat/core';

type Failures = Record<string, { version: string; error: string; at: string }>;

/**
 * The last activation failure of each plugin, in `plugin-activations.json` beside the installed plugins, so
 * `lifeboat plugins` can show it (plugins activate lazily, in whichever command first uses them).
 */
export function fileActivationRecord(dir: string): ActivationRecord {
  const file = join(dir, 'plugin-activations.json');
  const read = (): Failures => {
    try {
      const parsed = JSON.parse(readFileSync(file, 'utf8')) as unknown;
      return parsed && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as Failures) : {};
    } catch {
      return {};
    }
  };
  return {
    get(pluginId, version) {
      const failure = read()[pluginId];
      return failure && failure.version === version ? { error: failure.error, at: failure.at } : undefined;
    },
    set(pluginId, version, error) {
      const all = read();
      if (error === undefined && !all[pluginId]) return; // the usual case: nothing to write
      if (error === undefined) delete all[pluginId];
      else all[pluginId] = { version, error, at: new Date().toISOString() };
      makeDirsSync(dir);
      writeFileSync(file, `${JSON.stringify(all, null, 2)}\n`);
    },
  };
}
