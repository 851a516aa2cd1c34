/** A request's `Content-Range: bytes START-END/TOTAL` (END inclusive). */
export interface ContentRange {
  start: number;
  end: number;
  total: number;
}

/**
 * Reads an upload's `Content-Range`. Only the complete form with a known total is accepted (`*` totals and
 * unsatisfied ranges are not an upload); returns an error message for anything else.
 */
export function parseContentRange(
  value: string | undefined,
): { ok: true; value: ContentRange } | { ok: false; error: string } {
  if (!value) return { ok: false, error: 'Expected a Content-Range header (bytes START-END/TOTAL)' };
  const match = /^\s*bytes\s+(\d{1,15})-(\d{1,15})\/(\d{1,15})\s*$/i.exec(value);
  if (!match)
    return {
      ok: false,
      error: `Expected Content-Range as bytes START-END/TOTAL, got ${JSON.stringify(value.slice(0, 80))}`,
    };
  const [start, end, total] = [Number(match[1]), Number(match[2]), Number(match[3])];
  if (end < start) return { ok: false, error: `Expected the range end (${end}) not before its start (${start})` };
  if (total === 0) return { ok: false, error: 'Expected a total size above 0' };
  return { ok: true, value: { start, end, total } };
}
