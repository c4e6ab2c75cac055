import type { InstanceContext, Logger } from '@lifeboat/plugin-api';
import { describe, expect, it } from 'vitest';
import { S3DestinationFactory } from './factory.js';
import { S3Destination } from './s3-destination.js';

const logger: Logger = { debug() {}, info() {}, warn() {}, error() {} };
function instance(secrets: Record<string, string>): InstanceContext {
  return {
    name: 'offsite',
    logger,
    signal: new AbortController().signal,
    secrets: {
      get: async (key) => secrets[key],
      set: async () => {},
      delete: async () => {},
    },
  };
}

describe('S3DestinationFactory', () => {
  it('builds a destination from settings and the two secrets', async () => {
    const destination = await S3DestinationFactory.create(
      { bucket: 'photos', endpoint: 'http://127.0.0.1:9000', prefix: 'lifeboat' },
      instance({ accessKeyId: 'AKID', secretAccessKey: 'SECRET' }),
    );
    expect(destination).toBeInstanceOf(S3Destination);
    expect(await destination.describe()).toEqual({
      location: 's3://photos/lifeboat/ at 127.0.0.1:9000',
      medium: 's3:127.0.0.1:9000/photos',
      mediumKind: 'cloud',
      offsite: true,
      layout: '{yyyy}/{mm}/{name}',
    });
    await destination.close?.();
  });

  it('describes an AWS bucket by its name, and honours medium and offsite', async () => {
    const destination = await S3DestinationFactory.create(
      { bucket: 'photos', medium: 'my-aws', offsite: false },
      instance({ accessKeyId: 'AKID', secretAccessKey: 'SECRET' }),
    );
    expect(await destination.describe()).toMatchObject({ location: 's3://photos/', medium: 'my-aws', offsite: false });
    const plain = await S3DestinationFactory.create(
      { bucket: 'photos' },
      instance({ accessKeyId: 'AKID', secretAccessKey: 'SECRET' }),
    );
    expect((await plain.describe()).medium).toBe('s3:aws/photos');
  });

  it.each(['accessKeyId', 'secretAccessKey'])('names a missing secret %s and how to give it', async (missing) => {
    const secrets: Record<string, string> = { accessKeyId: 'AKID', secretAccessKey: 'SECRET' };
    delete secrets[missing];
    const creating = S3DestinationFactory.create({ bucket: 'photos' }, instance(secrets));
    await expect(creating).rejects.toMatchObject({
      code: 'LIFEBOAT_CONFIG',
      message: expect.stringContaining(`"${missing}"`),
      hint: expect.stringContaining(`--secret ${missing}`),
    });
  });

  it('never takes keys from the environment', async () => {
    process.env.AWS_ACCESS_KEY_ID = 'FROM_ENV';
    process.env.AWS_SECRET_ACCESS_KEY = 'FROM_ENV';
    try {
      await expect(S3DestinationFactory.create({ bucket: 'photos' }, instance({}))).rejects.toMatchObject({
        code: 'LIFEBOAT_CONFIG',
      });
    } finally {
      delete process.env.AWS_ACCESS_KEY_ID;
      delete process.env.AWS_SECRET_ACCESS_KEY;
    }
  });
});
