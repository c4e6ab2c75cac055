import {
  ConfigError,
  type ContributionManifest,
  type Destination,
  type DestinationDescription,
  type Settings,
} from '@lifeboat/plugin-api';

/**
 * `sidecars` is a setting of every destination type, added by the host like encryption: the plugin never sees it,
 * and the destination's description tells core (`DestinationDescription.sidecars`).
 */
export type SidecarMode = 'xmp' | 'none';

const PROPERTY = {
  sidecars: {
    type: 'string',
    enum: ['xmp', 'none'],
    description:
      'xmp: an XMP sidecar beside each copy (<file name>.xmp) with its capture date, favourite, title, caption, ' +
      'keywords, albums and place, for photo applications to read; none: no sidecars. Default xmp.',
  },
} as const;

/** A destination type's manifest entry with the `sidecars` setting added to its schema. */
export function withSidecarSetting(contribution: ContributionManifest): ContributionManifest {
  const schema = contribution.settings;
  const properties = (schema.properties ?? {}) as Record<string, unknown>;
  if ('sidecars' in properties) return contribution; // the plugin's own meaning wins
  return { ...contribution, settings: { ...schema, properties: { ...properties, ...PROPERTY } } };
}

/** The settings for the plugin (`sidecars` taken out) and the sidecar mode. */
export function splitSidecars(settings: Settings): { plugin: Settings; sidecars: SidecarMode } {
  const { sidecars, ...plugin } = settings;
  if (sidecars === undefined || sidecars === 'xmp') return { plugin, sidecars: 'xmp' };
  if (sidecars === 'none') return { plugin, sidecars: 'none' };
  throw new ConfigError(`The setting sidecars is ${JSON.stringify(sidecars)}; it must be xmp or none`, {
    hint: 'Fix it with `lifeboat destination set <name> --set sidecars=xmp` (or none)',
  });
}

/** The destination, describing its sidecar mode: every other call goes straight through. */
export function withSidecarMode(destination: Destination, sidecars: SidecarMode): Destination {
  return new Proxy(destination, {
    get(target, property) {
      if (property === 'describe') {
        return async (): Promise<DestinationDescription> => ({ ...(await target.describe()), sidecars });
      }
      const value = Reflect.get(target, property, target) as unknown;
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });
}
