/**
 * What a Source reports. Everything here is untrusted input (it may come from the network):
 * core sanitises file names and verifies sizes before anything reaches a destination.
 */

/** The role of one file of an asset. Plugins may add their own kinds. */
export type ResourceKind = 'original' | 'live-video' | 'raw' | 'edited' | (string & {});

export interface AssetResource {
  kind: ResourceKind;
  /** File name as the source knows it (may be hostile: core sanitises it before use). */
  fileName: string;
  /** Size in bytes as declared by the source; the engine refuses a copy of any other size. */
  size: number;
  /**
   * Opaque token that changes whenever the content changes (mtime+size, a server checksum, a record tag).
   * A new version is copied anew and never replaces the copy of an older one.
   */
  version: string;
  /** Opaque string the source needs to open the resource later (a relative path, a record name). */
  locator?: string;
  /** Hex sha256 when the source already knows it; the engine checks the bytes against it. */
  sha256?: string;
  mediaType?: string;
}

export interface Asset {
  /** Stable id within its source: the same photo keeps the same id across runs. */
  id: string;
  /** The asset's own file name (usually the original resource's). */
  fileName: string;
  /**
   * Capture date as local wall-clock ISO 8601 (`2019-05-04T12:30:00`), with its UTC offset when known
   * (`2019-05-04T12:30:00+02:00`). Layouts and date filters use the wall-clock part.
   */
  capturedAt?: string;
  /** IANA time zone of the capture, when known. */
  timeZone?: string;
  /** When the asset was added to the library (ISO 8601). */
  addedAt?: string;
  albums: string[];
  /**
   * The albums are not known yet (`albums` is empty): the source reports them later through
   * `SourceListOptions.albumsLater`. Only a source given that callback may set this.
   */
  albumsPending?: boolean;
  favorite: boolean;
  hidden: boolean;
  /**
   * Set when the user deleted the asset but the source still holds it for a while (iCloud's Recently Deleted).
   * Core backs it up like any other asset (this is the last chance to rescue it) and reports it as deleted at
   * the source. `at`: when it was deleted, if the source knows; `purgeAt`: when the source will erase it.
   */
  deleted?: { at?: string; purgeAt?: string };
  /**
   * Where the asset sits inside its source, '/'-separated and relative (`Trip 2024/Day 1`); absent or '' at the
   * root. Layouts use it as `{folder}`; two files of the same name in two folders stay apart.
   */
  folder?: string;
  /** Descriptive metadata, each optional, written to the copy's sidecar for photo applications to read. */
  title?: string;
  caption?: string;
  keywords?: string[];
  location?: AssetLocation;
  /** Albums inside folders: album name -> its folder path (`Trips/2024`); albums at the top level are absent. */
  albumFolders?: Record<string, string>;
  resources: AssetResource[];
  /**
   * Optional: small renditions the source already has for showing the asset (a thumbnail; a video's poster frame),
   * smallest first, opened with `Source.open` like a resource. Never backed up or restored: only shown (the TUI's
   * previews), so a photo can be recognised without downloading its original.
   */
  previews?: AssetResource[];
  metadata: Record<string, unknown>;
}

/** Where a photo was taken (WGS 84 degrees; altitude in metres above sea level). */
export interface AssetLocation {
  latitude: number;
  longitude: number;
  altitude?: number;
}

/** What the engine passes back to a Source to open one resource. */
export interface ResourceHandle {
  assetId: string;
  kind: ResourceKind;
  version: string;
  fileName: string;
  size: number;
  locator?: string;
}
