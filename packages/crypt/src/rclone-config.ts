import type { CryptSettings } from './cipher.js';
import { DEFAULT_NAME_OPTIONS } from './names.js';
import { obscure } from './obscure.js';

/** One `[name]` section of rclone.conf. */
export interface RcloneConfigSection {
  readonly name: string;
  readonly options: Readonly<Record<string, string>>;
}

/**
 * The options of a `type = crypt` remote over `remote` (e.g. `mys3:bucket/path` or a local folder), passwords
 * obscured as rclone.conf requires. Options left at rclone's defaults are written anyway, so the section says
 * plainly how the files were made.
 */
export function cryptRemoteOptions(remote: string, settings: CryptSettings): Record<string, string> {
  const names = { ...DEFAULT_NAME_OPTIONS, ...settings };
  const options: Record<string, string> = {
    type: 'crypt',
    remote,
    filename_encryption: names.filenameEncryption,
    directory_name_encryption: String(names.directoryNameEncryption),
    filename_encoding: names.filenameEncoding,
  };
  if (names.filenameEncryption === 'off') options.suffix = names.suffix === '' ? 'none' : names.suffix;
  options.password = obscure(settings.password);
  if (settings.password2) options.password2 = obscure(settings.password2);
  return options;
}

/** rclone.conf text for the sections, in order. */
export function renderRcloneConfig(sections: readonly RcloneConfigSection[]): string {
  return sections
    .map(({ name, options }) => {
      const lines = Object.entries(options).map(([key, value]) => {
        if (/[\r\n]/.test(value)) throw new Error(`rclone.conf cannot hold a line break (option ${key} of [${name}])`);
        return `${key} = ${value}`;
      });
      return [`[${name}]`, ...lines].join('\n');
    })
    .join('\n\n')
    .concat('\n');
}
