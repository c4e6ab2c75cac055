import { resolve } from 'node:path';
import {
  type AssetKindFilter,
  type ConfigStore,
  PICK_INCLUDE_FLAGS,
  type PickEvent,
  type PickFilter,
  type PickInclude,
  type PickSummary,
  pickFromSource,
  type Source,
  UsageError,
} from '@lifeboat/core';
import picomatch from 'picomatch';
import { inject, injectable } from './di.js';
import { Plugins } from './plugins.js';
import { TOKENS } from './tokens.js';

/** The filters `restore --from <source>` takes, as typed. */
export interface PickRequest {
  from: string;
  to: string;
  since?: string;
  until?: string;
  match?: string;
  album?: string[];
  favorites?: boolean;
  kind?: string;
  include?: string;
  /** `xmp` (default) or `none`: the same words as a destination's `sidecars` setting. */
  sidecars?: string;
  dryRun?: boolean;
}

const KINDS: readonly AssetKindFilter[] = ['photo', 'video', 'live'];
const SIDECARS = ['xmp', 'none'] as const;

/** `--sidecars xmp|none` checked: a wrong word is a usage error, not a pick without sidecars. */
export function pickSidecars(text: string | undefined): (typeof SIDECARS)[number] {
  if (text === undefined) return 'xmp';
  if (!(SIDECARS as readonly string[]).includes(text)) {
    throw new UsageError(`--sidecars ${text}: not a sidecar mode`, {
      hint: 'Use --sidecars xmp (an XMP file beside each photo, the default) or --sidecars none',
    });
  }
  return text as (typeof SIDECARS)[number];
}

/** `--include liveVideos,raw` (or `none`, or `all`) as flags; unset means all of them, as the iCloud source's default. */
export function parseInclude(text: string | undefined): PickInclude {
  const all: PickInclude = { liveVideos: true, raw: true, edited: true };
  if (text === undefined || text.trim() === 'all') return all;
  const out: PickInclude = { liveVideos: false, raw: false, edited: false };
  if (text.trim() === 'none') return out;
  for (const flag of text.split(',').map((s) => s.trim())) {
    if (!(PICK_INCLUDE_FLAGS as readonly string[]).includes(flag)) {
      throw new UsageError(`--include ${text}: unknown flag "${flag}"`, {
        hint: `Use a comma-separated list of ${PICK_INCLUDE_FLAGS.join(', ')} (or none: originals only)`,
      });
    }
    out[flag as keyof PickInclude] = true;
  }
  return out;
}

/** The filters of a pick from what the command line says (checked: a wrong value is a usage error). */
export function pickFilter(request: Omit<PickRequest, 'from' | 'to'>): PickFilter {
  if (request.kind !== undefined && !KINDS.includes(request.kind as AssetKindFilter)) {
    throw new UsageError(`--kind ${request.kind} is not a kind of photo`, {
      hint: 'Use --kind photo (stills, Live Photos included), video, or live (Live Photos only)',
    });
  }
  const glob = request.match ? picomatch(request.match, { basename: true, nocase: true }) : undefined;
  return {
    ...(request.since ? { since: request.since } : {}),
    ...(request.until ? { until: request.until } : {}),
    ...(glob ? { match: (name: string) => glob(name) } : {}),
    ...(request.album && request.album.length > 0 ? { albums: request.album } : {}),
    ...(request.favorites ? { favorites: true } : {}),
    ...(request.kind ? { kind: request.kind as AssetKindFilter } : {}),
    include: parseInclude(request.include),
  };
}

/** Picking photos straight from a configured source (iCloud, a folder, any plugin's): no plan, no destination. */
@injectable()
export class PickService {
  constructor(
    @inject(TOKENS.config) private readonly config: ConfigStore,
    @inject(Plugins) private readonly plugins: Plugins,
  ) {}

  /** Names of the configured sources. */
  names(): string[] {
    return Object.keys(this.config.read().sources);
  }

  /** Whether `name` is a configured source (and not a destination, which a restore reads first). */
  isSource(name: string | undefined): name is string {
    if (!name) return false;
    const config = this.config.read();
    return Boolean(config.sources[name]) && !config.destinations[name];
  }

  /** Opens a configured source by name (with its stored sign-in; never prompts). */
  async open(name: string, signal: AbortSignal): Promise<Source> {
    const configured = this.config.read().sources[name];
    if (!configured) {
      throw new UsageError(`"${name}" is not a configured source`, {
        hint: 'Give a source name from `lifeboat source list`',
      });
    }
    return this.plugins.open('source', name, configured, signal);
  }

  async pick(
    request: PickRequest,
    options: { signal: AbortSignal; onEvent?: (e: PickEvent) => void; assetIds?: ReadonlySet<string> },
  ): Promise<PickSummary> {
    const filter = pickFilter(request);
    const sidecars = pickSidecars(request.sidecars);
    const source = await this.open(request.from, options.signal);
    try {
      return await pickFromSource({
        source,
        sourceName: request.from,
        to: resolve(request.to),
        filter,
        sidecars,
        dryRun: request.dryRun === true,
        signal: options.signal,
        ...(options.onEvent ? { onEvent: options.onEvent } : {}),
        ...(options.assetIds ? { assetIds: options.assetIds } : {}),
      });
    } finally {
      await source.close?.().catch(() => {});
    }
  }
}
