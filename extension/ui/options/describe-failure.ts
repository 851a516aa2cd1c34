import { describeCompanionError, isCompanionError } from '../../lib/companion-error.js';

/** One line for a failed action: the reason's explanation where there is one, else the error's own message. */
export function describeFailure(err: unknown): string {
  if (!isCompanionError(err)) return err instanceof Error ? err.message : String(err);
  if (err.reason === 'bad-request' || err.reason === 'server-error' || err.reason === 'bad-response') {
    return err.message;
  }
  const { title, action } = describeCompanionError(err);
  return action ? `${title}. ${action}` : title;
}
