import browser from 'webextension-polyfill';
import { CompanionError } from './companion-error.js';
import type { MessageReply, MessageRequest, MessageResponse, MessageType } from './messages.js';

/**
 * Sends a typed message to the background and unwraps its reply; a failure comes back as {@link CompanionError}
 * with the background's reason. Used by the popup, the options page and content scripts.
 */
export async function sendMessage<T extends MessageType>(message: MessageRequest<T>): Promise<MessageResponse<T>> {
  const reply = (await browser.runtime.sendMessage(message)) as MessageReply<MessageResponse<T>> | undefined;
  if (!reply) throw new CompanionError('server-error', `No answer from the background for ${message.type}`);
  if (!reply.ok) throw new CompanionError(reply.error.reason, reply.error.message, reply.error.status);
  return reply.value;
}
