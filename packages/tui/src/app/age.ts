import { UsageError } from '@lifeboat/core';

/** "26h", "90m", "2d", "3600s" -> ms. */
export function parseAge(text: string, option = '--max-age'): number {
  const match = /^(\d+(?:\.\d+)?)\s*([smhd])$/i.exec(text.trim());
  if (!match) {
    throw new UsageError(`${option} "${text}" is not a duration`, { hint: 'Write it like 26h, 90m, 2d or 3600s' });
  }
  const unit = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 }[match[2]!.toLowerCase() as 's' | 'm' | 'h' | 'd'];
  return Number(match[1]) * unit;
}
