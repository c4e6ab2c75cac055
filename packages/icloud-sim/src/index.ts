/** The simulated iCloud: a loopback server speaking Apple's web protocol for tests, the demo and benchmarks. */
export { type AccountSpec, DEFAULT_ACCOUNTS, type SimAccount, type TrustedPhone } from './accounts.js';
export type { AddOptions, AssetKind, AssetSpec, ResourceField, ResourceSpec } from './asset-spec.js';
export { type Interaction, RECORDED_DIR, readCassette, recordedCassettes } from './cassette.js';
export { type ContentSpec, contentBytes, contentChunks, contentSha256 } from './content.js';
export { Counters, type CountersSnapshot } from './counters.js';
export { defaultFaults, type FaultScope, type Faults } from './faults.js';
export { exifDateString, type JpegSpec, makeJpeg, type WrittenJpeg, writeJpeg } from './jpeg.js';
export type { AssetState, AssetSummary, Library, Selection } from './library.js';
export { type PaceProfile, PROFILES, type ProfileName } from './pace.js';
export { createRng, logUniform, type Rng, shuffled } from './random.js';
export { listQuery, type Reply, SimClient } from './sim-client.js';
export { type Simulator, type SimulatorAccountInfo, type SimulatorOptions, startSimulator } from './simulator.js';
export type { SmartAlbum } from './smart-albums.js';
