import { claimsOf, describeBadToken, type TokenSpec } from '../../arbitraries/tokens';

export function describeToken(token: TokenSpec): string {
  return token.kind === 'bad' ? `bad token: ${describeBadToken(token.index)}` : JSON.stringify(claimsOf(token));
}
