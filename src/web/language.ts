import { escapeHtml } from './html.js';

/** The languages of Kezek's pages, as the provider names them (`kz`, not ISO `kk`). */
export type Language = 'kz' | 'ru' | 'en';
export const LANGUAGES: readonly Language[] = ['kz', 'ru', 'en'];

/** A requested language if it is one of ours, else the fallback. */
export function languageOf(requested: unknown, fallback: Language = 'ru'): Language {
  return LANGUAGES.includes(requested as Language) ? (requested as Language) : fallback;
}

/** The HTML `lang` attribute: Kazakh is `kk` there. */
export function htmlLang(language: Language): string {
  return language === 'kz' ? 'kk' : language;
}

/** KZ · RU · EN links to the same page in each language. */
export function languageLinks(path: string): string {
  return `<nav class="lang">${LANGUAGES.map((l) => `<a href="${escapeHtml(path)}?lang=${l}">${l.toUpperCase()}</a>`).join('')}</nav>`;
}
