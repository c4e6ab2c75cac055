import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import type { ContributionManifest, JsonSchema, Settings } from '../api/plugin.js';
import { ConfigError } from '../errors/index.js';

let shared: Ajv | undefined;
/** Made on first use, not at import: every CLI command imports this module, and most never check settings. */
function ajvInstance(): Ajv {
  if (!shared) {
    shared = new Ajv({ allErrors: true, useDefaults: true, coerceTypes: true, strict: false });
    // `format: "path"` marks settings the CLI makes absolute; any string is a valid path here.
    shared.addFormat('path', true);
  }
  return shared;
}

const compiled = new WeakMap<JsonSchema, ValidateFunction>();

function compile(schema: JsonSchema): ValidateFunction {
  let validate = compiled.get(schema);
  if (!validate) {
    // Ajv refuses a second schema with an $id it already holds, as a manifest read again brings: replace it.
    const ajv = ajvInstance();
    if (typeof schema.$id === 'string') ajv.removeSchema(schema.$id);
    validate = ajv.compile(schema);
    compiled.set(schema, validate);
  }
  return validate;
}

function describe(e: ErrorObject): string {
  const field =
    e.instancePath.replace(/^\//, '').replaceAll('/', '.') ||
    (e.params as { missingProperty?: string }).missingProperty ||
    '';
  if (e.keyword === 'required') return `missing setting "${(e.params as { missingProperty: string }).missingProperty}"`;
  if (e.keyword === 'additionalProperties')
    return `unknown setting "${(e.params as { additionalProperty: string }).additionalProperty}"`;
  if (e.keyword === 'enum')
    return `setting "${field}" ${e.message} (${(e.params as { allowedValues: unknown[] }).allowedValues.join(', ')})`;
  return `setting "${field}" ${e.message}`;
}

/**
 * Checks settings against the schema a plugin declared, filling defaults and turning command-line strings into
 * the declared types (`offsite=true` becomes a boolean). Returns a new object; the input is left untouched.
 */
export function validateSettings(
  kind: 'source' | 'destination',
  contribution: ContributionManifest,
  settings: Settings,
): Settings {
  const copy = structuredClone(settings);
  const validate = compile(contribution.settings);
  if (!validate(copy)) {
    const problems = (validate.errors ?? []).map(describe);
    const known = Object.keys((contribution.settings.properties as Record<string, unknown>) ?? {});
    throw new ConfigError(`Invalid settings for ${kind} type "${contribution.type}": ${problems.join('; ')}`, {
      hint: `Settings of "${contribution.type}": ${known.join(', ') || '(none)'}`,
    });
  }
  return copy;
}
