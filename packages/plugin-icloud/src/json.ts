/**
 * Tiny structural checks for JSON from Apple (or anyone pretending to be Apple). Every response is untrusted:
 * it is checked here before any field is used, and a shape we do not understand becomes a clear error rather
 * than a crash deep in the code.
 */

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };

export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function isString(value: unknown): value is string {
  return typeof value === 'string';
}

export function isFiniteNumber(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value);
}

/** Reads `obj[key]` when it is an object, else undefined. */
export function objectAt(obj: unknown, key: string): JsonObject | undefined {
  if (!isObject(obj)) return undefined;
  const v = obj[key];
  return isObject(v) ? v : undefined;
}

export function stringAt(obj: unknown, key: string): string | undefined {
  if (!isObject(obj)) return undefined;
  const v = obj[key];
  return typeof v === 'string' ? v : undefined;
}

export function numberAt(obj: unknown, key: string): number | undefined {
  if (!isObject(obj)) return undefined;
  const v = obj[key];
  return isFiniteNumber(v) ? v : undefined;
}

export function booleanAt(obj: unknown, key: string): boolean | undefined {
  if (!isObject(obj)) return undefined;
  const v = obj[key];
  return typeof v === 'boolean' ? v : undefined;
}

export function arrayAt(obj: unknown, key: string): Json[] | undefined {
  if (!isObject(obj)) return undefined;
  const v = obj[key];
  return Array.isArray(v) ? v : undefined;
}

/** Parses JSON text; undefined when it is not JSON (Apple answers some errors with HTML). */
export function parseJson(text: string): Json | undefined {
  if (text.trim() === '') return undefined;
  try {
    return JSON.parse(text) as Json;
  } catch {
    return undefined;
  }
}
