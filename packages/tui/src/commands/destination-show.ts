import {
  ConfigError,
  cryptRemoteOptions,
  ENCRYPTION_PASSWORD,
  ENCRYPTION_PASSWORD2,
  type InstanceConfig,
  renderRcloneConfig,
  splitEncryption,
  UsageError,
} from '@lifeboat/core';
import type { DependencyContainer } from 'tsyringe';
import { contextFor, resolveConfig } from '../container.js';
import type { Io } from '../output/io.js';

/** `destination show <name>`: its type and settings, and whether its copies are encrypted. */
export async function showDestination(c: DependencyContainer, io: Io, name: string, json: boolean) {
  const cfg = configured(c, name);
  const { plugin, encryption } = splitEncryption(cfg.settings);
  const shown = { name, type: cfg.type, settings: plugin, encryption: encryption ?? 'none' };
  if (json) io.json(shown);
  else {
    io.out(`${name} (${cfg.type})`);
    for (const [key, value] of Object.entries(plugin)) io.out(`  ${key}: ${String(value)}`);
    io.out(
      encryption
        ? `  encryption: rclone-crypt (file names ${encryption.filenameEncryption}, folder names ` +
            `${encryption.directoryNameEncryption ? 'encrypted' : 'in the clear'}); see --rclone-config`
        : '  encryption: none',
    );
  }
  return 0;
}

/**
 * `destination show <name> --rclone-config`: the rclone.conf sections that read an encrypted destination without
 * Lifeboat (a crypt remote over the right backend), for a disaster-recovery sheet. The config goes to stdout, the
 * warning to stderr, so `> rclone.conf` keeps only the config.
 */
export async function showRcloneConfig(c: DependencyContainer, io: Io, name: string) {
  const cfg = configured(c, name);
  const { plugin, encryption } = splitEncryption(cfg.settings);
  if (!encryption) {
    throw new UsageError(`Destination "${name}" is not encrypted`, {
      hint: 'rclone (or any file tool) reads its copies as they are; no crypt remote is needed',
    });
  }
  const backend = backendSection(name, cfg.type, plugin);
  const secrets = (await contextFor(c, 'destination', name, cfg.type, new AbortController().signal)).secrets;
  const password = await secrets.get(ENCRYPTION_PASSWORD);
  if (!password) {
    throw new ConfigError(`Destination "${name}" has no ${ENCRYPTION_PASSWORD} in the keychain`, {
      hint: `Remove and add the destination again with --secret ${ENCRYPTION_PASSWORD}, using the same password`,
    });
  }
  const password2 = (await secrets.get(ENCRYPTION_PASSWORD2)) ?? '';
  io.err(
    'Warning: this config holds the encryption passwords. rclone only obscures them: anyone with this text and ' +
      'rclone can read the backup. Keep it as safe as the passwords themselves (printed, in a safe), never in a ' +
      'shared folder or a chat.',
  );
  for (const line of backend.comments) io.out(`# ${line}`);
  const crypt = cryptRemoteOptions(backend.cryptRemote, {
    password,
    password2,
    filenameEncryption: encryption.filenameEncryption,
    directoryNameEncryption: encryption.directoryNameEncryption,
  });
  io.out(renderRcloneConfig([...backend.sections, { name, options: crypt }]).trimEnd());
  return 0;
}

function configured(c: DependencyContainer, name: string): InstanceConfig {
  const cfg = resolveConfig(c).read().destinations[name];
  if (!cfg)
    throw new ConfigError(`Destination "${name}" is not configured`, { hint: 'See `lifeboat destination list`' });
  return cfg;
}

/** Where rclone finds the encrypted files: a folder path, or an S3 remote of its own. */
function backendSection(name: string, type: string, settings: Record<string, unknown>) {
  if (type === 'disk') {
    return { comments: [], sections: [], cryptRemote: String(settings.path) };
  }
  if (type === 's3') {
    const options: Record<string, string> = {
      type: 's3',
      provider: settings.endpoint ? 'Other' : 'AWS',
      env_auth: 'true',
      region: String(settings.region ?? 'us-east-1'),
    };
    if (settings.endpoint) options.endpoint = String(settings.endpoint);
    options.force_path_style = String(settings.forcePathStyle === true);
    const prefix = String(settings.prefix ?? '').replace(/^\/+|\/+$/g, '');
    return {
      // The bucket's access keys are not printed: new ones can be made at the provider, a lost password cannot.
      comments: [
        `The bucket's access keys: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY before running rclone,`,
        `or add access_key_id and secret_access_key lines to [${name}-s3].`,
      ],
      sections: [{ name: `${name}-s3`, options }],
      cryptRemote: `${name}-s3:${settings.bucket}${prefix ? `/${prefix}` : ''}`,
    };
  }
  throw new UsageError(`Lifeboat cannot write an rclone config for "${type}" destinations`, {
    hint: `Define an rclone remote for the destination's location yourself and use it as the crypt remote's remote`,
  });
}
