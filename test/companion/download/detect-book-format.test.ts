import { readdirSync } from 'node:fs';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { chooseBookFormat, formatFromSignature } from '../../../companion/download/detect-book-format.js';
import { startTestCompanion, type TestCompanion, waitFor } from '../../helpers/test-companion.js';
import { startWorld, type World } from '../../world/start-world.js';

const latin1 = (text: string) => Buffer.from(text, 'latin1');

function epubHead(): Buffer {
  const head = Buffer.alloc(58);
  head.write('PK\x03\x04', 0, 'latin1');
  head.write('mimetypeapplication/epub+zip', 30, 'latin1');
  return head;
}

function mobiHead(version: number): Buffer {
  const head = Buffer.alloc(400);
  head.write('BOOKMOBI', 60, 'latin1');
  head.writeUInt32BE(200, 78); // record 0
  head.write('MOBI', 216, 'latin1');
  head.writeUInt32BE(version, 236);
  return head;
}

describe('formatFromSignature', () => {
  it.each([
    ['epub', epubHead()],
    ['zip', latin1('PK\x03\x04\x14\x00\x00\x00')],
    ['rar', latin1('Rar!\x1a\x07\x01\x00')],
    ['pdf', latin1('%PDF-1.4\n')],
    ['djvu', latin1('AT&TFORM\x00\x00')],
    ['mobi', mobiHead(6)],
    ['azw3', mobiHead(8)],
    ['fb2', latin1('\xef\xbb\xbf<?xml version="1.0" encoding="utf-8"?>\n<FictionBook xmlns="x">')],
  ])('reads %s', (format, head) => {
    expect(formatFromSignature(head)).toBe(format);
  });

  it('names nothing for bytes it does not know', () => {
    expect(formatFromSignature(latin1('just some text'))).toBeUndefined();
    expect(formatFromSignature(Buffer.alloc(0))).toBeUndefined();
  });
});

describe('chooseBookFormat', () => {
  const random = latin1('\x13\x37random bytes');

  it('never answers nothing when the link, the headers or the bytes name a known format', () => {
    expect(chooseBookFormat(epubHead(), null)).toBe('epub');
    expect(chooseBookFormat(random, null, { url: 'https://p.example/file/x/Frankenstein%20-%20Shelley.pdf' })).toBe(
      'pdf',
    );
    expect(chooseBookFormat(random, null, { contentType: 'application/epub+zip; charset=binary' })).toBe('epub');
    expect(chooseBookFormat(random, null, { contentDisposition: 'attachment; filename="abc.mobi"' })).toBe('mobi');
    expect(chooseBookFormat(random, null, { contentDisposition: "attachment; filename*=UTF-8''Le%20Livre.fb2" })).toBe(
      'fb2',
    );
    expect(chooseBookFormat(random, null, { url: 'https://p.example/get.php?md5=abc' })).toBeUndefined();
  });

  it('the bytes decide the family, the record page picks within it', () => {
    expect(chooseBookFormat(mobiHead(6), 'azw3')).toBe('azw3');
    expect(chooseBookFormat(mobiHead(6), null)).toBe('mobi');
    expect(chooseBookFormat(latin1('PK\x03\x04'), null)).toBe('cbz');
    expect(chooseBookFormat(latin1('PK\x03\x04'), 'zip')).toBe('zip');
    expect(chooseBookFormat(latin1('Rar!\x1a\x07\x00'), null)).toBe('cbr');
    // A verified file is what it is, whatever a wrong hint says.
    expect(chooseBookFormat(latin1('%PDF-1.7'), 'epub', { contentType: 'application/epub+zip' })).toBe('pdf');
    expect(chooseBookFormat(random, 'EPUB')).toBe('epub');
    expect(chooseBookFormat(random, 'exe', { url: 'https://p.example/x.exe' })).toBeUndefined();
  });
});

describe("a member's book whose record page was never read", () => {
  let world: World;
  let t: TestCompanion | undefined;

  beforeAll(async () => {
    world = await startWorld({ countdownSeconds: 0 });
  });
  afterAll(() => world.close());
  afterEach(async () => {
    await t?.close();
    t = undefined;
  });

  it.each(['epub', 'pdf'])('lands as <md5>.%s, not .bin (fast download, gated record page)', async (format) => {
    const book = world.books.find((b) => b.format === format);
    if (!book) throw new Error(`Expected a ${format} book in the world`);
    // DDoS-Guard in front of the record pages; the member API is not challenged.
    world.gates.protect({ origin: 'aa', pathPrefix: '/md5/', kind: 'ddos-guard' });
    try {
      t = await startTestCompanion(world, { env: { AA_DONATOR_KEY: 'world-donator-key' } });
      // Queued as a client does while AA cannot be asked: an id and a title, no format.
      t.companion.store.enqueue({ id: book.md5, title: book.title }, 0);
      t.companion.runner.wake();
      const store = t.companion.store;
      const item = await waitFor(
        () => (store.get(book.md5)?.status === 'available' ? store.get(book.md5) : undefined),
        'placed',
      );
      expect(item.downloadPath?.endsWith(`${book.md5}.${format}`)).toBe(true);
      expect(readdirSync(t.ingestDir)).toEqual([`${book.md5}.${format}`]);
      expect(world.counters.count({ origin: 'aa', pathPrefix: '/md5/', status: 200 })).toBe(0);
    } finally {
      world.gates.unprotect();
    }
  });
});
