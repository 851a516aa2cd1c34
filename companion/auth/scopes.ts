import type { Principal } from './middleware.js';
import type { UserStore } from './users.js';

/**
 * How far a caller may administer credentials (API tokens, paired devices, pairing codes):
 * - `all`: every token — open mode, admins, and API tokens of an admin (or of no user);
 * - `own`: only the caller's own tokens — signed-in users who are not admins, and their API tokens;
 * - `none`: nothing — a paired browser's device token, which may search, queue, read status and events, hand over
 *   clearance and upload relay files, and revoke only itself (`DELETE /api/auth/tokens/current`).
 */
export type AuthRights = 'all' | 'own' | 'none';

export function authRightsOf(principal: Principal | undefined, users: Pick<UserStore, 'get'>): AuthRights {
  if (!principal || principal.kind === 'anonymous') return 'all';
  if (principal.kind === 'user') return principal.isAdmin ? 'all' : 'own';
  if (principal.tokenKind === 'device') return 'none';
  if (principal.userId === null) return 'all';
  return users.get(principal.userId)?.isAdmin ? 'all' : 'own';
}
