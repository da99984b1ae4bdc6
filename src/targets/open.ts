import { isReadingProfile, READING_PROFILES } from '../domain';
import { InvalidArgumentError } from '../errors';
import { checked } from './checked';
import { cmdTarget } from './cmd';
import { httpTarget } from './http';
import { referenceTarget } from './reference';
import type { Target } from './target';

export interface TargetOptions {
  /** How long one request may take, in milliseconds (default 30 s). */
  readonly timeoutMs?: number;
}

export const DEFAULT_TIMEOUT_MS = 30_000;

export const TARGET_FORMS = ['reference', 'reference:seed', 'reference:doc', 'http://host:port', 'cmd:<command line>'] as const;

/**
 * A target by its name (`--target`, `IDMATRIX_TARGET`): `reference[:<profile>]` (the engine in this
 * process), `http://host:port` or `https://…` (a service), `cmd:<command line>` (a JSON Lines process).
 * Every answer is validated (checked.ts). An unknown form is bad input.
 */
export function openTarget(spec: string, options: TargetOptions = {}): Target {
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  if (spec === 'reference') return checked(referenceTarget('reference'));
  if (spec.startsWith('reference:')) {
    const profile = spec.slice('reference:'.length);
    if (!isReadingProfile(profile)) throw new InvalidArgumentError(`--target ${spec}: the reading after "reference:" is one of ${READING_PROFILES.join(', ')}`);
    return checked(referenceTarget(profile));
  }
  if (/^https?:\/\//.test(spec)) {
    let url: URL;
    try {
      url = new URL(spec);
    } catch {
      throw new InvalidArgumentError(`--target ${spec}: not a URL`);
    }
    if (url.search !== '' || url.hash !== '') throw new InvalidArgumentError(`--target ${spec}: give the service's base URL, without a query or fragment`);
    return checked(httpTarget(url.href, timeoutMs));
  }
  if (spec.startsWith('cmd:')) {
    const command = spec.slice('cmd:'.length).trim();
    if (command === '') throw new InvalidArgumentError('--target cmd: needs a command line after "cmd:"');
    return checked(cmdTarget(command, timeoutMs));
  }
  throw new InvalidArgumentError(`--target ${JSON.stringify(spec)}: expected one of ${TARGET_FORMS.join(', ')}`);
}
