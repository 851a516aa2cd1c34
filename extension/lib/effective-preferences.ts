/** Preferred formats and languages as used: the user's own lists, else the companion's defaults (pure). */
export function toEffectivePreferences(
  preferences: { formats: string[] | null; languages: string[] | null },
  defaults: { formats: string[]; languages: string[] },
): { formats: string[]; languages: string[] } {
  return { formats: preferences.formats ?? defaults.formats, languages: preferences.languages ?? defaults.languages };
}
