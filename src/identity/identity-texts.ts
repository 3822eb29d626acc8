import { escapeHtml } from '../web/html.js';
import type { Language } from '../web/language.js';
import type { IdentityFailure } from './domain/identity-outcome.js';

/** Why an identity attempt failed, as the signer reads it. */
const FAILURES: Record<IdentityFailure, Record<Language, string>> = {
  LIVENESS_FAILED: { en: 'the liveness check did not pass', ru: 'не пройдена проверка «живости» (Liveness)', kz: 'Liveness тексерісінен өтпеді' },
  FACE_MISMATCH: { en: 'your face did not match the reference photo', ru: 'лицо не совпало с эталонной фотографией', kz: 'бетіңіз эталондық фотосуретке сәйкес келмеді' },
  EDOCUMENT_FAILED: { en: 'your state ID could not be received from eGov', ru: 'не удалось получить ваш документ из eGov', kz: 'құжатыңызды eGov-тан алу мүмкін болмады' },
  EDOCUMENT_OWNER_MISMATCH: { en: 'the state ID received belongs to another person', ru: 'полученный документ принадлежит другому человеку', kz: 'алынған құжат басқа адамға тиесілі' },
  EDOCUMENT_TYPE_MISMATCH: { en: 'the state document received is not the one asked for', ru: 'получен не тот документ, который требуется', kz: 'талап етілген құжат алынбады' },
  CHECK_MISSING: { en: 'a required check was not completed', ru: 'обязательная проверка не была завершена', kz: 'міндетті тексеріс аяқталмады' },
  SESSION_EXPIRED: { en: 'the verification session expired', ru: 'сессия проверки истекла', kz: 'тексеру сессиясының мерзімі өтті' },
};

const TEXT = {
  en: {
    needed: (checks: string) => `Before signing, please confirm your identity: ${checks}.`,
    checks: { liveness: 'a liveness check', face2face: 'a face match', edocument: 'your state ID from eGov (a code comes from 1414)' },
    passed: 'Your identity is confirmed.',
    failed: (reason: string, left: number) => `Identity check failed: ${reason}. Attempts left: ${left}.`,
    exhausted: (reason: string) => `Identity check failed: ${reason}. No attempts are left; please contact the sender.`,
    pending: 'We are confirming your identity check with the provider; this page will show the result shortly.',
  },
  ru: {
    needed: (checks: string) => `Перед подписанием подтвердите личность: ${checks}.`,
    checks: { liveness: 'проверка «живости»', face2face: 'сравнение лица', edocument: 'ваш документ из eGov (код придёт с номера 1414)' },
    passed: 'Ваша личность подтверждена.',
    failed: (reason: string, left: number) => `Проверка личности не пройдена: ${reason}. Осталось попыток: ${left}.`,
    exhausted: (reason: string) => `Проверка личности не пройдена: ${reason}. Попыток не осталось; свяжитесь с отправителем.`,
    pending: 'Мы подтверждаем результат проверки у провайдера; результат скоро появится на этой странице.',
  },
  kz: {
    needed: (checks: string) => `Қол қоймас бұрын жеке басыңызды растаңыз: ${checks}.`,
    checks: { liveness: 'Liveness тексерісі', face2face: 'бетті салыстыру', edocument: 'eGov-тағы құжатыңыз (код 1414 нөмірінен келеді)' },
    passed: 'Жеке басыңыз расталды.',
    failed: (reason: string, left: number) => `Жеке басты тексеру сәтсіз: ${reason}. Қалған әрекеттер: ${left}.`,
    exhausted: (reason: string) => `Жеке басты тексеру сәтсіз: ${reason}. Әрекеттер қалмады; жіберушіге хабарласыңыз.`,
    pending: 'Тексеру нәтижесін провайдермен растап жатырмыз; нәтиже осы бетте жақында көрсетіледі.',
  },
} as const;

export function identityFailureText(reason: IdentityFailure | null, language: Language): string {
  return FAILURES[reason ?? 'CHECK_MISSING'][language];
}

/** What the signer's link page knows of their identity step. */
export interface IdentityLinkState {
  checks: string[];
  status: 'NEEDED' | 'PENDING' | 'PASSED' | 'FAILED';
  lastFailure: IdentityFailure | null;
  attemptsLeft: number;
}

/** The identity card on the signer's link page (above the Sign button). */
export function identityCard(state: IdentityLinkState, language: Language): string {
  const t = TEXT[language];
  const checks = state.checks.map((c) => t.checks[c as keyof typeof t.checks] ?? c).join(', ');
  if (state.status === 'PASSED') return `<div class="card ok" data-identity="passed">${escapeHtml(t.passed)}</div>`;
  if (state.status === 'PENDING') return `<div class="card wait" data-identity="pending">${escapeHtml(t.pending)}</div>`;
  const failure = state.lastFailure
    ? `<div class="card bad" role="alert" data-identity="failed" data-reason="${escapeHtml(state.lastFailure)}">${escapeHtml(
        state.attemptsLeft > 0 ? t.failed(identityFailureText(state.lastFailure, language), state.attemptsLeft) : t.exhausted(identityFailureText(state.lastFailure, language)),
      )}</div>`
    : '';
  return `${failure}<div class="card" data-identity="needed">${escapeHtml(t.needed(checks))}</div>`;
}

export function identityPendingText(language: Language): string {
  return TEXT[language].pending;
}
