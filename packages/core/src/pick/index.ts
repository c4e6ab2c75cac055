export {
  type AssetKindFilter,
  assetKind,
  assetMatches,
  PICK_INCLUDE_FLAGS,
  type PickFilter,
  type PickInclude,
  resourcesToPick,
} from './filter.js';
export {
  PICK_LAYOUT,
  type PickEvent,
  type PickFailure,
  type PickItem,
  type PickOptions,
  type PickSummary,
  pickFromSource,
} from './pick.js';
