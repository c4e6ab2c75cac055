/** Helpers for Node's system errors (`err.code` such as `ENOENT`), which carry no type of their own. */

export function errnoCode(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' ? code : undefined;
}

export function hasCode(error: unknown, ...codes: string[]): boolean {
  const code = errnoCode(error);
  return code !== undefined && codes.includes(code);
}

/**
 * A system error whose message names the file. `fh.write()` and friends report only `EIO: i/o error, write`;
 * the user needs to know which drive failed. The code is kept so core's classification still works.
 */
export function withPath(error: unknown, action: string, path: string): unknown {
  const code = errnoCode(error);
  const systemError = code !== undefined && /^E[A-Z0-9]+$/.test(code);
  if (!(error instanceof Error) || !systemError || error.message.includes(path)) return error;
  return Object.assign(new Error(`Failed to ${action} ${path}: ${error.message}`, { cause: error }), { code });
}
