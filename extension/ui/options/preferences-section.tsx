import { useEffect, useState } from 'preact/hooks';
import type { PreferencesView } from '../../lib/messages.js';
import { sendMessage } from '../../lib/send-message.js';
import { describeFailure } from './describe-failure.js';
import { FormMessages } from './form-messages.js';
import type { OptionsSectionProps } from './section-props.js';

/** `"EPUB, pdf  mobi"` → `['EPUB', 'pdf', 'mobi']` (the background lower-cases and checks); empty → `null`. */
function parseList(text: string): string[] | null {
  const items = text.split(/[\s,;]+/).filter(Boolean);
  return items.length > 0 ? items : null;
}

/** Preferred formats and languages, most wanted first; empty means the companion's own defaults. */
export function PreferencesSection({ state }: OptionsSectionProps) {
  const [view, setView] = useState<PreferencesView | null>(null);
  const [formats, setFormats] = useState('');
  const [languages, setLanguages] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);

  const show = (next: PreferencesView) => {
    setView(next);
    setFormats(next.preferences.formats?.join(', ') ?? '');
    setLanguages(next.preferences.languages?.join(', ') ?? '');
  };

  // Reloaded after each connection check: a ping refreshes the companion's defaults.
  useEffect(() => {
    sendMessage({ type: 'preferences:get' }).then(
      (next) => (view ? setView(next) : show(next)),
      (err: unknown) => setError(describeFailure(err)),
    );
  }, [state.checkedAtMs]);

  async function save(preferences: PreferencesView['preferences']) {
    setError(null);
    setNotice(null);
    try {
      show(await sendMessage({ type: 'preferences:set', ...preferences }));
      setNotice(
        preferences.formats || preferences.languages ? 'Preferences saved.' : 'Using the companion’s defaults.',
      );
    } catch (err) {
      setError(describeFailure(err));
    }
  }

  return (
    <section aria-labelledby="preferences-heading">
      <h2 id="preferences-heading">Preferences</h2>
      <form
        onSubmit={(event) => {
          event.preventDefault();
          void save({ formats: parseList(formats), languages: parseList(languages) });
        }}
      >
        <label>
          Preferred formats
          <input
            type="text"
            spellcheck={false}
            placeholder={view?.defaults.formats.join(', ') ?? ''}
            value={formats}
            onInput={(event) => setFormats(event.currentTarget.value)}
          />
        </label>
        <p class="hint">Most wanted first. Companion default: {view?.defaults.formats.join(', ') ?? '…'}</p>
        <label>
          Preferred languages
          <input
            type="text"
            spellcheck={false}
            placeholder={view?.defaults.languages.join(', ') ?? ''}
            value={languages}
            onInput={(event) => setLanguages(event.currentTarget.value)}
          />
        </label>
        <p class="hint">
          Language codes such as en, de. Companion default: {view?.defaults.languages.join(', ') ?? '…'}
        </p>
        <div class="actions">
          <button type="submit">Save preferences</button>
          <button type="button" onClick={() => void save({ formats: null, languages: null })}>
            Use companion defaults
          </button>
        </div>
      </form>
      <FormMessages error={error} notice={notice} />
    </section>
  );
}
