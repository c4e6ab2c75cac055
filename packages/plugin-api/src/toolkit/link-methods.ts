import type { Destination } from '../api/destination.js';

export type LinkMethods = Pick<Destination, 'link' | 'unlink' | 'listLinks'>;

/**
 * For a destination that wraps another (key checks, retries, identity checks): the inner destination's optional
 * album-view methods (API 1.3), each run through `around`, or none when the inner one lacks any of them, so the
 * wrapper offers exactly what the plugin does. Assign the result to the wrapper (`Object.assign(this, ...)`).
 */
export function linkMethods(
  inner: Destination,
  around: <T>(keys: string[], call: () => Promise<T>) => Promise<T> = (_keys, call) => call(),
): LinkMethods {
  const { link, unlink, listLinks } = inner;
  if (!link || !unlink || !listLinks) return {};
  return {
    link: (targetKey, linkKey) => around([targetKey, linkKey], () => link.call(inner, targetKey, linkKey)),
    unlink: (linkKey) => around([linkKey], () => unlink.call(inner, linkKey)),
    listLinks: (prefix) => listLinks.call(inner, prefix),
  };
}
