export type { Asset, AssetLocation, AssetResource, ResourceHandle, ResourceKind } from './asset.js';
export type {
  Destination,
  DestinationDescription,
  LinkKind,
  ObjectInfo,
  ReadOptions,
  WriteOptions,
} from './destination.js';
export {
  type CodeMethod,
  type ContributionManifest,
  type DestinationFactory,
  type InstanceContext,
  type JsonSchema,
  type Logger,
  type LoginPrompts,
  PLUGIN_API_VERSION,
  type PluginContext,
  type PluginContributions,
  type PluginManifest,
  type PluginModule,
  type ScopedSecrets,
  type Settings,
  type SourceFactory,
} from './plugin.js';
export type {
  AlbumsUpdate,
  Source,
  SourceHealth,
  SourceListOptions,
  SourceOpenOptions,
  SourceTrashOptions,
  TrashOutcome,
  TrashRequest,
} from './source.js';
