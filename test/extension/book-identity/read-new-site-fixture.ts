import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseHtml } from './parse-capture.js';

const fixtures = join(dirname(fileURLToPath(import.meta.url)), '../../fixtures');

/** A fixture under test/fixtures/ (real/aa_md5/…, synthetic/hardcover/…) parsed into a Document. */
export function parseFixture(path: string): Document {
  return parseHtml(readFileSync(join(fixtures, path), 'utf8'));
}
