/** What clients asked for and what bytes they got, so tests can prove what a client did NOT download. */

export interface CountersSnapshot {
  /** Requests per endpoint label, e.g. "auth signin/init", "ck private records/query", "download". */
  requests: Record<string, number>;
  /** Responses per "label status", e.g. "ck private records/query 503". */
  responses: Record<string, number>;
  /** Body bytes actually written per CPLAsset recordName, then per resource field (resOriginalRes, ...). */
  bytes: Record<string, Record<string, number>>;
  /** Download requests per asset, then per resource field. */
  downloads: Record<string, Record<string, number>>;
  totalBytes: number;
  totalDownloads: number;
  /**
   * Requests sent to a host before the Retry-After it gave had passed (the penalty rule of the pace profile),
   * in total and per host (`cloudkit`, `download`). A well-behaved client keeps this at 0.
   */
  retryAfterViolations: number;
  violationsByHost: Record<string, number>;
  /** 503s the pace profile sent (concurrency above the limits, penalties, sign-in bursts), per host. */
  paceRefusals: Record<string, number>;
  /** The most requests in flight at once, per host (`cloudkit`, `download`). */
  peakInFlight: Record<string, number>;
}

export class Counters {
  private requestsByLabel = new Map<string, number>();
  private responsesByLabel = new Map<string, number>();
  private bytesByAsset = new Map<string, Map<string, number>>();
  private downloadsByAsset = new Map<string, Map<string, number>>();
  totalBytes = 0;
  totalDownloads = 0;
  retryAfterViolations = 0;
  private violationsByHost = new Map<string, number>();
  private refusalsByHost = new Map<string, number>();
  private peaks = new Map<string, number>();

  violation(host: string): void {
    this.retryAfterViolations++;
    this.violationsByHost.set(host, (this.violationsByHost.get(host) ?? 0) + 1);
  }

  paceRefusal(host: string): void {
    this.refusalsByHost.set(host, (this.refusalsByHost.get(host) ?? 0) + 1);
  }

  inFlight(host: string, count: number): void {
    if (count > (this.peaks.get(host) ?? 0)) this.peaks.set(host, count);
  }

  request(label: string): void {
    this.requestsByLabel.set(label, (this.requestsByLabel.get(label) ?? 0) + 1);
  }

  response(label: string, status: number): void {
    const key = `${label} ${status}`;
    this.responsesByLabel.set(key, (this.responsesByLabel.get(key) ?? 0) + 1);
  }

  download(assetId: string, field: string): void {
    bump(this.downloadsByAsset, assetId, field, 1);
    this.totalDownloads++;
  }

  served(assetId: string, field: string, bytes: number): void {
    bump(this.bytesByAsset, assetId, field, bytes);
    this.totalBytes += bytes;
  }

  /** Requests seen for a label (exact), or for every label containing `label` when `partial`. */
  requests(label: string, partial = false): number {
    if (!partial) return this.requestsByLabel.get(label) ?? 0;
    let sum = 0;
    for (const [key, count] of this.requestsByLabel) if (key.includes(label)) sum += count;
    return sum;
  }

  /** Bytes served for one asset, optionally one resource field of it. */
  bytesFor(assetId: string, field?: string): number {
    const perField = this.bytesByAsset.get(assetId);
    if (!perField) return 0;
    if (field) return perField.get(field) ?? 0;
    let sum = 0;
    for (const value of perField.values()) sum += value;
    return sum;
  }

  /** Asset recordNames that had at least one byte served. */
  assetsServed(): string[] {
    return [...this.bytesByAsset.keys()];
  }

  snapshot(): CountersSnapshot {
    return {
      requests: Object.fromEntries(this.requestsByLabel),
      responses: Object.fromEntries(this.responsesByLabel),
      bytes: nested(this.bytesByAsset),
      downloads: nested(this.downloadsByAsset),
      totalBytes: this.totalBytes,
      totalDownloads: this.totalDownloads,
      retryAfterViolations: this.retryAfterViolations,
      violationsByHost: Object.fromEntries(this.violationsByHost),
      paceRefusals: Object.fromEntries(this.refusalsByHost),
      peakInFlight: Object.fromEntries(this.peaks),
    };
  }

  reset(): void {
    this.requestsByLabel.clear();
    this.responsesByLabel.clear();
    this.bytesByAsset.clear();
    this.downloadsByAsset.clear();
    this.totalBytes = 0;
    this.totalDownloads = 0;
    this.retryAfterViolations = 0;
    this.violationsByHost.clear();
    this.refusalsByHost.clear();
    this.peaks.clear();
  }
}

function bump(map: Map<string, Map<string, number>>, outer: string, inner: string, by: number): void {
  let perField = map.get(outer);
  if (!perField) {
    perField = new Map();
    map.set(outer, perField);
  }
  perField.set(inner, (perField.get(inner) ?? 0) + by);
}

function nested(map: Map<string, Map<string, number>>): Record<string, Record<string, number>> {
  const out: Record<string, Record<string, number>> = {};
  for (const [key, inner] of map) out[key] = Object.fromEntries(inner);
  return out;
}
