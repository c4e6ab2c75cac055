// Building blocks for plugin authors: what every destination must get right, written once.
export { abortable } from './abortable.js';
export { type CheckedBody, type CheckedBodyOptions, checkedBody } from './checked-body.js';
// A small file system toolkit for destinations that keep objects as files (disk, the example archive).
export { classifyFsError, type FsErrorContext } from './fs/classify-fs-error.js';
export { type CommitRequest, type CommitState, commitFile } from './fs/commit-file.js';
export { fsyncDir, ifPresent, makeDirsBelow, writeDurably } from './fs/durable.js';
export { withPath } from './fs/errno.js';
export { refuseLinkedFolders } from './fs/linked-folders.js';
export { type ReceivedFile, receiveToFile } from './fs/receive-to-file.js';
export { TempFolder } from './fs/temp-folder.js';
export { type TempOwner, tempOwner, tempOwnerTag, UNKNOWN_OWNER_STALE_MS } from './fs/temp-owner.js';
export { KeyCheckedDestination, withKeyChecks } from './key-checked-destination.js';
export { keyProblem, validateKey } from './keys.js';
export { type LinkMethods, linkMethods } from './link-methods.js';
export { backoffDelay, DEFAULT_RETRY, type RetryHooks, type RetryPolicy, sleep, withRetry } from './retry.js';
export { parseRetryAfter } from './retry-after.js';
