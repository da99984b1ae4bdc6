import { validateImportResponse } from '../replay/protocol';
import type { ReplayResult } from '../replay/types';
import { InvalidResultError, validateResult } from '../replay/validate';
import { NotSupported, TargetFailure, type ImportRun, type Target } from './target';

/**
 * Every answer of a target, whatever its kind, is validated against the JSON Schemas of the protocol
 * before the harness reads it: a result that is not a result document (or missing) fails that request
 * with the JSON path at fault. Any other error of a target becomes a TargetFailure (the run goes on);
 * NotSupported passes through.
 */
export function checked(target: Target): Target {
  const guard = async <T>(what: string, call: () => Promise<T>, validate: (doc: unknown) => T): Promise<T> => {
    let answer: unknown;
    try {
      answer = await call();
    } catch (error) {
      if (error instanceof TargetFailure || error instanceof NotSupported) throw error;
      throw new TargetFailure('crash', `the target failed on ${what}: ${(error as Error).message ?? String(error)}`);
    }
    if (answer === undefined || answer === null) throw new TargetFailure('malformed-result', `the target gave no ${what}`);
    try {
      return validate(answer);
    } catch (error) {
      if (error instanceof InvalidResultError) throw new TargetFailure('malformed-result', `the target's ${what} is not valid: ${error.message}`);
      throw error;
    }
  };
  return {
    name: target.name,
    info: () => target.info(),
    replay: (scenario) =>
      guard('result', () => target.replay(scenario), (doc) => {
        validateResult(doc);
        return doc as ReplayResult;
      }),
    importUsers: (scenario, files) => guard('import response', () => target.importUsers(scenario, files), (doc) => validateImportResponse(doc) as ImportRun),
    close: () => target.close(),
  };
}
