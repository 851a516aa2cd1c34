// A test world in its own process, so its CPU and memory are not counted as the companion's. Prints one JSON line:
// the origins and one book per size given on the command line (bytes are generated as they are served).
import { startWorld } from '../test/world/start-world.js';

const world = await startWorld({ countdownSeconds: 0 });
const books = process.argv.slice(2).map((size, i) => {
  const book = world.addBook({ title: `Bench Book ${i}`, format: 'pdf', sizeBytes: Number(size) });
  return { md5: book.md5, sizeBytes: book.sizeBytes, fileUrl: `${world.origins.partner}/file/${book.md5}/bench.pdf` };
});
process.stdout.write(
  `${JSON.stringify({ aa: world.origins.aa, aaMirrors: world.origins.aaMirrors, origins: Object.values(world.origins).flat(), books })}\n`,
);
// A client that hangs up mid-file (the bench kills a companion while downloads stream) makes Node's web-stream
// adapter throw "Controller is already closed" from the response stream; the world keeps serving the others.
process.on('uncaughtException', (err: NodeJS.ErrnoException) => {
  if (err.code === 'ERR_INVALID_STATE') return;
  throw err;
});
process.on('SIGTERM', () => world.close().then(() => process.exit(0)));
