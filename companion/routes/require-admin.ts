import type { Context } from 'hono';
import type { AuthVariables } from '../auth/middleware.js';
import { ApiHttpError } from './http-error.js';

/**
 * Admin-only routes: an admin user's session or Basic auth, or open mode (no auth configured, the principal is
 * anonymous and the companion is local-only). Device and API tokens are refused.
 */
export function requireAdmin(c: Context<{ Variables: AuthVariables }>): void {
  const principal = c.get('principal');
  if (!principal || principal.kind === 'anonymous') return;
  if (principal.kind === 'user' && principal.isAdmin) return;
  throw new ApiHttpError(403, 'Only an administrator can do this', 'forbidden');
}
