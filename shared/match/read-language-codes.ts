// AA's 2022 pages print names only ("English"); later ones print "English [en]".
const NAMES: Record<string, string> = {
  english: 'en',
  german: 'de',
  french: 'fr',
  spanish: 'es',
  italian: 'it',
  portuguese: 'pt',
  russian: 'ru',
  chinese: 'zh',
  japanese: 'ja',
  dutch: 'nl',
  polish: 'pl',
  turkish: 'tr',
  swedish: 'sv',
  arabic: 'ar',
};

/** ISO 639 codes in AA's language text ("French [fr], English [en]" → fr, en); unknown names are skipped. */
export function readLanguageCodes(text: string | null | undefined): string[] {
  if (!text) return [];
  const codes: string[] = [];
  for (const part of text.split(/[,;/]/)) {
    const bracket = /\[([a-z]{2,3}(?:-[a-z]+)?)\]/i.exec(part)?.[1];
    const code =
      bracket ?? NAMES[part.trim().toLowerCase()] ?? (/^[a-z]{2}$/i.test(part.trim()) ? part.trim() : undefined);
    if (code && !codes.includes(code.toLowerCase())) codes.push(code.toLowerCase());
  }
  return codes;
}
