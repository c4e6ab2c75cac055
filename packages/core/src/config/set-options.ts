import { ConfigError, type Settings } from '@lifeboat/plugin-api';

/** Parses repeated `--set key=value` options. */
export function parseSetOptions(pairs: string[]): Settings {
  const out: Settings = {};
  for (const pair of pairs) {
    const eq = pair.indexOf('=');
    const key = eq < 0 ? '' : pair.slice(0, eq).trim();
    if (key === '') {
      throw new ConfigError(`"--set ${pair}" is not of the form key=value`, { hint: 'Write it as --set key=value' });
    }
    out[key] = pair.slice(eq + 1);
  }
  return out;
}
