/** Discord's signing of HTTP interactions: Ed25519 over `timestamp + body`; a stale request is refused so none can be replayed. */
import { createPublicKey, verify, type KeyObject } from 'node:crypto';

/** How old a request's timestamp may be (Discord's own examples allow 5 minutes). */
export const MAX_REQUEST_AGE_MS = 5 * 60 * 1000;

/** Why a request was refused, or 'ok'. */
export type SignatureVerdict = 'ok' | 'missing' | 'malformed' | 'stale' | 'bad-signature';

/** The public key (64 hex digits, as the developer portal shows it) as a key node:crypto verifies with. */
export function publicKeyFromHex(hex: string): KeyObject {
  if (!/^[0-9a-fA-F]{64}$/.test(hex)) throw new Error('signature: the public key must be 64 hex digits');
  return createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: Buffer.from(hex, 'hex').toString('base64url') }, format: 'jwk' });
}

/** Checks one request's `X-Signature-Ed25519` and `X-Signature-Timestamp` headers against its raw body. */
export function verifyRequest(key: KeyObject, signature: string | undefined, timestamp: string | undefined, body: Buffer, now: number = Date.now()): SignatureVerdict {
  if (!signature || !timestamp) return 'missing';
  if (!/^[0-9a-fA-F]{128}$/.test(signature) || !/^\d{1,12}$/.test(timestamp)) return 'malformed';
  if (Math.abs(now - Number(timestamp) * 1000) > MAX_REQUEST_AGE_MS) return 'stale';
  const signed = Buffer.concat([Buffer.from(timestamp, 'utf8'), body]);
  return verify(null, signed, key, Buffer.from(signature, 'hex')) ? 'ok' : 'bad-signature';
}
