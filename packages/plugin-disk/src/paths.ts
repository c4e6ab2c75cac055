import { homedir } from 'node:os';
import { isAbsolute, resolve, sep } from 'node:path';

/** Turns a user-typed path into an absolute one: `~` and `~/x` mean the home folder (as in a shell). */
export function resolveUserPath(path: string): string {
  if (path === '~') return homedir();
  if (path.startsWith('~/') || path.startsWith(`~${sep}`)) return resolve(homedir(), path.slice(2));
  return isAbsolute(path) ? resolve(path) : resolve(process.cwd(), path);
}
