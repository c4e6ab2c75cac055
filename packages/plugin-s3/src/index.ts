/**
 * Lifeboat's S3 plugin: the `s3` destination (copies as plain objects in a bucket of any S3-compatible store).
 * Declared in package.json's `lifeboat` key; the host calls `activate` on first use.
 */
import type { PluginContext, PluginContributions } from '@lifeboat/plugin-api';
import { S3DestinationFactory } from './factory.js';

export function activate(_context: PluginContext): PluginContributions {
  return { destinations: { s3: S3DestinationFactory } };
}

export { classifyS3Error, type S3ErrorContext } from './classify-error.js';
export type { S3Credentials } from './client.js';
export { readCredentials, S3DestinationFactory, SECRET_NAMES } from './factory.js';
export { MAX_PARTS, partSizeFor, type UploadTuning } from './part-size.js';
export { S3Destination, type S3DestinationOptions } from './s3-destination.js';
export { defaultChecksumMode, type S3Settings, s3Settings } from './settings.js';
