import { Hono } from 'hono';
import {
  createListRequest,
  type ListsResponse,
  type ListView,
  patchListRequest,
  postEntriesRequest,
  type RunsResponse,
} from '../../shared/lists-api.js';
import { NOT_A_SHELF_URL, parseShelfUrl } from '../../shared/shelf-url.js';
import { checkModeOf } from '../lists/fetch-shelf.js';
import type { ListService } from '../lists/list-service.js';
import type { ListStore, WatchedList } from '../lists/store.js';
import type { Logger } from '../logger.js';
import { ApiHttpError } from './http-error.js';

export interface ListRouteDeps {
  lists: ListStore;
  service: ListService;
  logger: Logger;
}

type Schema<T> = { safeParse(data: unknown): { success: true; data: T } | { success: false; error: unknown } };

/** Parses a JSON body with a shared schema; a malformed or oversized body is a 400, never a crash. */
async function readBody<T>(request: Request, schema: Schema<T>): Promise<T> {
  const body = await request.json().catch(() => undefined);
  const parsed = schema.safeParse(body);
  if (!parsed.success) throw new ApiHttpError(400, 'Invalid request body');
  return parsed.data;
}

function readId(value: string): number {
  if (!/^\d{1,9}$/.test(value)) throw new ApiHttpError(400, 'Invalid list id');
  return Number(value);
}

/**
 * Watched shelves (`/api/lists`): add a shelf by its page URL, pause/rename/remove it, check it now, post what the
 * extension read on the page, and read what each check did. The Hardcover token is accepted, never returned.
 */
export function listsRoutes({ lists, service, logger }: ListRouteDeps) {
  const view = (list: WatchedList): ListView => lists.view(list, checkModeOf(list));
  const found = (id: number): WatchedList => {
    const list = lists.get(id);
    if (!list) throw new ApiHttpError(404, 'List not found');
    return list;
  };

  return (
    new Hono()
      // GET /api/lists
      .get('/lists', (c) => c.json({ lists: lists.all().map(view) } satisfies ListsResponse))
      // POST /api/lists
      .post('/lists', async (c) => {
        const body = await readBody(c.req.raw, createListRequest);
        const ref = parseShelfUrl(body.url);
        if (!ref) throw new ApiHttpError(400, NOT_A_SHELF_URL);
        const { list, created } = lists.add(ref, {
          title: body.title?.trim() || `${ref.site} ${ref.shelf} (${ref.user})`,
          token: body.token ?? null,
          queueExisting: body.queueExisting ?? false,
        });
        if (created) {
          logger.info('Watching a shelf', { list: list.id, site: list.site, shelf: list.shelf });
          // The first check reads the shelf as it is now (the baseline) without holding up the answer.
          if (checkModeOf(list) === 'companion') service.check(list.id, 'manual').catch(() => undefined);
        }
        return c.json(view(list), created ? 201 : 200);
      })
      // PATCH /api/lists/:id
      .patch('/lists/:id', async (c) => {
        const id = readId(c.req.param('id'));
        found(id);
        const body = await readBody(c.req.raw, patchListRequest);
        return c.json(view(lists.update(id, body) as WatchedList));
      })
      // DELETE /api/lists/:id
      .delete('/lists/:id', (c) => {
        const id = readId(c.req.param('id'));
        if (!lists.remove(id)) throw new ApiHttpError(404, 'List not found');
        return c.json({ status: 'removed', id });
      })
      // POST /api/lists/:id/check
      .post('/lists/:id/check', async (c) => {
        const id = readId(c.req.param('id'));
        const list = found(id);
        if (checkModeOf(list) !== 'companion') {
          throw new ApiHttpError(409, 'This shelf is read by the browser extension: post its entries instead');
        }
        return c.json(await service.check(id, 'manual'));
      })
      // POST /api/lists/:id/entries
      .post('/lists/:id/entries', async (c) => {
        const id = readId(c.req.param('id'));
        found(id);
        const { entries } = await readBody(c.req.raw, postEntriesRequest);
        return c.json(await service.check(id, 'extension', entries));
      })
      // GET /api/lists/:id/runs
      .get('/lists/:id/runs', (c) => {
        const id = readId(c.req.param('id'));
        found(id);
        return c.json({ runs: lists.runs(id) } satisfies RunsResponse);
      })
  );
}
