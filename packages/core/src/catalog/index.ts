export { Catalog } from './catalog.js';
export { catalogDamaged, isCatalogDamage } from './damage.js';
export { INVENTORY_BATCH } from './inventory.js';
export { SCHEMA_VERSION } from './migrations.js';
export type { OffloadCandidate, OffloadRecord, Voucher } from './offloads.js';
export type { PresentOptions } from './present.js';
export type { SidecarDue } from './sidecars.js';
export type {
  CatalogResource,
  CopyCount,
  CopyRecord,
  IndexableCopy,
  InventoryResult,
  InventoryWriter,
  KeyOwner,
  NewCopy,
  PendingCopy,
  RecordCopyResult,
  ResourceVersionRef,
  RunOutcome,
  RunRecord,
  SidecarRecord,
  VanishedRecord,
} from './types.js';
export type { CurrentResource } from './verification.js';
