/** Paths and header names the web UI uses (no schemas here: the page bundle stays free of zod). */

/** `GET /api/covers/:md5`: a cover image of a book the companion saw in Anna's Archive results. */
export const coverPath = (md5: string) => `/covers/${encodeURIComponent(md5)}`;

/** Response headers of `GET /api/search` saying how many results the default format/language filters hid. */
export const HIDDEN_RESULTS_HEADER = 'X-Hidden-Results';
export const HIDDEN_BY_HEADER = 'X-Hidden-By';
