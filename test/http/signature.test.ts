/** Ed25519 request signatures: each way a request can be refused, against keys made here with node:crypto. */
import { generateKeyPairSync, sign } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { MAX_REQUEST_AGE_MS, publicKeyFromHex, verifyRequest } from '../../src/http/server.js';

const { privateKey, publicKey } = generateKeyPairSync('ed25519');
const NOW = Date.UTC(2026, 0, 1);
const BODY = Buffer.from('{"type":1}');

function signed(at: number, body: Buffer = BODY, key = privateKey): { signature: string; timestamp: string } {
  const timestamp = String(Math.floor(at / 1000));
  return { signature: sign(null, Buffer.concat([Buffer.from(timestamp), body]), key).toString('hex'), timestamp };
}

describe('verifyRequest', () => {
  it('accepts a request signed with the key, and reads the key from the portal\'s hex', () => {
    const hex = Buffer.from(publicKey.export({ format: 'jwk' }).x ?? '', 'base64url').toString('hex');
    const { signature, timestamp } = signed(NOW);
    expect(verifyRequest(publicKeyFromHex(hex), signature, timestamp, BODY, NOW)).toBe('ok');
  });

  it('names why a request is refused', () => {
    const { signature, timestamp } = signed(NOW);
    expect(verifyRequest(publicKey, undefined, timestamp, BODY, NOW)).toBe('missing');
    expect(verifyRequest(publicKey, signature, undefined, BODY, NOW)).toBe('missing');
    expect(verifyRequest(publicKey, 'zz', timestamp, BODY, NOW)).toBe('malformed');
    expect(verifyRequest(publicKey, signature, '12ab', BODY, NOW)).toBe('malformed');
    expect(verifyRequest(publicKey, signature, timestamp, Buffer.from('{"type":2}'), NOW)).toBe('bad-signature');
    expect(verifyRequest(publicKey, signed(NOW, BODY, generateKeyPairSync('ed25519').privateKey).signature, timestamp, BODY, NOW)).toBe('bad-signature');
  });

  it('refuses a timestamp more than five minutes away, either way, even when the signature is good', () => {
    const old = signed(NOW - MAX_REQUEST_AGE_MS - 1_000);
    const future = signed(NOW + MAX_REQUEST_AGE_MS + 1_000);
    const recent = signed(NOW - MAX_REQUEST_AGE_MS + 1_000);
    expect(verifyRequest(publicKey, old.signature, old.timestamp, BODY, NOW)).toBe('stale');
    expect(verifyRequest(publicKey, future.signature, future.timestamp, BODY, NOW)).toBe('stale');
    expect(verifyRequest(publicKey, recent.signature, recent.timestamp, BODY, NOW)).toBe('ok');
  });

  it('refuses a public key that is not 64 hex digits', () => {
    expect(() => publicKeyFromHex('abc')).toThrow('signature: the public key must be 64 hex digits');
  });
});
