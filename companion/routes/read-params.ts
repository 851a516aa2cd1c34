import { isMd5 } from '../../shared/book.js';
import { ApiHttpError } from './http-error.js';

const MAX_PARAM_LENGTH = 512;

/** The `id` query/path value as a lower-case md5, or a 400 with CWA-BD's messages. */
export function readBookId(value: string | undefined): string {
  if (value === undefined || value.trim() === '') throw new ApiHttpError(400, 'No book ID provided');
  const id = value.trim().toLowerCase();
  if (!isMd5(id)) throw new ApiHttpError(400, 'Invalid book ID: expected 32 hexadecimal characters');
  return id;
}

/** A whole-number priority from a query string or JSON (number or numeric string), within ±1e9. */
export function readPriority(value: unknown, message = 'Invalid priority value'): number {
  if (value === undefined || value === null || value === '') return 0;
  const parsed =
    typeof value === 'number' ? value : typeof value === 'string' && /^\s*-?\d+\s*$/.test(value) ? Number(value) : NaN;
  if (!Number.isSafeInteger(parsed) || Math.abs(parsed) > 1e9) throw new ApiHttpError(400, message);
  return parsed;
}

/** Repeated query values, trimmed, bounded in count and length. */
export function readList(values: string[] | undefined, name: string): string[] {
  const list = (values ?? []).map((v) => v.trim()).filter(Boolean);
  if (list.length > 20) throw new ApiHttpError(400, `Too many values for ${name} (at most 20)`);
  for (const v of list) {
    if (v.length > MAX_PARAM_LENGTH)
      throw new ApiHttpError(400, `Value of ${name} is too long (at most ${MAX_PARAM_LENGTH})`);
    if (v.includes('\u0000')) throw new ApiHttpError(400, `Value of ${name} contains a null byte`);
  }
  return list;
}

/** A single optional query value, bounded. */
export function readOne(value: string | undefined, name: string): string | undefined {
  return readList(value === undefined ? [] : [value], name)[0];
}

/** An optional boolean query value: `true`/`1`/`yes` or `false`/`0`/`no` (absent or empty: false); else a 400. */
export function readFlag(value: string | undefined, name: string): boolean {
  const text = value?.trim().toLowerCase() ?? '';
  if (text === '' || text === 'false' || text === '0' || text === 'no') return false;
  if (text === 'true' || text === '1' || text === 'yes') return true;
  throw new ApiHttpError(400, `Invalid value for ${name}: expected true or false`);
}
