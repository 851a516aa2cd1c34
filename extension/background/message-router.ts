import browser from 'webextension-polyfill';
import { toCompanionErrorInfo } from '../lib/companion-error.js';
import type { MessageReply, MessageRequest, MessageResponse, MessageType } from '../lib/messages.js';

type Handler<T extends MessageType> = (
  request: MessageRequest<T>,
  sender: browser.Runtime.MessageSender,
) => Promise<MessageResponse<T>> | MessageResponse<T>;

/**
 * One `runtime.onMessage` listener for the whole background; features register a handler per message type.
 * The listener is not `async` and returns `undefined` for types nobody handles, so it never steals another
 * listener's reply (the trap zotero-connectors documents, extension-notes.md §1.1).
 */
export function createMessageRouter() {
  const handlers = new Map<string, Handler<MessageType>>();

  // `sendResponse` + `return true` is the answer both browsers' own APIs take (Chrome's native onMessage ignores a
  // returned promise); unhandled types return `undefined` so other listeners can still answer.
  const listener = (
    message: unknown,
    sender: browser.Runtime.MessageSender,
    sendResponse?: (reply: MessageReply<unknown>) => void,
  ): true | Promise<MessageReply<unknown>> | undefined => {
    const type = (message as { type?: unknown } | null)?.type;
    if (typeof type !== 'string') return undefined;
    const handler = handlers.get(type);
    if (!handler) return undefined;
    const reply = (async (): Promise<MessageReply<unknown>> => {
      try {
        return { ok: true, value: await handler(message as MessageRequest<MessageType>, sender) };
      } catch (err) {
        return { ok: false, error: toCompanionErrorInfo(err) };
      }
    })();
    // Without a `sendResponse` (WXT's fake browser in unit tests) the promise itself is the answer.
    if (!sendResponse) return reply;
    void reply.then(sendResponse);
    return true;
  };

  return {
    on<T extends MessageType>(type: T, handler: Handler<T>): void {
      if (handlers.has(type)) throw new Error(`Expected one handler for message ${type}, got a second`);
      handlers.set(type, handler as unknown as Handler<MessageType>);
    },
    /** Registers the listener; call once from the background entrypoint. */
    listen(): void {
      browser.runtime.onMessage.addListener(listener);
    },
  };
}

export type MessageRouter = ReturnType<typeof createMessageRouter>;
