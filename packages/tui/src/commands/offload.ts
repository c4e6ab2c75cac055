import { KEEP_REASONS, type KeepReason } from '@lifeboat/core';
import type { OffloadService } from '../app/offload.js';
import { offloadSpec } from '../app/offload-spec.js';
import { formatBytes } from '../output/format.js';
import type { Io } from '../output/io.js';

export interface OffloadArgs {
  olderThan?: string;
  keepFavorites?: boolean;
  keepAlbum: string[];
  max?: string;
  verifiedWithin: string;
  minCopies?: string;
  yes?: boolean;
  json?: boolean;
}

const REASON_LABEL: Record<KeepReason, string> = {
  'too-recent': 'too recent (--older-than)',
  favorite: 'favourite (--keep-favorites)',
  'kept-album': 'in a kept album (--keep-album)',
  'in-source-trash': 'already in Recently Deleted',
  'resource-without-copy': 'a file (original, Live video, RAW, edit) without a copy',
  'not-321': 'copies do not satisfy 3-2-1 without iCloud',
  'never-verified': 'a copy never read back since it was written (run `lifeboat verify`)',
  'verified-too-long-ago': 'a copy not read back within --verified-within (run `lifeboat verify`)',
  'destination-unreachable': 'a destination holding the copies is unreachable',
};

/**
 * `offload <source>`: a dry run unless `--yes`. Prints what would move, the space freed and why the rest stays;
 * with `--yes` moves it to the source's trash (Recently Deleted) and exits non-zero if the run stopped early.
 */
export async function offload(service: OffloadService, io: Io, source: string, o: OffloadArgs): Promise<number> {
  const { rule, max } = offloadSpec({ ...o, keepAlbums: o.keepAlbum });
  const abort = new AbortController();
  const stop = () => abort.abort(new Error('stopped by the user'));
  process.once('SIGINT', stop);
  try {
    const yes = Boolean(o.yes);
    const result = await service.offload(
      { source, rule, yes, ...(max === undefined ? {} : { max }) },
      abort.signal,
      (moved, total) => !o.json && io.err(`Moved ${moved} of ${total} to Recently Deleted...`),
    );
    const { plan } = result;
    const ok = result.stopped === undefined;
    if (o.json) {
      io.json({
        ok,
        dryRun: !yes,
        source,
        wouldMove: plan.move.length,
        bytes: plan.bytes,
        moved: result.moved.length,
        keptByReason: plan.reasons,
        unreachable: result.unreachable,
        ...(result.stopped ? { stopped: result.stopped } : {}),
        assets: [...plan.move, ...plan.keep].map((d) => ({
          assetId: d.assetId,
          fileName: d.fileName,
          move: d.move,
          moved: result.moved.includes(d),
          bytes: d.bytes,
          reasons: d.reasons,
          vouchers: d.vouchers.map((v) => ({ destination: v.destination, kind: v.kind, key: v.key })),
        })),
      });
      return ok ? 0 : 1;
    }
    const head = yes
      ? `Moved ${result.moved.length} of ${plan.move.length} photos from ${source} to Recently Deleted`
      : `Dry run: would move ${plan.move.length} photos from ${source} to Recently Deleted`;
    io.out(`${head}, freeing ${formatBytes(yes ? sum(result.moved) : plan.bytes)}.`);
    io.out(`Kept: ${plan.keep.length} photos.`);
    for (const reason of KEEP_REASONS) {
      if (plan.reasons[reason] > 0) io.out(`  ${String(plan.reasons[reason]).padStart(6)}  ${REASON_LABEL[reason]}`);
    }
    for (const u of result.unreachable) io.err(`Destination ${u.name} is unreachable: ${u.reason}`);
    for (const n of result.notified) {
      const failed = n.outcomes.filter((x) => !x.ok);
      for (const f of failed) io.err(`Notification of plan "${n.plan}" to ${f.target} failed: ${f.detail}`);
    }
    if (result.stopped) {
      io.err(`STOPPED at ${result.stopped.assetId} (${result.stopped.reason}): ${result.stopped.message}`);
      io.err('Nothing further was moved. Fix the cause, then run the same command again.');
    }
    if (!yes && plan.move.length > 0) {
      io.out('Nothing was changed. Add --yes to move them; iCloud keeps them in Recently Deleted for 30 days.');
    }
    return ok ? 0 : 1;
  } finally {
    process.off('SIGINT', stop);
  }
}

const sum = (decisions: readonly { bytes: number }[]) => decisions.reduce((n, d) => n + d.bytes, 0);
