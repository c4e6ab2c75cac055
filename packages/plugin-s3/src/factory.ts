import { ConfigError, type DestinationFactory, type InstanceContext, type Settings } from '@lifeboat/plugin-api';
import type { S3Credentials } from './client.js';
import { S3Destination } from './s3-destination.js';
import { s3Settings } from './settings.js';

/** The secrets the manifest declares; the CLI collects them with --secret into the keychain. */
export const SECRET_NAMES = ['accessKeyId', 'secretAccessKey'] as const;

/**
 * Creates the destination of one configured instance. The keys come only from the instance's scoped secrets,
 * never from settings or the environment (AWS_* variables, ~/.aws), so the keychain is the one place they live.
 */
export const S3DestinationFactory: DestinationFactory = {
  async create(settings: Settings, context: InstanceContext) {
    const credentials = await readCredentials(context);
    return new S3Destination({ settings: s3Settings(settings), credentials, logger: context.logger });
  },
};

export async function readCredentials(context: InstanceContext): Promise<S3Credentials> {
  return {
    accessKeyId: await secret(context, 'accessKeyId'),
    secretAccessKey: await secret(context, 'secretAccessKey'),
  };
}

async function secret(context: InstanceContext, name: string): Promise<string> {
  const value = (await context.secrets.get(name))?.trim();
  if (!value) {
    throw new ConfigError(`Destination "${context.name}" has no secret "${name}"`, {
      hint: `Give it with --secret ${name} (lifeboat destination add s3 ... --secret accessKeyId --secret secretAccessKey)`,
    });
  }
  return value;
}
