import type { Server } from 'node:http';
import type { Duplex } from 'node:stream';
import type { ApiError } from '../../shared/errors.js';
import { APP_VERSION, IDENTITY_HEADER } from '../../shared/version.js';

function answerFor(code: string | undefined): { status: number; reason: string; error: string } {
  if (code === 'HPE_HEADER_OVERFLOW') {
    return { status: 431, reason: 'Request Header Fields Too Large', error: 'Request URL or headers are too large' };
  }
  if (code === 'ERR_HTTP_REQUEST_TIMEOUT') {
    return { status: 408, reason: 'Request Timeout', error: 'The request took too long to arrive' };
  }
  return { status: 400, reason: 'Bad Request', error: 'Malformed HTTP request' };
}

/**
 * Requests Node refuses before the app sees them (a 1 MB query string, a broken request line) get the same JSON
 * error body as every other failure, instead of Node's bare status line with an empty body.
 */
export function answerClientErrorsWithJson(server: Server): void {
  server.on('clientError', (err: NodeJS.ErrnoException, socket: Duplex) => {
    // A reset connection or one already answered has no one to read the reply.
    if (err.code === 'ECONNRESET' || !socket.writable) {
      socket.destroy();
      return;
    }
    const { status, reason, error } = answerFor(err.code);
    const body = JSON.stringify({ error, code: 'bad-request' } satisfies ApiError);
    socket.end(
      `HTTP/1.1 ${status} ${reason}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n` +
        `${IDENTITY_HEADER}: ${APP_VERSION}\r\nConnection: close\r\n\r\n${body}`,
    );
  });
}
