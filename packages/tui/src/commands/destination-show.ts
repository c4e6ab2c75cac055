import type { DestinationInfo } from '../app/destination-show.js';
import type { Io } from '../output/io.js';

/** `destination show <name>`: its type and settings, and whether its copies are encrypted. */
export function showDestination(info: DestinationInfo, io: Io, name: string, json: boolean) {
  const shown = info.show(name);
  const { encryption } = shown;
  if (json) io.json(shown);
  else {
    io.out(`${name} (${shown.type})`);
    for (const [key, value] of Object.entries(shown.settings)) io.out(`  ${key}: ${String(value)}`);
    io.out(
      encryption !== 'none'
        ? `  encryption: rclone-crypt (file names ${encryption.filenameEncryption}, folder names ` +
            `${encryption.directoryNameEncryption ? 'encrypted' : 'in the clear'}); see --rclone-config`
        : '  encryption: none',
    );
  }
  return 0;
}

/**
 * `destination show <name> --rclone-config`: the rclone.conf sections that read an encrypted destination without
 * Lifeboat, for a disaster-recovery sheet. The config goes to stdout, the warning to stderr, so `> rclone.conf`
 * keeps only the config.
 */
export async function showRcloneConfig(info: DestinationInfo, io: Io, name: string) {
  const { comments, config } = await info.rcloneConfig(name);
  io.err(
    'Warning: this config holds the encryption passwords. rclone only obscures them: anyone with this text and ' +
      'rclone can read the backup. Keep it as safe as the passwords themselves (printed, in a safe), never in a ' +
      'shared folder or a chat.',
  );
  for (const line of comments) io.out(`# ${line}`);
  io.out(config.trimEnd());
  return 0;
}
