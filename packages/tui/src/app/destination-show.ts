import {
  ConfigError,
  type ConfigStore,
  cryptRemoteOptions,
  ENCRYPTION_PASSWORD,
  ENCRYPTION_PASSWORD2,
  type InstanceConfig,
  renderRcloneConfig,
  splitEncryption,
  UsageError,
} from '@lifeboat/core';
import { inject, injectable } from './di.js';
import { Plugins } from './plugins.js';
import { TOKENS } from './tokens.js';

/** A configured destination as `destination show` tells it. */
export interface DestinationShown {
  name: string;
  type: string;
  settings: Record<string, unknown>;
  encryption: NonNullable<ReturnType<typeof splitEncryption>['encryption']> | 'none';
}

/** What a destination is, and how to read an encrypted one without Lifeboat. */
@injectable()
export class DestinationInfo {
  constructor(
    @inject(TOKENS.config) private readonly config: ConfigStore,
    @inject(Plugins) private readonly plugins: Plugins,
  ) {}

  /** Its type and settings, and whether its copies are encrypted. */
  show(name: string): DestinationShown {
    const cfg = this.configured(name);
    const { plugin, encryption } = splitEncryption(cfg.settings);
    return { name, type: cfg.type, settings: plugin, encryption: encryption ?? 'none' };
  }

  /**
   * The rclone.conf sections that read an encrypted destination without Lifeboat (a crypt remote over the right
   * backend), with the comments that go above them; it holds the encryption passwords.
   */
  async rcloneConfig(name: string): Promise<{ comments: string[]; config: string }> {
    const cfg = this.configured(name);
    const { plugin, encryption } = splitEncryption(cfg.settings);
    if (!encryption) {
      throw new UsageError(`Destination "${name}" is not encrypted`, {
        hint: 'rclone (or any file tool) reads its copies as they are; no crypt remote is needed',
      });
    }
    const backend = backendSection(name, cfg.type, plugin);
    const { secrets } = await this.plugins.context('destination', name, cfg.type, new AbortController().signal);
    const password = await secrets.get(ENCRYPTION_PASSWORD);
    if (!password) {
      throw new ConfigError(`Destination "${name}" has no ${ENCRYPTION_PASSWORD} in the keychain`, {
        hint: `Remove and add the destination again with --secret ${ENCRYPTION_PASSWORD}, using the same password`,
      });
    }
    const password2 = (await secrets.get(ENCRYPTION_PASSWORD2)) ?? '';
    const crypt = cryptRemoteOptions(backend.cryptRemote, {
      password,
      password2,
      filenameEncryption: encryption.filenameEncryption,
      directoryNameEncryption: encryption.directoryNameEncryption,
    });
    return { comments: backend.comments, config: renderRcloneConfig([...backend.sections, { name, options: crypt }]) };
  }

  private configured(name: string): InstanceConfig {
    const cfg = this.config.read().destinations[name];
    if (!cfg)
      throw new ConfigError(`Destination "${name}" is not configured`, { hint: 'See `lifeboat destination list`' });
    return cfg;
  }
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
