import { type Language, LANGUAGES } from '../common/domain/language.js';
import { escapeHtml } from './html.js';

export { type Language, LANGUAGES, languageOf } from '../common/domain/language.js';

/** The HTML `lang` attribute: Kazakh is `kk` there. */
export function htmlLang(language: Language): string {
  return language === 'kz' ? 'kk' : language;
}

/** KZ · RU · EN links to the same page in each language. */
export function languageLinks(path: string): string {
  return `<nav class="lang">${LANGUAGES.map((l) => `<a href="${escapeHtml(path)}?lang=${l}">${l.toUpperCase()}</a>`).join('')}</nav>`;
}
