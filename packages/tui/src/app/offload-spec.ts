import { checkMinCopies, type OffloadRule, type PlanConfig, UsageError } from '@lifeboat/core';
import { parseAge } from './age.js';

/** The rule of an offload and its cap, as `lifeboat offload` takes them and a plan's `offload` keeps them. */
export interface OffloadSpec {
  rule: Omit<OffloadRule, 'now'>;
  max?: number;
}

export interface OffloadOptions {
  olderThan?: string;
  keepFavorites?: boolean;
  keepAlbums: string[];
  verifiedWithin?: string;
  minCopies?: string;
  max?: string;
}

const DEFAULT_VERIFIED_WITHIN = '7d';

function wholeNumber(text: string | undefined, option: string): number | undefined {
  if (text === undefined) return undefined;
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1) {
    throw new UsageError(`${option} ${text} is not a whole number above 0`, { hint: `For example ${option} 100` });
  }
  return n;
}

/** One rule for the command line and the daemon, so an unattended offload can never be looser than `offload`. */
export function offloadSpec(o: OffloadOptions, prefix = '--'): OffloadSpec {
  let minCopies: number;
  try {
    minCopies = checkMinCopies(o.minCopies === undefined ? undefined : Number(o.minCopies));
  } catch (error) {
    throw new UsageError((error as Error).message.replace('--min-copies', `${prefix}min-copies`), {
      hint: `Use ${prefix}min-copies 2 or more (3 is the default).`,
    });
  }
  const max = wholeNumber(o.max, `${prefix}max`);
  return {
    rule: {
      keepFavorites: Boolean(o.keepFavorites),
      keepAlbums: o.keepAlbums,
      verifiedWithinMs: parseAge(o.verifiedWithin ?? DEFAULT_VERIFIED_WITHIN, `${prefix}verified-within`),
      minCopies,
      ...(o.olderThan === undefined ? {} : { olderThanMs: parseAge(o.olderThan, `${prefix}older-than`) }),
    },
    ...(max === undefined ? {} : { max }),
  };
}

const KEYS = ['older-than', 'keep-favorites', 'keep-album', 'verified-within', 'min-copies', 'max'] as const;

/**
 * A plan's offload rule, written as `offload`'s options without dashes, comma-separated:
 * `older-than=365d,keep-favorites,keep-album=Family,verified-within=7d,min-copies=3,max=200`.
 */
export function parseOffloadRule(text: string): OffloadSpec {
  const o: OffloadOptions = { keepAlbums: [] };
  for (const part of text
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean)) {
    const eq = part.indexOf('=');
    const key = (eq < 0 ? part : part.slice(0, eq)).trim();
    const value = eq < 0 ? undefined : part.slice(eq + 1).trim();
    if (!(KEYS as readonly string[]).includes(key) || (key === 'keep-favorites') !== (value === undefined)) {
      throw new UsageError(`--offload: "${part}" is not part of an offload rule`, {
        hint: `Write ${KEYS.join(', ')} as key=value (keep-favorites alone), comma-separated, e.g. "older-than=365d,keep-favorites"`,
      });
    }
    if (key === 'keep-favorites') o.keepFavorites = true;
    else if (key === 'keep-album') o.keepAlbums.push(value!);
    else if (key === 'older-than') o.olderThan = value!;
    else if (key === 'verified-within') o.verifiedWithin = value!;
    else if (key === 'min-copies') o.minCopies = value!;
    else o.max = value!;
  }
  return offloadSpec(o, '');
}

/**
 * `plan set --offload <rule|off> [--offload-move on|off]`: the daemon offloads the plan's sources after each ok
 * run; a dry run (logged) unless the move was turned on explicitly. Returns what changed, in words.
 */
export function setPlanOffload(plan: PlanConfig, rule: string | undefined, move: string | undefined): string {
  if (rule?.trim().toLowerCase() === 'off') {
    delete plan.offload;
    return 'no offload';
  }
  const text = rule?.trim() ?? plan.offload?.rule;
  if (text === undefined)
    throw new UsageError('--offload-move needs an offload rule', { hint: 'Add --offload <rule>' });
  parseOffloadRule(text);
  let moves = plan.offload?.move === true;
  if (move !== undefined) {
    const value = move.trim().toLowerCase();
    if (value !== 'on' && value !== 'off') {
      throw new UsageError(`--offload-move takes "on" or "off", not "${move}"`, {
        hint: 'on: the daemon moves what the rule allows; off: it only logs what it would move',
      });
    }
    moves = value === 'on';
  }
  plan.offload = { rule: text, ...(moves ? { move: true } : {}) };
  return moves
    ? `offload after each ok run: MOVES photos by the rule "${text}" (after reading back a copy of each)`
    : `offload after each ok run: dry run only, logged (rule "${text}"; turn moving on with --offload-move on)`;
}
