import { Hono } from 'hono';
import type { ApiErrorCode } from '../../shared/errors.js';
import { isCompanionError } from '../errors.js';
import type { ClearanceRequests } from '../relay/clearance-requests.js';
import { parseContentRange } from '../relay/parse-content-range.js';
import {
  RelayChecksumError,
  RelayJobUnknownError,
  RelayNotWaitingError,
  RelayOffsetError,
  RelayRangeError,
  RelayTooLargeError,
} from '../relay/relay-errors.js';
import type { RelayJobs } from '../relay/relay-jobs.js';
import { ApiHttpError } from './http-error.js';

export interface RelayRouteDeps {
  relay: RelayJobs;
  clearanceRequests: ClearanceRequests;
}

/** Maps the relay's errors to their HTTP answers; anything else goes to the app's error handler. */
function toHttp(
  err: unknown,
): { status: 400 | 404 | 409 | 413 | 422; body: { error: string; code: ApiErrorCode; offset?: number } } | undefined {
  if (!(err instanceof Error)) return undefined;
  if (isCompanionError(err, RelayOffsetError)) {
    return { status: 409, body: { error: err.message, code: 'conflict', offset: err.offset } };
  }
  if (isCompanionError(err, RelayJobUnknownError))
    return { status: 404, body: { error: err.message, code: 'not-found' } };
  if (isCompanionError(err, RelayNotWaitingError))
    return { status: 409, body: { error: err.message, code: 'conflict' } };
  if (isCompanionError(err, RelayTooLargeError))
    return { status: 413, body: { error: err.message, code: 'bad-request' } };
  if (isCompanionError(err, RelayRangeError)) return { status: 400, body: { error: err.message, code: 'bad-request' } };
  if (isCompanionError(err, RelayChecksumError))
    return { status: 422, body: { error: err.message, code: 'bad-request' } };
  return undefined;
}

const MD5 = /^[0-9a-f]{32}$/i;

function readId(id: string): string {
  if (!MD5.test(id))
    throw new ApiHttpError(400, `Expected a 32-character md5 as the job id, got ${JSON.stringify(id.slice(0, 64))}`);
  return id.toLowerCase();
}

/**
 * The browser hand-off: pending clearance requests (the extension's alarm poll) and the download relay
 * (`GET /api/jobs/relay`, `GET|PUT /api/jobs/:id/file`). Routes only parse and answer; `relay/` does the work.
 */
export const relayRoutes = ({ relay, clearanceRequests }: RelayRouteDeps) =>
  new Hono()
    // GET /api/clearance/requests
    .get('/clearance/requests', (c) => {
      clearanceRequests.notePoll();
      return c.json({ requests: clearanceRequests.list() });
    })
    // GET /api/jobs/relay
    .get('/jobs/relay', async (c) => c.json({ jobs: await relay.list() }))
    // GET /api/jobs?state=needs-relay (the same list; other states are the queue's own routes)
    .get('/jobs', async (c) => {
      const state = c.req.query('state');
      if (state !== 'needs-relay') {
        throw new ApiHttpError(400, `Expected state=needs-relay, got ${JSON.stringify(state ?? '')}`);
      }
      return c.json({ jobs: await relay.list() });
    })
    // GET /api/jobs/:id/file → {offset, total}
    .get('/jobs/:id/file', async (c) => {
      try {
        return c.json(await relay.offset(readId(c.req.param('id'))));
      } catch (err) {
        const mapped = toHttp(err);
        if (!mapped) throw err;
        return c.json(mapped.body, mapped.status);
      }
    })
    // PUT /api/jobs/:id/file, Content-Range: bytes START-END/TOTAL, raw body
    .put('/jobs/:id/file', async (c) => {
      const id = readId(c.req.param('id'));
      const range = parseContentRange(c.req.header('content-range'));
      if (!range.ok) throw new ApiHttpError(400, range.error);
      const lengthHeader = c.req.header('content-length');
      const contentLength = lengthHeader && /^\d+$/.test(lengthHeader) ? Number(lengthHeader) : undefined;
      try {
        return c.json(
          await relay.receive(id, range.value, c.req.raw.body as AsyncIterable<Uint8Array> | null, contentLength),
        );
      } catch (err) {
        const mapped = toHttp(err);
        if (!mapped) throw err;
        // Unread bytes of a refused chunk are dropped with the connection rather than read.
        if (mapped.status === 413) c.header('connection', 'close');
        return c.json(mapped.body, mapped.status);
      }
    });
