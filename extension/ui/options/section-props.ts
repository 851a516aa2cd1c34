import type { ConnectionState } from '../../lib/messages.js';

/** What every options section receives from {@link OptionsApp}: the connection and the companion URL being edited. */
export interface OptionsSectionProps {
  state: ConnectionState;
  /** A section that changed the connection hands the background's fresh state up. */
  onState: (state: ConnectionState) => void;
  /** The companion URL as typed (not yet saved): pairing uses it, so URL + code + Pair is one step. */
  url: string;
  onUrlChange: (url: string) => void;
}
