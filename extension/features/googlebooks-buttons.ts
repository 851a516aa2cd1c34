import { readGoogleBooksPage, readGoogleBooksVolumeId } from '../lib/book-identity/read-google-books-page.js';
import type { BookSite } from './book-site.js';

const HOSTS = ['books.google.com', 'books.google.co.uk', 'books.google.de', 'books.google.fr', 'books.google.ca'];

/** Google Books volume pages `/books?id=…` (no real capture; synthetic fixture): buttons after the title. */
export const googlebooksButtons: BookSite = {
  site: 'googlebooks',
  matches: HOSTS.map((host) => `https://${host}/*`),
  isBookUrl: (url) => url.pathname.startsWith('/books') && readGoogleBooksVolumeId(url) !== undefined,
  read: readGoogleBooksPage,
  findAnchor: (doc) => doc.querySelector('h1.booktitle') ?? undefined,
};
