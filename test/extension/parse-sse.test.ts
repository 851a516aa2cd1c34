import { describe, expect, it } from 'vitest';
import { parseSseStream } from '../../extension/lib/parse-sse.js';

function streamOf(chunks: string[]): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  return new ReadableStream({
    start(controller) {
      for (const chunk of chunks) controller.enqueue(encoder.encode(chunk));
      controller.close();
    },
  });
}

async function collect(chunks: string[]) {
  const out = [];
  for await (const message of parseSseStream(streamOf(chunks))) out.push(message);
  return out;
}

describe('parseSseStream', () => {
  it('reads event and data fields, one message per blank line', async () => {
    expect(await collect(['event: snapshot\ndata: {"type":"snapshot","items":[]}\n\n'])).toEqual([
      { event: 'snapshot', data: '{"type":"snapshot","items":[]}' },
    ]);
  });

  it('joins messages split across chunks at any byte, including inside a multi-byte character', async () => {
    const whole = 'event: item\ndata: {"title":"Émile – ü"}\n\nevent: progress\ndata: 1\n\n';
    const bytes = new TextEncoder().encode(whole);
    // Split into 3-byte pieces so the UTF-8 sequences of É, – and ü are cut in the middle.
    const pieces: Uint8Array[] = [];
    for (let i = 0; i < bytes.length; i += 3) pieces.push(bytes.slice(i, i + 3));
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        for (const piece of pieces) controller.enqueue(piece);
        controller.close();
      },
    });
    const out = [];
    for await (const message of parseSseStream(stream)) out.push(message);
    expect(out).toEqual([
      { event: 'item', data: '{"title":"Émile – ü"}' },
      { event: 'progress', data: '1' },
    ]);
  });

  it('skips comments (keep-alives), joins multi-line data, defaults the event name and accepts CRLF', async () => {
    expect(await collect([': keep-alive\r\n\r\n', 'data: a\r\ndata: b\r\n\r\n', 'data:no-space\n\n'])).toEqual([
      { event: 'message', data: 'a\nb' },
      { event: 'message', data: 'no-space' },
    ]);
  });

  it('drops a message the stream cut off before its blank line', async () => {
    expect(await collect(['event: item\ndata: {"half":'])).toEqual([]);
  });

  it('stops when the signal aborts', async () => {
    const controller = new AbortController();
    const stream = new ReadableStream<Uint8Array>({
      start(c) {
        c.enqueue(new TextEncoder().encode('data: first\n\n'));
      },
    });
    const seen: string[] = [];
    for await (const message of parseSseStream(stream, controller.signal)) {
      seen.push(message.data);
      controller.abort();
    }
    expect(seen).toEqual(['first']);
  });
});

describe('parseSseStream line ends', () => {
  it('treats a CRLF split between two chunks as one line end', async () => {
    expect(await collect(['data: a\r', '\ndata: b\r\n\r\n'])).toEqual([{ event: 'message', data: 'a\nb' }]);
  });
});
