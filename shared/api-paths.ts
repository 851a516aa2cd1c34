/** Paths of the companion API the extension calls (all under `/api`). */
export const API_PATHS = {
  ping: '/api/ping',
  pair: '/api/pair',
  search: '/api/search',
  download: '/api/download',
  status: '/api/status',
  events: '/api/events',
  clearance: '/api/clearance',
  cancel: (id: string) => `/api/download/${encodeURIComponent(id)}/cancel`,
} as const;
