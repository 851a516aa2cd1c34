import { Hono } from 'hono';
import { createUserRequest, type UserView } from '../../shared/web-ui-api.js';
import type { AuthVariables } from '../auth/middleware.js';
import type { SessionStore } from '../auth/sessions.js';
import type { UserStore } from '../auth/users.js';
import type { Logger } from '../logger.js';
import { ApiHttpError } from './http-error.js';
import { requireAdmin } from './require-admin.js';

export interface UsersDeps {
  users: UserStore;
  sessions: SessionStore;
  logger: Logger;
}

const toView = ({ id, name, isAdmin, createdAtMs }: UserView): UserView => ({ id, name, isAdmin, createdAtMs });

/** The companion's own users, for an administrator (the web UI's Settings → Users). */
export const usersRoutes = ({ users, sessions, logger }: UsersDeps) =>
  new Hono<{ Variables: AuthVariables }>()
    // GET /api/users
    .get('/users', (c) => {
      requireAdmin(c);
      return c.json({ users: users.list().map(toView) });
    })
    // POST /api/users  {name, password, isAdmin?}
    .post('/users', async (c) => {
      requireAdmin(c);
      const parsed = createUserRequest.safeParse(await c.req.json<unknown>().catch(() => undefined));
      if (!parsed.success) throw new ApiHttpError(400, 'Expected {name, password, isAdmin?}');
      const created = await users.create(parsed.data);
      if (!created.ok) throw new ApiHttpError(400, created.error.detail);
      logger.info('User added', { user: created.user.name });
      return c.json(toView(created.user), 201);
    })
    // DELETE /api/users/:id
    .delete('/users/:id', (c) => {
      requireAdmin(c);
      const id = Number(c.req.param('id'));
      if (!Number.isSafeInteger(id) || id < 1) throw new ApiHttpError(400, 'Expected a user id');
      const principal = c.get('principal');
      if (principal?.kind === 'user' && principal.userId === id) {
        throw new ApiHttpError(409, 'You cannot remove yourself');
      }
      const target = users.get(id);
      if (!target) throw new ApiHttpError(404, 'User not found');
      if (target.isAdmin && users.list().filter((user) => user.isAdmin).length <= 1) {
        throw new ApiHttpError(409, 'The last administrator cannot be removed');
      }
      users.delete(id);
      sessions.destroyForUser(id);
      logger.info('User removed', { user: target.name });
      return c.json({ status: 'removed', id });
    });
