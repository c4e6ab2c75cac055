import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AssetState, Library } from '@lifeboat/icloud-sim';
import { contentBytes, type Simulator } from '@lifeboat/icloud-sim';
import type { Asset, ResourceHandle, Source } from '@lifeboat/plugin-api';
import { createIcloudSourceFactory } from '../factory.js';
import type { FetchLike } from '../http/client.js';
import type { IcloudSource } from '../icloud-source.js';
import { instanceContext, type MapSecrets, scriptedPrompts } from './context.js';

export const BACKED_UP_FIELDS = ['resOriginalRes', 'resOriginalAltRes', 'resOriginalVidComplRes', 'resJPEGFullRes'];

/** Signs in to the simulator (password + code) and creates a source over a fresh storage dir. */
export async function signedInSource(
  sim: Simulator,
  extra: Record<string, unknown> = {},
  options: { storageDir?: string; secrets?: MapSecrets; fast?: boolean; fetch?: FetchLike } = {},
) {
  const storageDir = options.storageDir ?? (await mkdtemp(join(tmpdir(), 'icloud-src-')));
  const factory = createIcloudSourceFactory({
    storageDir,
    ...(options.fast !== false ? { retry: { attempts: 6, baseDelayMs: 5, maxDelayMs: 20 } } : {}),
    ...(options.fetch ? { fetch: options.fetch } : {}),
  });
  const ctx = instanceContext(options.secrets);
  const settings = { appleId: sim.account.appleId, authUrl: sim.authUrl, setupUrl: sim.setupUrl, ...extra };
  if (!ctx.secrets.map.has('session')) {
    await factory.login!(
      settings,
      ctx,
      scriptedPrompts({ password: sim.account.password, codes: [{ code: sim.account.code }] }),
    );
  }
  const source = (await factory.create(settings, ctx)) as IcloudSource;
  return {
    source,
    ctx,
    storageDir,
    settings,
    factory,
    cleanup: async () => {
      await source.close();
      if (!options.storageDir) await rm(storageDir, { recursive: true, force: true });
    },
  };
}

export async function listAll(source: Source): Promise<Asset[]> {
  const out: Asset[] = [];
  for await (const a of source.list({ signal: new AbortController().signal })) out.push(a);
  return out;
}

export function handleOf(asset: Asset, kind: string): ResourceHandle {
  const r = asset.resources.find((x) => x.kind === kind);
  if (!r) throw new Error(`${asset.id} has no ${kind}`);
  return {
    assetId: asset.id,
    kind: r.kind,
    version: r.version,
    fileName: r.fileName,
    size: r.size,
    locator: r.locator!,
  };
}

export async function readAll(body: AsyncIterable<Uint8Array>): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of body) chunks.push(Buffer.from(c));
  return Buffer.concat(chunks);
}

/** The simulator's asset states that a default listing (hidden included, deleted not) must yield. */
export function expectedStates(
  library: Library,
  include: { hidden?: boolean; recentlyDeleted?: boolean } = {},
): AssetState[] {
  const out: AssetState[] = [];
  for (let i = 0; i < library.size; i++) {
    const s = library.state(i);
    if (s.isExpunged) continue;
    if (s.isDeleted && include.recentlyDeleted === false) continue; // listed by default, like the plugin
    if (!s.isDeleted && s.isHidden && include.hidden === false) continue;
    out.push(s);
  }
  return out;
}

export function simBytes(library: Library, state: AssetState, field: string): Buffer {
  const spec = library.content(state, field as never);
  if (!spec) throw new Error(`no ${field}`);
  return contentBytes(spec);
}
