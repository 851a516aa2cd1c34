import { readAmazonBook } from '../lib/book-identity/read-amazon-book.js';
import type { BookSite } from './book-site.js';

// Every regional store (Marian the Librarian lists about 20, extension-notes.md §1.9).
const STORES = [
  'amazon.com',
  'amazon.ca',
  'amazon.com.mx',
  'amazon.com.br',
  'amazon.co.uk',
  'amazon.de',
  'amazon.fr',
  'amazon.it',
  'amazon.es',
  'amazon.nl',
  'amazon.se',
  'amazon.pl',
  'amazon.com.be',
  'amazon.ie',
  'amazon.com.tr',
  'amazon.ae',
  'amazon.sa',
  'amazon.eg',
  'amazon.in',
  'amazon.co.jp',
  'amazon.sg',
  'amazon.com.au',
  'amazon.co.za',
  'amazon.cn',
];

/** Amazon product pages (`/dp/<ASIN>`, `/gp/product/<ASIN>`): buttons after the product title (book-sites.md §2). */
export const amazonButtons: BookSite = {
  site: 'amazon',
  matches: STORES.map((store) => `https://*.${store}/*`),
  isBookUrl: (url) => /\/(?:dp|gp\/product|gp\/aw\/d)\/[A-Z0-9]{10}(?:[/?]|$)/.test(url.pathname),
  read: readAmazonBook,
  findAnchor: (doc) => {
    const title = doc.querySelector('#productTitle, #ebooksProductTitle');
    return title?.closest('h1') ?? title ?? undefined;
  },
};
