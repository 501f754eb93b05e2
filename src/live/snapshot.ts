/**
 * The persisted library in STATE_DIR, so a restart over unchanged pages skips parsing and building: a JSON header
 * line, the body in V8's serialization (faster to read back than JSON) and 32-bit numbers. Used only under its key.
 */
import { createHash } from 'node:crypto';
import { constants } from 'node:fs';
import { mkdir, open, readFile, readdir, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { DefaultDeserializer, serialize } from 'node:v8';
import { threadId } from 'node:worker_threads';
import { crc32 } from 'node:zlib';
import { INDEX_FORMAT_VERSION } from '../search/index.js';

const SNAPSHOT_FORMAT_VERSION = 2;

/** The snapshot of the parsed pages, in STATE_DIR. */
export const CORPUS_SNAPSHOT_FILE = 'library-corpus.snapshot';

/** The snapshot of what was served from them, in STATE_DIR: the merged corpus and its index. */
export const SERVED_SNAPSHOT_FILE = 'library-served.snapshot';

/** The key of pages (name and `contentHash` each, in any order) read on `asOf` (`YYYY-MM-DD`) by `code` (`sourceHash`). */
export function snapshotKey(pages: Iterable<readonly [name: string, contentHash: string]>, asOf: string, code: string): string {
  const hash = createHash('sha256').update(`paperbot-snapshot ${SNAPSHOT_FORMAT_VERSION} index ${INDEX_FORMAT_VERSION} v8 ${process.versions.v8}\n${asOf}\n${code}\n`);
  for (const [name, content] of [...pages].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) hash.update(`${name}\0${content}\n`);
  return hash.digest('hex');
}

/** A hash of a page's bytes. */
export function contentHash(bytes: Uint8Array): string {
  return createHash('sha1').update(bytes).digest('hex');
}

/** What reading a snapshot file gave: its key, body and numbers, or why it cannot be used (`missing` when there is no file). */
export type SnapshotRead = { ok: true; key: string; body: unknown; numbers: Uint32Array } | { ok: false; missing?: boolean; reason: string };

/** Why a snapshot whose key is not the pages' key is not used. */
export const OTHER_PAGES = 'made from other pages, code, Node version or as-of date';

/** Writes a snapshot file for `key` atomically and durably: `body`, then `numbers` in this machine's byte order, starting on a 4-byte word. */
export async function writeSnapshot(file: string, key: string, body: unknown, numbers: Uint32Array<ArrayBufferLike> = new Uint32Array(0)): Promise<void> {
  const serialized = serialize(body);
  const rest = Buffer.concat([serialized, Buffer.alloc((4 - (serialized.length % 4)) % 4), new Uint8Array(numbers.buffer, numbers.byteOffset, numbers.byteLength)]);
  const line = JSON.stringify({ format: SNAPSHOT_FORMAT_VERSION, key, crc32: crc32(rest), body: serialized.length });
  const header = Buffer.from(`${line}${' '.repeat((4 - ((Buffer.byteLength(line) + 1) % 4)) % 4)}\n`);
  await mkdir(path.dirname(file), { recursive: true });
  // Replaced so that a crash leaves the old content or the new. pid and thread: two threads may write beside each other.
  const temp = `${file}.tmp-${process.pid}-${threadId}`;
  try {
    // flush: the data is fsynced before the file is closed.
    await writeFile(temp, Buffer.concat([header, rest]), { mode: 0o644, flush: true });
    await rename(temp, file);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
  // The rename is durable only once the directory entry is; some platforms cannot open a directory for fsync.
  let handle;
  try {
    handle = await open(path.dirname(file), constants.O_RDONLY);
    await handle.sync();
  } catch (error) {
    const code = (error as NodeJS.ErrnoException | null)?.code;
    if (code !== 'EISDIR' && code !== 'EPERM' && code !== 'EINVAL') throw error;
  } finally {
    await handle?.close();
  }
}

/** Reads a snapshot file, checking its format, its checksum (a CRC-32: against damage, not forgery) and its key. */
export async function openSnapshot(file: string, key?: string): Promise<SnapshotRead> {
  let data: Buffer;
  try {
    data = await readFile(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException | null)?.code;
    return { ok: false, missing: code === 'ENOENT', reason: `cannot read it: ${code ?? String(error)}` };
  }
  const newline = data.indexOf(0x0a);
  let header: Header | null = null;
  try {
    header = JSON.parse(data.toString('utf8', 0, newline < 0 ? data.length : newline)) as Header | null;
  } catch {
    // not JSON: no header
  }
  if (typeof header?.key !== 'string' || !('format' in header)) return { ok: false, reason: 'damaged: no valid header line' };
  if (header.format !== SNAPSHOT_FORMAT_VERSION) return { ok: false, reason: `format ${String(header.format)}, expected ${SNAPSHOT_FORMAT_VERSION}` };
  if (key !== undefined && header.key !== key) return { ok: false, reason: OTHER_PAGES };
  const start = newline + 1;
  const end = start + (typeof header.body === 'number' && Number.isSafeInteger(header.body) && header.body >= 0 ? header.body : Number.NaN);
  const numbersAt = end + ((4 - ((end - start) % 4)) % 4);
  if (!(numbersAt <= data.length) || crc32(data.subarray(start)) !== header.crc32 || (data.length - numbersAt) % 4 !== 0) {
    return { ok: false, reason: 'damaged: checksum mismatch' };
  }
  let body: unknown;
  try {
    const deserializer = new CopyingDeserializer(data.subarray(start, end));
    deserializer.readHeader();
    body = deserializer.readValue();
  } catch {
    return { ok: false, reason: 'damaged: body cannot be read' };
  }
  // Copied out (0.1 s for 200 MB), as the body's typed arrays are: a view would keep the whole file alive, body
  // bytes and all, for as long as the library is served.
  const rest = Uint8Array.prototype.slice.call(data, numbersAt);
  return { ok: true, key: header.key, body, numbers: new Uint32Array(rest.buffer, rest.byteOffset, rest.byteLength / 4) };
}

/** A hash of the source files of the parser and the index: a snapshot made by other code is not used. */
export async function sourceHash(): Promise<string> {
  const hash = createHash('sha256');
  for (const dir of SOURCE_DIRS) {
    const folder = fileURLToPath(new URL(dir, import.meta.url));
    for (const name of (await readdir(folder)).sort()) {
      if (!name.endsWith('.ts')) continue;
      hash.update(`${dir}${name}\0`).update(await readFile(path.join(folder, name)));
    }
  }
  return hash.digest('hex');
}

const SOURCE_DIRS = ['../corpus/', '../search/'];

// `node:v8`'s deserializer, but a typed array in the body is a copy, not a view into the bytes it was read from.
// `_readHostObject` is the documented hook; @types/node leaves it out.
class CopyingDeserializer extends DefaultDeserializer {
  _readHostObject(): unknown {
    const view = (DefaultDeserializer.prototype as unknown as { _readHostObject(this: DefaultDeserializer): unknown })._readHostObject.call(this);
    return ArrayBuffer.isView(view) && !(view instanceof DataView) ? (view as Uint8Array).slice() : view;
  }
}

type Header = { format: unknown; key: unknown; crc32: unknown; body: unknown };
