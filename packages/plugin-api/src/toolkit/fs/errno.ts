import { errorCode } from '../../errors/codes.js';

/**
 * A system error whose message names the file. `fh.write()` and friends report only `EIO: i/o error, write`;
 * the user needs to know which drive failed. The code is kept so core's classification still works.
 */
export function withPath(error: unknown, action: string, path: string): unknown {
  const code = errorCode(error);
  const systemError = code !== undefined && /^E[A-Z0-9]+$/.test(code);
  if (!(error instanceof Error) || !systemError || error.message.includes(path)) return error;
  return Object.assign(new Error(`Failed to ${action} ${path}: ${error.message}`, { cause: error }), { code });
}
