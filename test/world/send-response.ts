import type { IncomingMessage, OutgoingHttpHeaders, ServerResponse } from 'node:http';
import { captureFiles, readCapture } from './captures.js';
import type { RequestRecord } from './counters.js';
import type { Fault } from './faults.js';

const pieceBytes = 16 * 1024;

/** Body misbehaviour for one response: cut it, corrupt it, or pace it. */
export interface BodyPlan {
  dropAfter?: number;
  /** Corrupts the body: each byte after the first 16 is XORed with this (non-zero) value. */
  wrongBytes?: number;
  bytesPerSecond?: number;
}

/** The answer a `status` or `html-instead` fault gives instead of the origin's. */
export function buildFaultResponse(fault: Extract<Fault, { kind: 'status' | 'html-instead' }>): Response {
  if (fault.kind === 'html-instead') {
    const html = fault.html ?? readCapture(captureFiles.aaHome);
    return new Response(html, { status: 200, headers: { 'content-type': 'text/html; charset=utf-8' } });
  }
  const headers = new Headers({ 'content-type': fault.contentType ?? 'text/html', server: 'nginx' });
  if (fault.retryAfterSeconds !== undefined) headers.set('retry-after', String(fault.retryAfterSeconds));
  let body = fault.body;
  if (body === undefined && fault.status === 503) body = readCapture(captureFiles.nginx503);
  // No capture exists for other nginx error pages; this mirrors the shape of the real 503 one.
  body ??= `<html>\r\n<head><title>${fault.status}</title></head>\r\n<body>\r\n<center><h1>${fault.status}</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n`;
  // Fetch forbids a body on these statuses.
  const bodyless = [101, 204, 205, 304].includes(fault.status);
  return new Response(bodyless ? null : body, { status: fault.status, headers });
}

function write(res: ServerResponse, chunk: Buffer): Promise<void> {
  return new Promise((resolve) => {
    if (res.write(chunk)) return resolve();
    const done = () => {
      res.off('drain', done);
      res.off('close', done);
      resolve();
    };
    res.on('drain', done);
    res.on('close', done);
  });
}

/** Resolves after `ms`. */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * Writes `response` to the node response, applying `plan` (drop-after, wrong-bytes, throughput) piece by piece and
 * keeping `record` (status, bytesSent, completed) current.
 */
export async function sendResponse(
  req: IncomingMessage,
  res: ServerResponse,
  response: Response,
  plan: BodyPlan,
  record: RequestRecord,
): Promise<void> {
  const headers: OutgoingHttpHeaders = {};
  response.headers.forEach((value, key) => {
    if (key !== 'set-cookie') headers[key] = value;
  });
  const cookies = response.headers.getSetCookie();
  if (cookies.length > 0) headers['set-cookie'] = cookies;
  res.writeHead(response.status, headers);
  record.status = response.status;
  if (!response.body || req.method === 'HEAD') {
    await response.body?.cancel();
    res.end();
    record.completed = true;
    return;
  }
  const reader = response.body.getReader();
  const startedAt = Date.now();
  let sent = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      const chunk = Buffer.from(value.buffer, value.byteOffset, value.byteLength);
      for (let offset = 0; offset < chunk.length; offset += pieceBytes) {
        let piece: Buffer = chunk.subarray(offset, offset + pieceBytes);
        if (plan.wrongBytes) piece = corrupt(piece, sent, plan.wrongBytes);
        if (plan.dropAfter !== undefined && sent + piece.length >= plan.dropAfter) {
          const keep = piece.subarray(0, plan.dropAfter - sent);
          // Let the kept bytes reach the kernel, then kill the connection mid-body.
          res.write(keep, () => res.socket?.destroy());
          record.bytesSent = sent + keep.length;
          return;
        }
        if (plan.bytesPerSecond) {
          const dueAt = startedAt + ((sent + piece.length) / plan.bytesPerSecond) * 1000;
          if (dueAt > Date.now()) await sleep(dueAt - Date.now());
        }
        if (res.destroyed) return;
        await write(res, piece);
        sent += piece.length;
        record.bytesSent = sent;
      }
    }
    res.end();
    record.completed = true;
  } finally {
    reader.cancel().catch(() => {});
  }
}

function corrupt(piece: Buffer, offset: number, mask: number): Buffer {
  const out = Buffer.from(piece);
  // Keep the first 16 bytes (the format's magic) so only a checksum can tell.
  for (let i = Math.max(0, 16 - offset); i < out.length; i++) out[i] = (out[i] as number) ^ mask;
  return out;
}
