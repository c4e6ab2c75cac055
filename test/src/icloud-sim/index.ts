/** The simulated iCloud: a loopback server speaking Apple's web protocol for tests, the demo and benchmarks. */
export { type AccountSpec, DEFAULT_ACCOUNTS, type SimAccount, type TrustedPhone } from './accounts.js';
export type { AddOptions, AssetKind, AssetSpec, ResourceField, ResourceSpec } from './asset-spec.js';
export { type ContentSpec, contentBytes, contentChunks, contentSha256 } from './content.js';
export { Counters, type CountersSnapshot } from './counters.js';
export { defaultFaults, type FaultScope, type Faults } from './faults.js';
export type { AssetState, AssetSummary, Library, Selection } from './library.js';
export { type Simulator, type SimulatorAccountInfo, type SimulatorOptions, startSimulator } from './simulator.js';
export type { SmartAlbum } from './smart-albums.js';
