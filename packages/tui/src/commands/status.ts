import { splitEncryption, type VanishedRecord } from '@lifeboat/core';
import type { DependencyContainer } from 'tsyringe';
import { resolveCatalog, resolveConfig } from '../container.js';
import { formatBytes, table } from '../output/format.js';
import type { Io } from '../output/io.js';
import { planHealth, sourceHealth } from './health.js';
import { localTime } from './schedule-format.js';

/** `status`: what each destination holds, each plan's last runs, and what vanished from the sources. */
export async function showStatus(c: DependencyContainer, io: Io, json: boolean) {
  const config = resolveConfig(c).read();
  const catalog = resolveCatalog(c);
  const counts = catalog.copyCounts();
  const destinations = Object.keys(config.destinations).map((name) => {
    const n = counts.find((x) => x.destination === name);
    return {
      name,
      type: config.destinations[name]!.type,
      // Encrypted copies are readable only with the password (or rclone with it): say which ones are.
      encryption: splitEncryption(config.destinations[name]!.settings).encryption?.scheme ?? 'none',
      assets: n?.assets ?? 0,
      copies: n?.copies ?? 0,
      bytes: n?.bytes ?? 0,
    };
  });
  const plans = Object.entries(config.plans).map(([name, p]) => ({
    name,
    sources: p.sources,
    destinations: p.destinations,
    schedule: p.schedule ?? null,
    ...planHealth(c, name, p.schedule),
  }));
  // Sign-in health (iCloud: days since the last two-factor sign-in), for sources that report it.
  const sources = [];
  for (const [name, s] of Object.entries(config.sources)) {
    const health = await sourceHealth(c, config, name);
    if (health) sources.push({ name, type: s.type, ...health });
  }
  const gone = catalog.goneAssets();
  const offloaded = catalog.offloadTotals();
  const report = {
    destinations,
    plans,
    sources,
    goneFromSource: {
      count: gone.length,
      assets: gone.map((g) => ({
        source: g.source,
        assetId: g.assetId,
        fileName: g.fileName,
        firstMissingAt: g.firstMissingAt,
        lastSeenAt: g.lastSeenAt,
        inSourceTrash: g.inSourceTrash,
        ...(g.purgeAt ? { purgeAt: g.purgeAt } : {}),
      })),
    },
    offloaded,
  };
  if (json) {
    io.json(report);
    return 0;
  }
  io.out(
    table([
      ['DESTINATION', 'TYPE', 'ENCRYPTION', 'ASSETS', 'COPIES', 'SIZE'],
      ...destinations.map((d) => [
        d.name,
        d.type,
        d.encryption,
        String(d.assets),
        String(d.copies),
        formatBytes(d.bytes),
      ]),
    ]),
  );
  io.out('');
  for (const p of plans) {
    io.out(
      `Plan ${p.name}: last success ${p.lastSuccess ?? 'never'}${p.lastFailure ? `; last failure ${p.lastFailure.at}: ${p.lastFailure.reason}` : ''}`,
    );
    io.out(`  next run: ${p.nextRun ? `${localTime(new Date(p.nextRun))} (${p.schedule})` : 'not scheduled'}`);
    for (const l of p.needsLogin) io.out(`  needs login: run \`${l.command}\``);
  }
  for (const s of sources) {
    const age = s.daysSinceLogin === undefined ? '' : ` (${s.daysSinceLogin} days since the last two-factor sign-in)`;
    io.out(`Source ${s.name}: sign-in ${s.state}${age}${s.message ? `: ${s.message}` : ''}`);
  }
  for (const o of offloaded) {
    io.out(`Offloaded from ${o.source}: ${o.assets} photos (${formatBytes(o.bytes)}), kept safe on the destinations`);
  }
  if (gone.length > 0) {
    io.out('');
    io.out(`${gone.length} files are gone from their source; every copy of them is kept:`);
    for (const g of gone.slice(0, 20)) io.out(`  ${g.source}: ${g.fileName} (${goneState(g)})`);
    if (gone.length > 20) io.out(`  ... and ${gone.length - 20} more (use --json for all)`);
  }
  return 0;
}

/** Deleted but still in the source's trash (iCloud's Recently Deleted), or missing from it altogether. */
function goneState(g: VanishedRecord): string {
  if (!g.inSourceTrash) return `missing since ${g.firstMissingAt}`;
  const until = g.purgeAt ? ` until ${g.purgeAt.slice(0, 10)}` : '';
  return `deleted ${g.firstMissingAt}; in Recently Deleted at the source${until}`;
}
