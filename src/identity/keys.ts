import { InvalidKeyError } from '../errors';
import type { KeyConfig } from '../domain';

/** HS256 keys shorter than the hash output are refused (RFC 7518 §3.2; `inputs.md`, ✱). */
export const MIN_SECRET_BYTES = 32;

/** The scenario default when a file gives no `keys` (`replay.md`). */
export const DEFAULT_KEYS: readonly KeyConfig[] = [{ kid: 'app_test', secret: 'default test secret of thirty-two bytes' }];

/**
 * Checks a key list before anything is imported: non-empty, every kid a non-empty string given once,
 * every secret a string whose UTF-8 encoding has at least 32 bytes. Throws InvalidKeyError naming the key.
 */
export function validateKeyConfigs(configs: readonly KeyConfig[]): void {
  if (configs.length === 0) throw new InvalidKeyError('at least one signing key is needed', 0, null);
  const seen = new Set<string>();
  configs.forEach((config, index) => {
    if (typeof config.kid !== 'string' || config.kid.length === 0) {
      throw new InvalidKeyError('a key id must be a non-empty string', index, 'kid');
    }
    if (seen.has(config.kid)) throw new InvalidKeyError(`key id "${config.kid}" is configured twice`, index, 'kid');
    seen.add(config.kid);
    if (typeof config.secret !== 'string') throw new InvalidKeyError('a secret must be a string', index, 'secret');
    const bytes = Buffer.byteLength(config.secret, 'utf8');
    if (bytes < MIN_SECRET_BYTES) {
      throw new InvalidKeyError(
        `the secret of key "${config.kid}" has ${bytes} bytes; HS256 needs at least ${MIN_SECRET_BYTES}`,
        index,
        'secret',
      );
    }
  });
}
