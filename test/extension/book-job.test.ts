import { describe, expect, it } from 'vitest';
import { createBookJobParser } from '../../extension/lib/book-job.js';

const md5 = 'bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb';
const empty = { available: {}, cancelled: {}, done: {}, downloading: {}, error: {}, queued: {} };

describe('createBookJobParser (GET /api/status)', () => {
  it('finds the md5 under its status with progress and message', () => {
    const answer = { ...empty, downloading: { [md5]: { id: md5, progress: 37.5, status_message: 'partner' } } };
    expect(createBookJobParser(md5).safeParse(answer)).toEqual({
      success: true,
      data: { md5, status: 'downloading', progress: 37.5, message: 'partner' },
    });
    const failed = { ...empty, error: { [md5]: { id: md5, progress: null, status_message: 'md5 mismatch' } } };
    expect(createBookJobParser(md5).safeParse(failed)).toMatchObject({
      data: { status: 'error', message: 'md5 mismatch' },
    });
  });

  it('an md5 the companion does not list is unknown; a malformed answer fails the parse', () => {
    expect(createBookJobParser(md5).safeParse(empty)).toMatchObject({ success: true, data: { status: 'unknown' } });
    expect(createBookJobParser(md5).safeParse('nope').success).toBe(false);
    expect(createBookJobParser(md5).safeParse({ done: { [md5]: 'x' } })).toMatchObject({ data: { status: 'unknown' } });
  });
});
