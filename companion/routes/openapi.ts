import { Hono } from 'hono';
import { HIDDEN_BY_HEADER, HIDDEN_RESULTS_HEADER, INCLUDE_HIDDEN_PARAM } from '../../shared/api.js';
import { DOWNLOAD_STATUSES } from '../../shared/download.js';
import { APP_VERSION } from '../../shared/version.js';

const md5Param = {
  name: 'id',
  in: 'query',
  required: true,
  schema: { type: 'string', pattern: '^[0-9a-fA-F]{32}$' },
  description: "Anna's Archive md5 id",
};
const listIdParam = {
  name: 'id',
  in: 'path',
  required: true,
  schema: { type: 'integer', minimum: 0 },
  description: 'A watched shelf id from GET /api/lists',
};
const error = {
  description: 'Error',
  content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
};
const json = (schema: object, description = 'OK') => ({ description, content: { 'application/json': { schema } } });
const book = { $ref: '#/components/schemas/BookInfo' };
const body = (schema: object) => ({ required: true, content: { 'application/json': { schema } } });
const strings = (...names: string[]) => ({
  type: 'object',
  required: names,
  properties: Object.fromEntries(names.map((name) => [name, { type: 'string' }])),
});
const nullable = (schema: { type: string } & Record<string, unknown>) => ({ ...schema, type: [schema.type, 'null'] });
const repeated = (name: string) => ({
  name,
  in: 'query',
  schema: { type: 'array', items: { type: 'string' } },
  explode: true,
});

/** The API description; every path also exists under /request/api (CWA-BD's second prefix). */
export const openapiDocument = {
  openapi: '3.1.0',
  // Relative to where the document was fetched: the companion that served it.
  servers: [{ url: '/', description: 'The companion serving this document' }],
  info: {
    title: 'Bookrelay companion',
    version: APP_VERSION,
    description: 'CWA-BD-compatible REST API. Every /api path is also served under /request/api.',
  },
  components: {
    securitySchemes: { basic: { type: 'http', scheme: 'basic' }, bearer: { type: 'http', scheme: 'bearer' } },
    schemas: {
      Error: {
        type: 'object',
        required: ['error'],
        properties: { error: { type: 'string' }, code: { type: 'string' } },
      },
      BookInfo: {
        type: 'object',
        required: ['id', 'title'],
        properties: {
          ...Object.fromEntries(
            [
              ['id', 'string'],
              ['title', 'string'],
              ['preview', 'string'],
              ['author', 'string'],
              ['publisher', 'string'],
              ['year', 'string'],
              ['language', 'string'],
              ['content', 'string'],
              ['format', 'string'],
              ['size', 'string'],
              ['description', 'string'],
              ['source', 'string'],
              ['source_url', 'string'],
              ['download_path', 'string'],
              ['priority', 'integer'],
              ['progress', 'number'],
              ['status_message', 'string'],
            ].map(([k, t]) => [k, nullable({ type: t as string })]),
          ),
          download_urls: nullable({ type: 'array', items: { type: 'string' } }),
          info: nullable({ type: 'object', additionalProperties: { type: 'array', items: { type: 'string' } } }),
        },
      },
      StatusResponse: {
        type: 'object',
        description:
          'Every item by status (keys in this order), each a map of book id → BookInfo (all fields, nulls included)',
        required: [...DOWNLOAD_STATUSES],
        properties: Object.fromEntries(
          DOWNLOAD_STATUSES.map((status) => [status, { type: 'object', additionalProperties: book }]),
        ),
      },
      EnqueueResponse: {
        type: 'object',
        required: ['status'],
        properties: {
          status: { enum: ['queued', 'already available'] },
          priority: { type: 'integer' },
          book_id: { type: 'string' },
        },
      },
    },
  },
  security: [{ basic: [] }, { bearer: [] }],
  paths: {
    '/api/health': { get: { security: [], summary: 'Liveness', responses: { 200: json({ type: 'object' }) } } },
    '/api/search': {
      get: {
        summary: "Search Anna's Archive",
        parameters: [
          { name: 'query', in: 'query', schema: { type: 'string' } },
          ...['isbn', 'author', 'title', 'lang', 'content', 'format'].map(repeated),
          { name: 'sort', in: 'query', schema: { type: 'string' } },
          {
            name: INCLUDE_HIDDEN_PARAM,
            in: 'query',
            description: 'true lifts the default format/language filters (SUPPORTED_FORMATS, BOOK_LANGUAGE)',
            schema: { type: 'boolean', default: false },
          },
        ],
        responses: {
          200: {
            ...json({ type: 'array', items: book }),
            headers: {
              [HIDDEN_RESULTS_HEADER]: {
                description: 'Results on the first page the default format/language filters hid',
                schema: { type: 'integer', minimum: 0 },
              },
              [HIDDEN_BY_HEADER]: {
                description: 'The same count per filter, e.g. format=2,language=1 (a result can fail both)',
                schema: { type: 'string', pattern: '^format=\\d+,language=\\d+$' },
              },
            },
          },
          400: error,
          502: error,
          503: error,
        },
      },
    },
    '/api/info': {
      get: { summary: 'Book details', parameters: [md5Param], responses: { 200: json(book), 400: error, 404: error } },
    },
    '/api/download': {
      get: {
        summary: 'Queue a book',
        parameters: [md5Param, { name: 'priority', in: 'query', schema: { type: 'integer', default: 0 } }],
        responses: {
          200: json(
            { $ref: '#/components/schemas/EnqueueResponse' },
            "Queued, or 'already available' for a book already placed in the ingest folder (nothing is fetched again)",
          ),
          400: error,
          404: { ...error, description: "Anna's Archive has no record of this md5" },
        },
      },
    },
    '/api/status': {
      get: {
        summary: 'Every item by status',
        responses: { 200: json({ $ref: '#/components/schemas/StatusResponse' }) },
      },
    },
    '/api/localdownload': {
      get: {
        summary: 'The downloaded file',
        parameters: [md5Param],
        responses: { 200: { description: 'File bytes' }, 404: error },
      },
    },
    '/api/download/{id}/cancel': {
      delete: {
        summary: 'Cancel a queued or running download',
        parameters: [{ ...md5Param, in: 'path' }],
        responses: { 200: json({ type: 'object' }), 404: error },
      },
    },
    '/api/queue/{id}/priority': {
      put: {
        summary: 'Change a queued item’s priority',
        parameters: [{ ...md5Param, in: 'path' }],
        requestBody: {
          content: {
            'application/json': { schema: { type: 'object', properties: { priority: { type: 'integer' } } } },
          },
        },
        responses: { 200: json({ type: 'object' }), 400: error, 404: error },
      },
    },
    '/api/queue/reorder': {
      post: {
        summary: 'Set many priorities',
        requestBody: {
          content: {
            'application/json': {
              schema: {
                type: 'object',
                properties: { book_priorities: { type: 'object', additionalProperties: { type: 'integer' } } },
              },
            },
          },
        },
        responses: { 200: json({ type: 'object' }), 400: error },
      },
    },
    '/api/queue/order': { get: { summary: 'Queued items in order', responses: { 200: json({ type: 'object' }) } } },
    '/api/queue/items': {
      get: {
        summary: 'The Bookrelay queue view, as /api/events streams it (for polling clients)',
        responses: { 200: json({ type: 'object' }) },
      },
    },
    '/api/downloads/active': { get: { summary: 'Ids being downloaded', responses: { 200: json({ type: 'object' }) } } },
    '/api/queue/clear': {
      delete: { summary: 'Remove done, error and cancelled items', responses: { 200: json({ type: 'object' }) } },
    },
    '/api/events': {
      get: {
        summary: 'Server-Sent Events: snapshot, item, removed, progress, clearance-needed, relay-needed',
        responses: { 200: { description: 'text/event-stream' } },
      },
    },
    '/api/clearance': {
      post: {
        summary: 'Hand over cookies + the exact User-Agent that earned them (the extension); waiting downloads resume',
        requestBody: {
          content: {
            'application/json': {
              schema: {
                type: 'object',
                required: ['site', 'cookies', 'userAgent'],
                properties: {
                  site: { type: 'string' },
                  userAgent: { type: 'string' },
                  cookies: { type: 'array', items: { type: 'object', required: ['name', 'value'] } },
                  clientHints: { type: 'object', additionalProperties: { type: 'string' } },
                },
              },
            },
          },
        },
        responses: { 200: json({ type: 'object' }), 400: error },
      },
      get: {
        summary: 'Per-site clearance diagnostics: which bypass path worked last (never cookie values)',
        responses: { 200: json({ type: 'object' }) },
      },
    },
    '/api/clearance/requests': {
      get: {
        summary:
          'Pending clearance requests (site, url, requestedAtMs, expiresAtMs, needsHuman, challenge, itemIds): the extension polls this when it missed the SSE event',
        responses: { 200: json({ type: 'object', properties: { requests: { type: 'array' } } }) },
      },
    },
    '/api/jobs/relay': {
      get: {
        summary:
          'Jobs waiting for the browser to fetch the file (browser download relay): id, title, format, expectedBytes, candidates [{url, kind: file|countdown-page, label, site}], offset, reason',
        responses: { 200: json({ type: 'object', properties: { jobs: { type: 'array' } } }) },
      },
    },
    '/api/jobs': {
      get: {
        summary: 'The same relay job list with state=needs-relay',
        parameters: [{ name: 'state', in: 'query', required: true, schema: { type: 'string', enum: ['needs-relay'] } }],
        responses: { 200: json({ type: 'object' }), 400: error },
      },
    },
    '/api/jobs/{id}/file': {
      get: {
        summary: 'Where an interrupted relay upload resumes: {offset, total}',
        parameters: [{ ...md5Param, in: 'path' }],
        responses: { 200: json({ type: 'object' }), 400: error, 404: error, 409: error },
      },
      put: {
        summary:
          'Append one chunk of the relayed file (raw body, Content-Range: bytes START-END/TOTAL, at most 8 MiB); the last byte is md5-checked and placed in the library',
        parameters: [
          { ...md5Param, in: 'path' },
          { name: 'Content-Range', in: 'header', required: true, schema: { type: 'string' } },
        ],
        requestBody: { content: { 'application/octet-stream': { schema: { type: 'string', format: 'binary' } } } },
        responses: {
          200: json({
            type: 'object',
            properties: { offset: { type: 'integer' }, total: { type: 'integer' }, complete: { type: 'boolean' } },
          }),
          400: error,
          401: error,
          404: error,
          409: json(
            { type: 'object', properties: { error: { type: 'string' }, offset: { type: 'integer' } } },
            'Not waiting for an upload, or the chunk does not start at offset',
          ),
          413: error,
          422: error,
        },
      },
    },
    '/api/auth/login': {
      post: {
        security: [],
        summary: 'Web UI sign-in (session cookie)',
        requestBody: body(strings('username', 'password')),
        responses: { 200: json({ type: 'object' }), 401: error, 429: error },
      },
    },
    '/api/auth/logout': {
      post: { security: [], summary: 'End the session', responses: { 200: json({ type: 'object' }) } },
    },
    '/api/auth/check': {
      get: { summary: 'Who am I, is auth on', responses: { 200: json({ type: 'object' }), 401: error } },
    },
    '/api/auth/tokens': {
      get: { summary: 'API and device tokens (no secrets)', responses: { 200: json({ type: 'object' }) } },
      post: {
        summary: 'Create a named API token; the secret is returned once',
        requestBody: body({
          ...strings('name'),
          properties: { name: { type: 'string', minLength: 1, maxLength: 100 } },
        }),
        responses: { 201: json({ type: 'object' }), 400: error },
      },
    },
    '/api/auth/tokens/{id}': {
      delete: {
        summary: 'Revoke a token (`current`: the token making the request)',
        parameters: [
          {
            name: 'id',
            in: 'path',
            required: true,
            description: 'A token id from GET /api/auth/tokens, or `current`',
            schema: { type: 'string', pattern: '^([1-9][0-9]*|current)$' },
          },
        ],
        responses: { 200: json({ type: 'object' }), 400: error, 404: error },
      },
    },
    '/api/auth/password': {
      post: {
        summary: 'Change the signed-in user’s password',
        requestBody: body(strings('currentPassword', 'newPassword')),
        responses: { 200: json({ type: 'object' }), 400: error },
      },
    },
    '/api/auth/pairing-codes': {
      post: { summary: 'A one-time code for pairing the extension', responses: { 201: json({ type: 'object' }) } },
    },
    '/api/pair': {
      post: {
        security: [],
        summary: 'Redeem a pairing code for a device token',
        requestBody: body({
          type: 'object',
          required: ['code', 'deviceName'],
          properties: {
            code: { type: 'string', minLength: 1, maxLength: 32 },
            deviceName: { type: 'string', minLength: 1, maxLength: 100 },
          },
        }),
        responses: {
          200: json({
            type: 'object',
            required: ['token', 'id', 'name'],
            properties: { token: { type: 'string' }, id: { type: 'integer' }, name: { type: 'string' } },
          }),
          400: error,
          401: error,
          429: error,
        },
      },
    },
    '/api/diagnostics/mirrors': {
      get: {
        summary: 'Which configured mirrors answer and which are parked, with each one’s search path (read-only)',
        responses: {
          200: json({
            type: 'object',
            required: ['mirrors'],
            properties: {
              mirrors: {
                type: 'array',
                items: {
                  type: 'object',
                  required: ['site', 'url', 'state', 'searchPath', 'inUse'],
                  properties: {
                    site: { type: 'string' },
                    url: { type: 'string' },
                    state: { enum: ['ok', 'parked'] },
                    searchPath: { type: ['string', 'null'] },
                    inUse: { type: 'boolean' },
                    parkedUntil: { type: 'integer', description: 'epoch ms' },
                    lastError: { type: 'string' },
                  },
                },
              },
            },
          }),
        },
      },
    },
    // The web UI's routes.
    '/api/queue/{id}/retry': {
      post: {
        summary: 'Queue a failed or cancelled item again',
        parameters: [{ ...md5Param, in: 'path' }],
        responses: { 200: json({ type: 'object' }), 404: error, 409: error },
      },
    },
    '/api/queue/{id}': {
      delete: {
        summary: 'Remove a finished, failed or cancelled item',
        parameters: [{ ...md5Param, in: 'path' }],
        responses: { 200: json({ type: 'object' }), 404: error, 409: error },
      },
    },
    '/api/covers/{id}': {
      get: {
        summary: 'Cover of a book seen in search results (cached; never other URLs)',
        parameters: [{ ...md5Param, in: 'path' }],
        responses: { 200: { description: 'JPEG, PNG, GIF or WebP' }, 404: error },
      },
    },
    '/api/settings/config': {
      get: {
        summary: 'Effective configuration, secrets masked (admins)',
        responses: { 200: json({ type: 'object' }), 403: error },
      },
    },
    '/api/settings/disk': {
      get: { summary: 'Free space in the ingest folder', responses: { 200: json({ type: 'object' }) } },
    },
    '/api/users': {
      get: { summary: 'Users (admins)', responses: { 200: json({ type: 'object' }), 403: error } },
      post: {
        summary: 'Add a user {name, password, isAdmin?} (admins)',
        responses: { 201: json({ type: 'object' }), 400: error, 403: error },
      },
    },
    '/api/users/{id}': {
      delete: {
        summary: 'Remove a user (admins; never yourself or the last admin)',
        parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'integer', minimum: 1 } }],
        responses: { 200: json({ type: 'object' }), 403: error, 404: error, 409: error },
      },
    },
    // Watched shelves (issue 18).
    '/api/lists': {
      get: { summary: 'Watched shelves (tokens never returned)', responses: { 200: json({ type: 'object' }) } },
      post: {
        summary: 'Watch a shelf by its page URL (Goodreads, StoryGraph, Hardcover, Open Library)',
        requestBody: body({
          type: 'object',
          required: ['url'],
          properties: {
            url: { type: 'string', minLength: 1, maxLength: 2000 },
            title: { type: 'string', maxLength: 200 },
            token: { type: 'string', minLength: 1, maxLength: 4000, description: 'Hardcover API token' },
            queueExisting: { type: 'boolean' },
          },
        }),
        responses: { 200: json({ type: 'object' }, 'Already watched'), 201: json({ type: 'object' }), 400: error },
      },
    },
    '/api/lists/{id}': {
      parameters: [listIdParam],
      patch: {
        summary: 'Pause/resume, rename, or set/clear (null) the Hardcover token',
        requestBody: body({
          type: 'object',
          properties: {
            paused: { type: 'boolean' },
            title: { type: 'string', maxLength: 200 },
            token: { type: ['string', 'null'], maxLength: 4000 },
          },
        }),
        responses: { 200: json({ type: 'object' }), 400: error, 404: error },
      },
      delete: {
        summary: 'Stop watching a shelf',
        responses: { 200: json({ type: 'object' }), 400: error, 404: error },
      },
    },
    '/api/lists/{id}/check': {
      parameters: [listIdParam],
      post: {
        summary: 'Check a shelf now; 409 for a shelf only the browser extension reads',
        responses: { 200: json({ type: 'object' }), 400: error, 404: error, 409: error },
      },
    },
    '/api/lists/{id}/entries': {
      parameters: [listIdParam],
      post: {
        summary: 'What the extension read on the shelf page {entries}',
        requestBody: body({ type: 'object', required: ['entries'], properties: { entries: { type: 'array' } } }),
        responses: { 200: json({ type: 'object' }), 400: error, 404: error },
      },
    },
    '/api/lists/{id}/runs': {
      parameters: [listIdParam],
      get: {
        summary: 'The shelf’s last checks: what was queued, skipped, or found no good match',
        responses: { 200: json({ type: 'object' }), 400: error, 404: error },
      },
    },
    '/api/openapi.json': { get: { summary: 'This document', responses: { 200: json({ type: 'object' }) } } },
  },
} as const;

export const openapiRoutes = () =>
  new Hono()
    // GET /api/openapi.json
    .get('/openapi.json', (c) => c.json(openapiDocument));
