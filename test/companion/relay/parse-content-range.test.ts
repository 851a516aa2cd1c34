import { describe, expect, it } from 'vitest';
import { parseContentRange } from '../../../companion/relay/parse-content-range.js';
import { formatContentRange } from '../../../shared/relay-api.js';

describe('parseContentRange', () => {
  it('reads bytes START-END/TOTAL', () => {
    expect(parseContentRange('bytes 0-99/1000')).toEqual({ ok: true, value: { start: 0, end: 99, total: 1000 } });
    expect(parseContentRange(' Bytes 900-999/1000 ')).toEqual({
      ok: true,
      value: { start: 900, end: 999, total: 1000 },
    });
    expect(parseContentRange(formatContentRange(5, 10, 20))).toEqual({
      ok: true,
      value: { start: 5, end: 14, total: 20 },
    });
  });

  it.each([
    undefined,
    '',
    'bytes=0-99',
    'bytes 0-99/*',
    'bytes */1000',
    'bytes 99-0/1000',
    'bytes 0-0/0',
    'bytes -1-5/10',
    'bytes 0-99/1000, 100-199/1000',
    `bytes 0-1/${'9'.repeat(20)}`,
  ])('refuses %j', (value) => {
    const result = parseContentRange(value);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error).toMatch(/^Expected/);
  });
});
