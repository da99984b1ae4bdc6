/** Targets: what the harness runs scenarios against (see target.ts). */
export { checked } from './checked';
export { cmdTarget } from './cmd';
export { countsOf, whatIfThrough, type Counts } from './derived';
export { httpTarget } from './http';
export { DEFAULT_TIMEOUT_MS, openTarget, TARGET_FORMS, type TargetOptions } from './open';
export { referenceTarget } from './reference';
export { NotSupported, TargetFailure, type FailureKind, type ImportFile, type ImportRun, type Target, type TargetInfo } from './target';
