import { realpathSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { isAbsolute, join, relative, resolve } from 'node:path';
import { Ajv, type ValidateFunction } from 'ajv';
import semver from 'semver';
import { PLUGIN_API_VERSION, type PluginManifest } from '../api/plugin.js';
import { PluginError } from '../errors/index.js';

const contribution = {
  type: 'object',
  required: ['type', 'title', 'settings'],
  properties: {
    type: { type: 'string', pattern: '^[a-z][a-z0-9-]*$' },
    title: { type: 'string' },
    description: { type: 'string' },
    settings: { type: 'object' },
    secrets: { type: 'array', items: { type: 'string' } },
  },
};

const MANIFEST_SCHEMA = {
  type: 'object',
  required: ['id', 'displayName', 'apiVersion', 'main', 'contributes'],
  properties: {
    id: { type: 'string', pattern: '^[a-z][a-z0-9-]*$' },
    displayName: { type: 'string' },
    apiVersion: { type: 'string' },
    main: { type: 'string' },
    contributes: {
      type: 'object',
      properties: {
        sources: { type: 'array', items: contribution },
        destinations: { type: 'array', items: contribution },
      },
    },
  },
};

// Our own constant schema, covered by the manifest tests: checking it against JSON Schema's meta-schema would
// compile that meta-schema first, at every start of the CLI.
// Compiled on first use: most commands never read a plugin manifest.
let compiled: ValidateFunction | undefined;
const validator = (): ValidateFunction =>
  (compiled ??= new Ajv({ allErrors: true, strict: false, validateSchema: false }).compile(MANIFEST_SCHEMA));

export interface LoadedManifest {
  manifest: PluginManifest;
  packageName: string;
  version: string;
  dir: string;
}

/** Reads and checks a plugin's manifest from its package.json without importing any of its code. */
export async function readManifest(dir: string): Promise<LoadedManifest> {
  const file = join(dir, 'package.json');
  let pkg: { name?: string; version?: string; lifeboat?: unknown };
  try {
    pkg = JSON.parse(await readFile(file, 'utf8'));
  } catch (cause) {
    throw new PluginError(`Cannot read plugin package ${file}`, { cause, hint: 'Reinstall the plugin' });
  }
  const name = pkg.name ?? dir;
  if (!pkg.lifeboat) {
    throw new PluginError(`Package ${name} has no "lifeboat" manifest in its package.json`, {
      hint: 'A Lifeboat plugin declares itself under the "lifeboat" key (see docs/plugin-authoring.md)',
    });
  }
  const validate = validator();
  if (!validate(pkg.lifeboat)) {
    const e = validate.errors?.[0];
    const field = `lifeboat${(e?.instancePath ?? '').replaceAll('/', '.')}`;
    throw new PluginError(`Plugin ${name}: manifest field "${field}" ${e?.message ?? 'is invalid'}`, {
      hint: 'Fix the plugin package.json (see docs/plugin-authoring.md)',
    });
  }
  const manifest = pkg.lifeboat as unknown as PluginManifest;
  if (!semver.validRange(manifest.apiVersion) || !semver.satisfies(PLUGIN_API_VERSION, manifest.apiVersion)) {
    throw new PluginError(
      `Plugin ${manifest.id} (${name}): manifest field "lifeboat.apiVersion" asks for plugin API "${manifest.apiVersion}", but this Lifeboat provides ${PLUGIN_API_VERSION}`,
      { hint: `Install a version of the plugin whose lifeboat.apiVersion range includes ${PLUGIN_API_VERSION}` },
    );
  }
  requireMainInside(dir, manifest, name);
  return { manifest, packageName: name, version: pkg.version ?? '0.0.0', dir };
}

/**
 * The code the host imports must be the plugin's own: a `main` of `../x.js` or `/abs/x.js` (or a link leading out)
 * would run a file the plugin folder does not hold, which removing the plugin would not remove.
 */
function requireMainInside(dir: string, manifest: PluginManifest, name: string): void {
  const real = (path: string) => {
    try {
      return realpathSync(path);
    } catch {
      return resolve(path); // a missing file is reported on activation
    }
  };
  const root = real(dir);
  const rel = relative(root, real(resolve(dir, manifest.main)));
  if (rel === '' || rel.startsWith('..') || isAbsolute(rel)) {
    throw new PluginError(
      `Plugin ${manifest.id} (${name}): manifest field "lifeboat.main" (${manifest.main}) points outside the plugin folder`,
      { hint: 'The entry module must be a file inside the plugin package, e.g. "./dist/index.js"' },
    );
  }
}
