/**
 * The domain vocabulary: settings, rule ids, outcomes, flags, effects and reading profiles. The bottom
 * layer: every other module may import it, and it imports nothing of the project but src/errors.ts.
 */
export * from './effects';
export * from './events';
export * from './profiles';
export * from './rules';
export * from './settings';
export * from './vocabulary';
