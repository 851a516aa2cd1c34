import { Readable } from 'node:stream';
import { createBrotliDecompress, createGunzip, createInflate, createZstdDecompress } from 'node:zlib';
import { UpstreamNetworkError } from '../errors.js';

/** The body with its Content-Encoding (gzip, deflate, br, zstd) undone; as is for identity or unknown codings. */
export function decodeBody(body: Readable, encoding: string | undefined): Readable {
  const coding = encoding?.trim().toLowerCase();
  const decoder =
    coding === 'gzip' || coding === 'x-gzip'
      ? createGunzip()
      : coding === 'deflate'
        ? createInflate()
        : coding === 'br'
          ? createBrotliDecompress()
          : coding === 'zstd'
            ? createZstdDecompress()
            : undefined;
  if (!decoder) return body;
  body.on('error', (err) => decoder.destroy(err));
  return body.pipe(decoder);
}

/** The whole body, or {@link UpstreamNetworkError} once it grows past `maxBytes`. */
export async function readBounded(body: Readable, maxBytes: number, url: string, method: string): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of body) {
    total += (chunk as Buffer).length;
    if (total > maxBytes) {
      body.destroy();
      throw new UpstreamNetworkError(url, new Error(`body larger than ${maxBytes} bytes`), method);
    }
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

/** Bytes as text in the Content-Type charset (UTF-8 when absent or unknown). */
export function decodeText(bytes: Buffer, contentType: string | undefined): string {
  const charset = /charset="?([\w-]+)/i.exec(contentType ?? '')?.[1];
  try {
    return new TextDecoder(charset ?? 'utf-8').decode(bytes);
  } catch {
    return new TextDecoder('utf-8').decode(bytes);
  }
}

/** Reads up to `maxBytes` of a stream and returns them plus a stream that replays them followed by the rest. */
export async function peekBody(body: Readable, maxBytes: number): Promise<{ head: Buffer; rest: Readable }> {
  const iterator = body[Symbol.asyncIterator]();
  const chunks: Buffer[] = [];
  let total = 0;
  let done = false;
  while (total < maxBytes) {
    const next = await iterator.next();
    if (next.done) {
      done = true;
      break;
    }
    chunks.push(next.value as Buffer);
    total += (next.value as Buffer).length;
  }
  const head = Buffer.concat(chunks);
  async function* replay() {
    yield head;
    if (done) return;
    for (let next = await iterator.next(); !next.done; next = await iterator.next()) yield next.value as Buffer;
  }
  const rest = Readable.from(replay(), { objectMode: false });
  rest.on('close', () => {
    if (!done) body.destroy();
  });
  return { head, rest };
}
