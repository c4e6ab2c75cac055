/** Opaque sync tokens naming a position in a zone's change feed, plus the epoch that can invalidate them all. */
import type { ChangePosition, Library } from './library.js';

export function encodeToken(library: Library, position: ChangePosition): string {
  const text = `sim1:${library.tokenEpoch}:${position.full ? 'f' : 'd'}:${position.seq}:${position.index}`;
  return `AQ${Buffer.from(text).toString('base64')}`;
}

/** The position a token names, 'expired' for tokens of an older epoch, undefined when malformed. */
export function decodeToken(library: Library, token: string): ChangePosition | 'expired' | undefined {
  if (!token.startsWith('AQ')) return undefined;
  const parts = Buffer.from(token.slice(2), 'base64').toString('utf8').split(':');
  if (parts.length !== 5 || parts[0] !== 'sim1') return undefined;
  const [, epoch, phase, seq, index] = parts;
  if (Number(epoch) !== library.tokenEpoch) return 'expired';
  const position = { full: phase === 'f', seq: Number(seq), index: Number(index) };
  if (!Number.isInteger(position.seq) || !Number.isInteger(position.index) || position.seq > library.seq)
    return 'expired';
  return position;
}

export const currentToken = (library: Library): string => encodeToken(library, library.currentPosition());
