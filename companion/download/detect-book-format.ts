import { open } from 'node:fs/promises';

/** Book formats a file name may end in (CWA imports by extension). */
const KNOWN = new Set(['epub', 'pdf', 'mobi', 'azw3', 'azw', 'prc', 'fb2', 'djvu', 'cbz', 'cbr', 'cb7', 'zip', 'rar']);
const MOBI_FAMILY = new Set(['mobi', 'azw3', 'azw', 'prc']);
const ZIP_FAMILY = new Set(['cbz', 'zip']);
const RAR_FAMILY = new Set(['cbr', 'rar']);

const CONTENT_TYPES: Record<string, string> = {
  'application/epub+zip': 'epub',
  'application/pdf': 'pdf',
  'application/x-pdf': 'pdf',
  'application/x-mobipocket-ebook': 'mobi',
  'application/x-mobi8-ebook': 'azw3',
  'application/vnd.amazon.ebook': 'azw3',
  'application/vnd.amazon.mobi8-ebook': 'azw3',
  'image/vnd.djvu': 'djvu',
  'image/x-djvu': 'djvu',
  'application/x-fictionbook+xml': 'fb2',
  'application/x-fictionbook': 'fb2',
  'application/vnd.comicbook+zip': 'cbz',
  'application/x-cbz': 'cbz',
  'application/vnd.comicbook-rar': 'cbr',
  'application/x-cbr': 'cbr',
};

/** What the transfer said about the file besides its bytes. */
export interface FormatHints {
  /** The URL the bytes came from (its last path segment may end in `.epub`). */
  url?: string;
  contentType?: string;
  contentDisposition?: string;
}

function known(ext: string | null | undefined): string | undefined {
  const value = (ext ?? '').toLowerCase().replace(/^\./, '');
  return KNOWN.has(value) ? value : undefined;
}

function extOf(name: string): string | undefined {
  return known(/\.([a-z0-9]{1,8})$/i.exec(name.trim())?.[1]);
}

function fromUrl(url: string | undefined): string | undefined {
  if (!url) return undefined;
  try {
    const last = new URL(url).pathname.split('/').pop() ?? '';
    return extOf(decodeURIComponent(last));
  } catch {
    return undefined;
  }
}

function fromDisposition(value: string | undefined): string | undefined {
  if (!value) return undefined;
  const star = /filename\*\s*=\s*[^']*'[^']*'([^;]+)/i.exec(value)?.[1];
  if (star) {
    try {
      const ext = extOf(decodeURIComponent(star));
      if (ext) return ext;
    } catch {
      // A malformed escape: fall through to the plain name.
    }
  }
  const plain = /filename\s*=\s*"([^"]*)"|filename\s*=\s*([^;]+)/i.exec(value);
  return extOf(plain?.[1] ?? plain?.[2] ?? '');
}

function fromContentType(value: string | undefined): string | undefined {
  const type = (value ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  return CONTENT_TYPES[type];
}

/** KF8-only files (azw3) carry MOBI header version 8 in record 0; older or combined files are mobi. */
function mobiVersion(head: Buffer): number | undefined {
  if (head.length < 82) return undefined;
  const record0 = head.readUInt32BE(78);
  const at = record0 + 16;
  if (record0 < 78 || at + 24 > head.length || head.toString('latin1', at, at + 4) !== 'MOBI') return undefined;
  return head.readUInt32BE(at + 20);
}

/**
 * The format the file's first bytes prove: `epub` (a zip whose first entry is `mimetype` = application/epub+zip),
 * `zip`, `rar`, `pdf`, `mobi`/`azw3` (PalmDB `BOOKMOBI`), `djvu` (`AT&TFORM`), `fb2` (XML with `<FictionBook`).
 */
export function formatFromSignature(head: Buffer): string | undefined {
  const text = head.toString('latin1', 0, Math.min(head.length, 1024));
  if (text.startsWith('PK\x03\x04')) {
    return text.slice(30, 58) === 'mimetypeapplication/epub+zip' ? 'epub' : 'zip';
  }
  if (text.startsWith('Rar!\x1a\x07')) return 'rar';
  if (text.startsWith('%PDF-')) return 'pdf';
  if (text.startsWith('AT&TFORM')) return 'djvu';
  if (text.slice(60, 68) === 'BOOKMOBI') return mobiVersion(head) === 8 ? 'azw3' : 'mobi';
  if (/^(\xef\xbb\xbf)?\s*<\?xml[\s\S]*<FictionBook[\s>]/.test(text)) return 'fb2';
  return undefined;
}

/**
 * The extension for a verified book from the best evidence: the file's signature decides its family, the record
 * page's format (then the Content-Disposition name, the Content-Type, the link's name) picks within it (a
 * `BOOKMOBI` file AA lists as azw3 stays azw3; a plain zip is a cbz unless a hint says zip), and a file whose bytes
 * prove nothing keeps the first known hint. Undefined only when nothing names a known format (the caller's `.bin`).
 */
export function chooseBookFormat(
  head: Buffer,
  recordFormat: string | null | undefined,
  hints: FormatHints = {},
): string | undefined {
  const candidates = [
    known(recordFormat),
    fromDisposition(hints.contentDisposition),
    fromContentType(hints.contentType),
    fromUrl(hints.url),
  ].filter((ext): ext is string => ext !== undefined);
  const signature = formatFromSignature(head);
  const within = (family: Set<string>) => candidates.find((ext) => family.has(ext));
  switch (signature) {
    case undefined:
      return candidates[0];
    case 'mobi':
    case 'azw3':
      return within(MOBI_FAMILY) ?? signature;
    case 'zip':
      return within(ZIP_FAMILY) ?? 'cbz';
    case 'rar':
      return within(RAR_FAMILY) ?? 'cbr';
    default:
      return signature;
  }
}

/** Reads the first 4 KiB of a staged file and chooses its format (see {@link chooseBookFormat}). */
export async function detectBookFormat(
  file: string,
  recordFormat: string | null | undefined,
  hints: FormatHints = {},
): Promise<string | undefined> {
  const handle = await open(file, 'r');
  try {
    const head = Buffer.alloc(4096);
    const { bytesRead } = await handle.read(head, 0, head.length, 0);
    return chooseBookFormat(head.subarray(0, bytesRead), recordFormat, hints);
  } finally {
    await handle.close();
  }
}
