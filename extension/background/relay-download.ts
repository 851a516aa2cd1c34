import { detectChallenge } from '../../shared/detect-challenge.js';
import {
  formatContentRange,
  RELAY_CHUNK_BYTES,
  RELAY_PATHS,
  type RelayCandidate,
  type RelayJob,
  relayOffset,
  relayUploadResponse,
} from '../../shared/relay-api.js';
import { isCompanionError } from '../lib/companion-error.js';
import { readCountdownPage } from '../lib/read-countdown-page.js';
import type { CompanionConnection } from './companion-connection.js';

/** How a relay ended: the companion placed the file, refused it (md5), or no candidate gave the file. */
export type RelayOutcome =
  | { status: 'complete'; bytes: number }
  | { status: 'refused'; message: string }
  | { status: 'failed'; message: string };

export interface RelayDownloadDeps {
  connection: Pick<CompanionConnection, 'getClient' | 'report'>;
  /** Passes a wall in a tab (the clearance handoff's `passInTab`); the next fetch then carries the cookies. */
  passChallenge?: (site: string, url: string) => Promise<unknown>;
  fetch?: typeof globalThis.fetch;
  sleep?: (ms: number) => Promise<void>;
  /** Called every `keepAliveMs` while a transfer runs (Chrome ends idle service workers after 30 s). */
  keepAlive?: () => unknown;
  keepAliveMs?: number;
  chunkBytes?: number;
  /** Rounds over the candidates (each round starts from the companion's stored offset). */
  maxRounds?: number;
  /** Longest countdown the relay waits out before it takes the next candidate. */
  maxCountdownMs?: number;
  onProgress?: (job: RelayJob, offset: number, total: number) => void;
}

/** The source broke off mid-body or the companion holds another offset: resume from the stored offset. */
class ResumableError extends Error {}
/** This candidate cannot give the file (gone, not a file, wall not passed): try the next one. */
class CandidateError extends Error {}

function parseContentRange(value: string | null): { start: number; total: number | undefined } | undefined {
  const match = /^bytes (\d+)-(\d+)\/(\d+|\*)$/.exec(value?.trim() ?? '');
  if (!match) return undefined;
  return { start: Number(match[1]), total: match[3] === '*' ? undefined : Number(match[3]) };
}

/** The first `maxChars` of a text body; the rest is not downloaded (a hostile page cannot exhaust the worker). */
async function readTextHead(res: Response, maxChars = 1_000_000): Promise<string> {
  if (!res.body) return '';
  const reader = res.body.getReader();
  const decoder = new TextDecoder();
  let text = '';
  try {
    while (text.length < maxChars) {
      const { done, value } = await reader.read();
      if (done) break;
      text += decoder.decode(value, { stream: true });
    }
  } finally {
    await reader.cancel().catch(() => undefined);
  }
  return text.slice(0, maxChars);
}

function concat(parts: Uint8Array[], length: number): Uint8Array {
  const out = new Uint8Array(length);
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}

/**
 * The browser download relay: fetches a job's file with the browser's own session (`credentials: 'include'`, so
 * the clearance the browser earned travels with it), waits out AA countdown pages, passes a wall in a tab when one
 * answers, and uploads the bytes to `PUT /api/jobs/:id/file` in chunks with `Content-Range`. Every round starts
 * at the companion's stored offset (`GET /api/jobs/:id/file`) with a `Range` request, so a dropped connection or
 * a restarted service worker loses nothing. The companion checks the md5 and places the file.
 */
export function createRelayDownload({
  connection,
  passChallenge,
  fetch: fetchImpl = (...args) => globalThis.fetch(...args),
  sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  keepAlive = () => undefined,
  keepAliveMs = 20_000,
  chunkBytes = RELAY_CHUNK_BYTES,
  maxRounds = 6,
  maxCountdownMs = 5 * 60_000,
  onProgress = () => {},
}: RelayDownloadDeps) {
  const inFlight = new Map<string, Promise<RelayOutcome>>();
  let keepAliveTimer: ReturnType<typeof setInterval> | undefined;

  const updateKeepAlive = () => {
    if (inFlight.size > 0 && !keepAliveTimer) keepAliveTimer = setInterval(() => void keepAlive(), keepAliveMs);
    if (inFlight.size === 0 && keepAliveTimer) {
      clearInterval(keepAliveTimer);
      keepAliveTimer = undefined;
    }
  };

  async function fetchSource(url: string, candidate: RelayCandidate, init: RequestInit = {}): Promise<Response> {
    const headers = new Headers(init.headers);
    for (const [name, value] of Object.entries(candidate.headers ?? {})) {
      // `Referer` is a forbidden header in fetch; it goes as the `referrer` option instead.
      if (name.toLowerCase() !== 'referer') headers.set(name, value);
    }
    try {
      return await fetchImpl(url, { ...init, headers, credentials: 'include', cache: 'no-store', redirect: 'follow' });
    } catch (err) {
      throw new CandidateError(`Could not reach ${new URL(url).host}: ${(err as Error).message}`);
    }
  }

  /** A wall answered: pass it once in a tab (when the handoff is wired), else give up on this candidate. */
  async function passWall(candidate: RelayCandidate, url: string, passed: Set<string>): Promise<void> {
    if (!passChallenge || passed.has(url))
      throw new CandidateError(`${candidate.label}: the site's check did not clear`);
    passed.add(url);
    await passChallenge(candidate.site, url);
  }

  /** The file URL of a candidate: itself, or the link a countdown page gives once its wait is over. */
  async function resolveFileUrl(candidate: RelayCandidate, passed: Set<string>): Promise<string> {
    if (candidate.kind === 'file') return candidate.url;
    let waitedMs = 0;
    for (let visit = 0; visit < 20; visit++) {
      const res = await fetchSource(candidate.url, candidate);
      const html = await readTextHead(res);
      const step = readCountdownPage(html, res.url || candidate.url, res.status);
      if (step.kind === 'link') return step.url;
      if (step.kind === 'challenge') {
        await passWall(candidate, candidate.url, passed);
        continue;
      }
      if (step.kind === 'wait') {
        if (waitedMs + step.waitMs > maxCountdownMs)
          throw new CandidateError(`${candidate.label}: the wait is too long`);
        waitedMs += step.waitMs;
        await sleep(step.waitMs + 500);
        continue;
      }
      throw new CandidateError(
        step.kind === 'refused'
          ? `${candidate.label}: ${step.reason}`
          : `${candidate.label}: no download link on the page`,
      );
    }
    throw new CandidateError(`${candidate.label}: the page never gave a download link`);
  }

  async function upload(job: RelayJob, start: number, bytes: Uint8Array, total: number) {
    const client = await connection.getClient();
    const res = await client.send(RELAY_PATHS.jobFile(job.id), {
      method: 'PUT',
      headers: {
        'content-type': 'application/octet-stream',
        'content-range': formatContentRange(start, bytes.length, total),
      },
      body: bytes as BodyInit,
      timeoutMs: 120_000,
    });
    const parsed = relayUploadResponse.safeParse(await res.json().catch(() => undefined));
    if (!parsed.success) throw new Error('The companion answered the upload with an unexpected body');
    return parsed.data;
  }

  /** Streams the file from `offset` to the companion; resolves once the companion says the file is complete. */
  async function transfer(
    job: RelayJob,
    candidate: RelayCandidate,
    url: string,
    offset: number,
    passed: Set<string>,
  ): Promise<number> {
    let res = await fetchSource(url, candidate, offset > 0 ? { headers: { range: `bytes=${offset}-` } } : {});
    const type = res.headers.get('content-type') ?? '';
    if (!res.ok || /text\/html/i.test(type)) {
      const body = await readTextHead(res, 200_000).catch(() => '');
      if (detectChallenge({ status: res.status, headers: { server: res.headers.get('server') ?? '' }, body })) {
        await passWall(candidate, url, passed);
        res = await fetchSource(url, candidate, offset > 0 ? { headers: { range: `bytes=${offset}-` } } : {});
        if (!res.ok || /text\/html/i.test(res.headers.get('content-type') ?? '')) {
          await res.body?.cancel().catch(() => undefined);
          throw new CandidateError(`${candidate.label}: the site still refuses the browser (${res.status})`);
        }
      } else {
        throw new CandidateError(`${candidate.label}: the site answered ${res.status} ${type || 'without a file'}`);
      }
    }
    let skip = 0;
    let total: number | undefined;
    if (res.status === 206) {
      const range = parseContentRange(res.headers.get('content-range'));
      if (!range || range.start !== offset) {
        await res.body?.cancel().catch(() => undefined);
        throw new CandidateError(`${candidate.label}: the site sent another range than asked for`);
      }
      total = range.total;
    } else {
      skip = offset;
      const length = Number(res.headers.get('content-length'));
      total = Number.isFinite(length) && res.headers.has('content-length') ? length : undefined;
    }
    total ??= job.expectedBytes ?? undefined;
    if (!res.body) throw new CandidateError(`${candidate.label}: the answer has no body`);

    const reader = res.body.getReader();
    let position = offset;
    let parts: Uint8Array[] = [];
    let buffered = 0;
    /** Uploads `bytes` at `position`; true once the companion has the complete, verified file. */
    const send = async (bytes: Uint8Array): Promise<boolean> => {
      const size = total ?? position + bytes.length;
      const answer = await upload(job, position, bytes, size);
      if (!answer.complete && answer.offset !== position + bytes.length) {
        throw new ResumableError(`The companion holds ${answer.offset} bytes, expected ${position + bytes.length}`);
      }
      position = answer.offset;
      onProgress(job, position, answer.total);
      return answer.complete;
    };
    try {
      for (;;) {
        let chunk: ReadableStreamReadResult<Uint8Array>;
        try {
          chunk = await reader.read();
        } catch (err) {
          throw new ResumableError(`The download broke off at byte ${position + buffered}: ${(err as Error).message}`);
        }
        if (chunk.done) break;
        let bytes = chunk.value;
        if (skip > 0) {
          const dropped = Math.min(skip, bytes.length);
          skip -= dropped;
          bytes = bytes.subarray(dropped);
          if (!bytes.length) continue;
        }
        parts.push(bytes);
        buffered += bytes.length;
        // Without a known size the whole file is collected first: Content-Range needs the total.
        while (total !== undefined && buffered >= chunkBytes) {
          const all = concat(parts, buffered);
          const rest = all.subarray(chunkBytes);
          parts = rest.length ? [rest] : [];
          buffered = rest.length;
          if (await send(all.subarray(0, chunkBytes))) return position;
        }
      }
    } finally {
      await reader.cancel().catch(() => undefined);
    }
    if (total !== undefined && position + buffered < total) {
      throw new ResumableError(`The download ended early at byte ${position + buffered} of ${total}`);
    }
    if (buffered > 0 && (await send(concat(parts, buffered)))) return position;
    throw new ResumableError('The companion did not confirm the complete file');
  }

  async function run(job: RelayJob): Promise<RelayOutcome> {
    const passed = new Set<string>();
    let preferred = 0;
    let lastMessage = 'No candidate URL';
    for (let round = 0; round < maxRounds; round++) {
      const client = await connection.getClient();
      let stored: { offset: number };
      try {
        stored = await client.request(RELAY_PATHS.jobFile(job.id), relayOffset);
      } catch (err) {
        if (!isCompanionError(err) || !['unreachable', 'timeout', 'server-error'].includes(err.reason)) throw err;
        lastMessage = err.message;
        await sleep(Math.min(250 * 2 ** round, 4_000));
        continue;
      }
      const order = [...job.candidates.slice(preferred), ...job.candidates.slice(0, preferred)];
      let resumable = false;
      for (const candidate of order) {
        try {
          const url = await resolveFileUrl(candidate, passed);
          const bytes = await transfer(job, candidate, url, stored.offset, passed);
          connection.report();
          return { status: 'complete', bytes };
        } catch (err) {
          if (isCompanionError(err)) {
            connection.report(err);
            // 422: the complete file had the wrong md5; the job failed and nothing reached the library.
            if (err.status === 422) return { status: 'refused', message: err.message };
            if (err.reason === 'conflict') {
              lastMessage = err.message;
              resumable = true;
              preferred = job.candidates.indexOf(candidate);
              break;
            }
            if (err.status === 404) return { status: 'failed', message: err.message };
            // The companion's connection dropped or it restarts: its stored offset says where to go on.
            if (['unreachable', 'timeout', 'server-error'].includes(err.reason)) {
              lastMessage = err.message;
              resumable = true;
              preferred = job.candidates.indexOf(candidate);
              break;
            }
            throw err;
          }
          lastMessage = (err as Error).message;
          if (err instanceof ResumableError) {
            resumable = true;
            preferred = job.candidates.indexOf(candidate);
            break;
          }
          if (!(err instanceof CandidateError)) throw err;
        }
      }
      if (!resumable) return { status: 'failed', message: lastMessage };
      await sleep(Math.min(250 * 2 ** round, 4_000));
    }
    return { status: 'failed', message: lastMessage };
  }

  return {
    /** Relays one job; a second call for a job already in flight shares the first. */
    relay(job: RelayJob): Promise<RelayOutcome> {
      const pending = inFlight.get(job.id);
      if (pending) return pending;
      const work = run(job).finally(() => {
        inFlight.delete(job.id);
        updateKeepAlive();
      });
      inFlight.set(job.id, work);
      updateKeepAlive();
      return work;
    },
    isBusy: () => inFlight.size > 0,
  };
}

export type RelayDownload = ReturnType<typeof createRelayDownload>;
