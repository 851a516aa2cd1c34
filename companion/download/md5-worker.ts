import { Worker } from 'node:worker_threads';

// md5 off the event loop: one worker thread, shared by every download, hashes the batches the downloads have
// written. The batches live in shared memory (SharedArrayBuffer slabs, neither copied nor transferred to the
// worker), and a slab is used again once the worker has hashed it: a few reused slabs instead of a fresh megabyte
// per batch keep the garbage collector quiet. The worker is inline (eval) so the bundle needs no extra file; it
// holds the process open only while a hash is pending.
const WORKER_SOURCE = `
const { parentPort } = require('node:worker_threads');
const { createHash } = require('node:crypto');
const hashes = new Map();
parentPort.on('message', (m) => {
  if (m.type === 'update') {
    let hash = hashes.get(m.id);
    if (!hash) { hash = createHash('md5'); hashes.set(m.id, hash); }
    hash.update(new Uint8Array(m.buffer, 0, m.length));
    parentPort.postMessage({ type: 'ack', id: m.id });
  } else if (m.type === 'digest') {
    const hash = hashes.get(m.id) ?? createHash('md5');
    hashes.delete(m.id);
    parentPort.postMessage({ type: 'digest', id: m.id, md5: hash.digest('hex') });
  } else if (m.type === 'drop') hashes.delete(m.id);
});
`;

/** Bytes one hash may have waiting in the worker before its producer waits (keeps RSS flat on a slow core). */
const MAX_IN_FLIGHT_BYTES = 4 * 1024 * 1024;

interface Pending {
  inFlight: number;
  /** The slabs the worker has not hashed yet, in order (it answers in order). */
  slabs: { buffer: Uint8Array; length: number }[];
  failed?: Error;
  drained: (() => void)[];
  digest?: { resolve: (md5: string) => void; reject: (err: Error) => void };
}

type Reply = { type: 'ack'; id: number } | { type: 'digest'; id: number; md5: string };

/** Size of the reusable batch buffers; a download's batch that is larger gets a buffer of its own. */
export const SLAB_BYTES = 2 * 1024 * 1024;
const MAX_FREE_SLABS = 6;
const freeSlabs: SharedArrayBuffer[] = [];

/** A buffer of at least `bytes` over a whole SharedArrayBuffer (a reused slab when one is free). */
export function takeSlab(bytes: number): Buffer {
  if (bytes > SLAB_BYTES) return Buffer.from(new SharedArrayBuffer(bytes));
  return Buffer.from(freeSlabs.pop() ?? new SharedArrayBuffer(SLAB_BYTES));
}

/** Gives a buffer from {@link takeSlab} back once nothing reads it any more. */
export function releaseSlab(buffer: Uint8Array): void {
  const shared = buffer.buffer;
  if (shared instanceof SharedArrayBuffer && shared.byteLength === SLAB_BYTES && freeSlabs.length < MAX_FREE_SLABS) {
    freeSlabs.push(shared);
  }
}

let worker: Worker | undefined;
let nextId = 1;
const pending = new Map<number, Pending>();

function failAll(err: Error) {
  worker = undefined;
  for (const p of pending.values()) {
    p.failed = err;
    p.digest?.reject(err);
    for (const wake of p.drained.splice(0)) wake();
  }
  pending.clear();
}

function getWorker(): Worker {
  if (worker) return worker;
  const w = new Worker(WORKER_SOURCE, { eval: true });
  w.unref();
  w.on('message', (m: Reply) => {
    const p = pending.get(m.id);
    if (!p) return;
    if (m.type === 'ack') {
      const slab = p.slabs.shift();
      if (!slab) return;
      releaseSlab(slab.buffer);
      p.inFlight -= slab.length;
      if (p.inFlight <= MAX_IN_FLIGHT_BYTES) for (const wake of p.drained.splice(0)) wake();
    } else {
      pending.delete(m.id);
      if (pending.size === 0) w.unref();
      p.digest?.resolve(m.md5);
    }
  });
  w.on('error', (err) => failAll(err));
  w.on('exit', (code) => failAll(new Error(`the md5 worker exited with code ${code}`)));
  worker = w;
  return w;
}

export interface Md5Hasher {
  /**
   * Hashes the first `length` bytes of `buffer`, a slab from {@link takeSlab} (it must start a SharedArrayBuffer,
   * must not change until hashed, and goes back to the free slabs then). Resolves at once, or when the worker has
   * caught up enough to take more.
   */
  update(buffer: Uint8Array, length?: number): Promise<void>;
  digest(): Promise<string>;
  /** Forgets the hash (a failed download). */
  drop(): void;
}

/** A new md5 computed on the shared worker thread. */
export function createMd5Hasher(): Md5Hasher {
  const id = nextId++;
  const state: Pending = { inFlight: 0, slabs: [], drained: [] };
  let finished = false;
  return {
    async update(buffer, length = buffer.byteLength) {
      if (length === 0) return;
      if (!(buffer.buffer instanceof SharedArrayBuffer) || buffer.byteOffset !== 0) {
        throw new Error('md5 worker: the bytes must start a SharedArrayBuffer (a slab from takeSlab)');
      }
      if (state.failed) throw state.failed;
      const w = getWorker();
      if (!pending.has(id)) {
        pending.set(id, state);
        w.ref();
      }
      state.inFlight += length;
      state.slabs.push({ buffer, length });
      w.postMessage({ type: 'update', id, buffer: buffer.buffer, length });
      if (state.inFlight > MAX_IN_FLIGHT_BYTES) await new Promise<void>((resolve) => state.drained.push(resolve));
    },
    digest() {
      finished = true;
      if (state.failed) return Promise.reject(state.failed);
      const w = getWorker();
      if (!pending.has(id)) {
        pending.set(id, state);
        w.ref();
      }
      return new Promise<string>((resolve, reject) => {
        state.digest = { resolve, reject };
        w.postMessage({ type: 'digest', id });
      });
    },
    drop() {
      if (finished) return;
      finished = true;
      if (!pending.delete(id) || !worker) return;
      worker.postMessage({ type: 'drop', id });
      if (pending.size === 0) worker.unref();
      for (const wake of state.drained.splice(0)) wake();
    },
  };
}
