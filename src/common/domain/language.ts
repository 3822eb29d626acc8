/** The languages Kezek speaks (pages, mail, the provider's sign page), named as the provider names them (`kz`, not ISO `kk`). */
export const LANGUAGES = ['kz', 'ru', 'en'] as const;
export type Language = (typeof LANGUAGES)[number];

/** A requested language if it is one of ours, else the fallback. */
export function languageOf(requested: unknown, fallback: Language = 'ru'): Language {
  return LANGUAGES.includes(requested as Language) ? (requested as Language) : fallback;
}
