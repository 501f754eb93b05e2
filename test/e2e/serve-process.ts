/** Talking to `npm run serve` processes in tests: keys as the portal shows them, signed requests, where they listen. */
import { sign, type KeyObject } from 'node:crypto';
import type { BotProcess } from './bot-process.js';

/** The public key as the developer portal shows it: 64 hex digits. */
export function publicKeyHex(key: KeyObject): string {
  const jwk = key.export({ format: 'jwk' });
  return Buffer.from(jwk.x ?? '', 'base64url').toString('hex');
}

/** Signs `body` as Discord does: Ed25519 over timestamp + body. */
export function signedHeaders(key: KeyObject, body: string, at = Date.now()): Record<string, string> {
  const timestamp = String(Math.floor(at / 1000));
  return {
    'content-type': 'application/json',
    'x-signature-timestamp': timestamp,
    'x-signature-ed25519': sign(null, Buffer.from(timestamp + body), key).toString('hex'),
  };
}

/** The URL a `serve` process logged it listens on. */
export async function listeningUrl(process: BotProcess): Promise<string> {
  const line = await process.waitForLog('"listening"', (l) => l.msg === 'listening', 30_000);
  return String(line['url']).replace(/\/interactions$/, '');
}
