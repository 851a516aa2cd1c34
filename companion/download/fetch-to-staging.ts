import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { open, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { parseRetryAfterMs } from '../../shared/detect-challenge.js';
import { CompanionError, UpstreamHttpError, UpstreamNetworkError } from '../errors.js';
import type { HttpClient } from '../net/http-client.js';
import { ensureRoomFor, onSameFilesystem } from '../store/disk-space.js';
import { createMd5Hasher, releaseSlab, takeSlab } from './md5-worker.js';

/** The file is not the book: HTML instead of bytes, an error page, or other bytes than the md5 promises. */
export class BadFileError extends CompanionError {
  override name: string = 'BadFileError';
}

/** The whole file arrived but its md5 is not the id's: the source serves other bytes than AA lists. */
export class Md5MismatchError extends BadFileError {
  override name = 'Md5MismatchError' as const;
  constructor(
    readonly expected: string,
    readonly actual: string,
  ) {
    super(`Expected md5 ${expected}, got ${actual}: the file was rejected`);
  }
}

export interface FetchToStagingOptions {
  client: HttpClient;
  url: string;
  headers?: Record<string, string>;
  stagingPath: string;
  /** The AA id: the md5 the finished file must have. */
  expectedMd5: string;
  signal?: AbortSignal;
  /** Called as bytes arrive (the caller throttles). */
  onProgress?: (bytesDone: number, bytesTotal: number | null) => void;
  /** Files smaller than this are error pages, not books. */
  minBytes?: number;
  /** Where the book will be placed: on another filesystem it is copied there, so it needs room there too. */
  ingestDir?: string;
}

export interface StagedFile {
  path: string;
  bytes: number;
  md5: string;
  contentType: string | undefined;
  /** The answer's Content-Disposition (its file name is evidence of the format). */
  contentDisposition?: string | undefined;
  /** Whether an existing partial file was continued with a Range request. */
  resumed: boolean;
}

const DEFAULT_MIN_BYTES = 1024;
const WRITE_BATCH_BYTES = 1024 * 1024;
const WRITE_BATCH_MS = 250;

function header(headers: Record<string, string | string[] | undefined>, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** The first byte a `Content-Range: bytes a-b/n` answer carries (undefined when missing or malformed). */
function contentRangeStart(value: string | undefined): number | undefined {
  const match = value ? /^bytes\s+(\d+)-\d+\/(?:\d+|\*)$/i.exec(value.trim()) : null;
  return match ? Number(match[1]) : undefined;
}

async function sizeOf(file: string): Promise<number> {
  try {
    return (await stat(file)).size;
  } catch {
    return 0;
  }
}

/** md5 of a whole file on disk (a resumed download: its first part came from an earlier attempt). */
export async function hashFile(file: string): Promise<string> {
  const hash = createHash('md5');
  await pipeline(createReadStream(file), async (source: AsyncIterable<Buffer>) => {
    for await (const chunk of source) hash.update(chunk);
  });
  return hash.digest('hex');
}

/**
 * Streams `url` into `stagingPath` while computing the md5; never holds the file in memory. An existing partial
 * file is continued with a Range request (and restarted if the server ignores the range). Rejects HTML, tiny
 * error pages and md5 mismatches with {@link BadFileError}, deleting the file; HTTP failures throw
 * {@link UpstreamHttpError} (with Retry-After), dropped connections {@link UpstreamNetworkError} and keep the
 * partial file for the next attempt.
 */
export async function fetchToStaging(options: FetchToStagingOptions): Promise<StagedFile> {
  const { client, url, stagingPath, expectedMd5, signal, onProgress, minBytes = DEFAULT_MIN_BYTES } = options;
  const existing = await sizeOf(stagingPath);
  const headers: Record<string, string> = { ...options.headers, 'accept-encoding': 'identity' };
  if (existing > 0) headers.range = `bytes=${existing}-`;

  // The file is opened before the request: the body must be read from its first moment, because undici drops
  // chunks still buffered in the stream when the connection dies (and those bytes would be lost for the resume).
  const file = await open(stagingPath, 'a');
  let res: Awaited<ReturnType<HttpClient['request']>>;
  try {
    res = await client.request(url, { headers, signal });
  } catch (err) {
    await file.close();
    throw err;
  }
  if (res.status !== 200 && res.status !== 206) await file.close();
  if (res.status === 416 && existing > 0) {
    // The partial file is already complete (or larger than the file): start over cleanly.
    await res.dump();
    await rm(stagingPath, { force: true });
    return fetchToStaging(options);
  }
  if (res.status !== 200 && res.status !== 206) {
    await res.dump();
    throw new UpstreamHttpError(res.status, url, 'GET', parseRetryAfterMs(header(res.headers, 'retry-after')));
  }
  const contentType = header(res.headers, 'content-type');
  if (contentType && /^text\/html|^application\/xhtml/i.test(contentType)) {
    await file.close();
    await res.dump();
    if (existing === 0) await rm(stagingPath, { force: true });
    throw new BadFileError(`Expected a book file from ${new URL(url).host}, got an HTML page`);
  }

  // A 206 must continue exactly where the file on disk ends; a range from the start is the whole file again.
  const rangeStart = res.status === 206 ? contentRangeStart(header(res.headers, 'content-range')) : 0;
  if (existing > 0 && res.status === 206 && rangeStart !== existing && rangeStart !== 0) {
    await file.close();
    await res.dump();
    await rm(stagingPath, { force: true });
    throw new UpstreamNetworkError(
      url,
      new Error(`the server sent bytes from ${rangeStart ?? 'an unknown offset'} instead of ${existing}`),
    );
  }
  const resumed = res.status === 206 && existing > 0 && rangeStart === existing;
  // A server that ignores the range sends the whole file again: start the staging file over.
  if (!resumed && existing > 0) await file.truncate(0);
  // md5 of a fresh download is computed on a worker thread from the batches as they are written.
  const hash = resumed ? undefined : createMd5Hasher();
  const startAt = resumed ? existing : 0;
  const lengthHeader = header(res.headers, 'content-length');
  const remaining = lengthHeader && /^\d+$/.test(lengthHeader) ? Number(lengthHeader) : null;
  const total = remaining === null ? null : startAt + remaining;
  try {
    // A book that cannot fit is refused before its first byte, not when the disk fills half-way.
    if (remaining !== null) {
      ensureRoomFor(path.dirname(stagingPath), remaining);
      // Placement hard-links within one filesystem (no room needed) and copies the whole book across two.
      const { ingestDir } = options;
      if (ingestDir && !onSameFilesystem(path.dirname(stagingPath), ingestDir)) {
        ensureRoomFor(ingestDir, startAt + remaining, 'the ingest folder');
      }
    }
  } catch (err) {
    res.body.destroy();
    await file.close();
    throw err;
  }

  let done = startAt;
  // The attempt's progress starts where its bytes start (a resume shows what it continues from at once).
  onProgress?.(done, total);
  // Received chunks are written in batches of ~1 MiB (copied into one shared buffer: one write, then hashed by the
  // md5 worker), one batch in flight while the next is read, so neither the disk nor the hash stalls the socket; on any
  // failure what was received is flushed before the file is closed, so every byte that arrived before a dropped
  // connection is on disk for the Range resume.
  let batch: Buffer[] = [];
  let batchBytes = 0;
  let flushedAtMs = Date.now();
  let writing: Promise<unknown> = Promise.resolve();
  const flush = () => {
    if (batch.length === 0) return writing;
    const chunks = batch;
    const length = batchBytes;
    const slab = takeSlab(length);
    let at = 0;
    for (const chunk of chunks) {
      chunk.copy(slab, at);
      at += chunk.length;
    }
    batch = [];
    batchBytes = 0;
    flushedAtMs = Date.now();
    writing = writing.then(async () => {
      await file.write(slab, 0, length);
      if (hash) await hash.update(slab, length);
      else releaseSlab(slab);
    });
    return writing;
  };
  try {
    let first = !resumed;
    for await (const chunk of res.body as AsyncIterable<Buffer>) {
      signal?.throwIfAborted();
      if (first) {
        first = false;
        // Some mirrors send an HTML error page labelled application/octet-stream.
        const head = chunk.subarray(0, 512).toString('latin1').trimStart().toLowerCase();
        if (head.startsWith('<!doctype html') || head.startsWith('<html')) {
          throw new BadFileError(`Expected a book file from ${new URL(url).host}, got an HTML page`);
        }
      }
      batch.push(chunk);
      batchBytes += chunk.length;
      done += chunk.length;
      onProgress?.(done, total);
      // Slow transfers flush by time too, so a crash (kill -9) loses at most a moment of received bytes.
      if (batchBytes >= WRITE_BATCH_BYTES || Date.now() - flushedAtMs >= WRITE_BATCH_MS) {
        await writing;
        void flush();
      }
    }
    await flush();
  } catch (err) {
    res.body.destroy();
    await flush().catch(() => {});
    hash?.drop();
    await file.close();
    if (err instanceof BadFileError) {
      await rm(stagingPath, { force: true });
      throw err;
    }
    if (signal?.aborted) throw signal.reason;
    throw new UpstreamNetworkError(url, err);
  }
  await file.close();
  // The bytes already on disk are hashed after the transfer, so reading the response never waits for the disk.
  const digest = hash ? await hash.digest() : await hashFile(stagingPath);

  if (total !== null && done !== total) {
    throw new UpstreamNetworkError(url, new Error(`connection closed after ${done} of ${total} bytes`));
  }
  const md5 = digest;
  if (done < minBytes) {
    await rm(stagingPath, { force: true });
    throw new BadFileError(`Expected a book file, got ${done} bytes from ${new URL(url).host}`);
  }
  if (md5 !== expectedMd5.toLowerCase()) {
    await rm(stagingPath, { force: true });
    throw new Md5MismatchError(expectedMd5.toLowerCase(), md5);
  }
  const contentDisposition = header(res.headers, 'content-disposition');
  return { path: stagingPath, bytes: done, md5, contentType, contentDisposition, resumed };
}
