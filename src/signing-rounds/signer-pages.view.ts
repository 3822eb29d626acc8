import { escapeHtml, page } from '../web/html.js';
import type { ErrorPageOptions } from '../web/html-response.js';
import { htmlLang, type Language, languageLinks } from '../web/language.js';

import { documentsSection, DOCUMENT_STYLES, endStateCard, SIGNER_SCRIPT_TAG, type DocumentsExtras } from './signer-documents.view.js';
import type { LinkView, ReturnView } from './signer-links.service.js';
import { identityCard } from '../identity/identity-texts.js';


const TEXT = {
  en: {
    title: 'Document signing',
    hello: (name: string) => `Hello, ${name}`,
    invited: (title: string) => `You are asked to sign “${title}” with your qualified digital signature.`,
    sign: 'Sign with Cloud EDS',
    verifyAndSign: 'Confirm identity and sign',
    continue: 'Continue signing',
    decline: 'Decline to sign',
    declineReason: 'Why do you decline? (the sender will see this)',
    waiting: 'It is not your turn yet: earlier signers have not finished. This link will work when your turn comes.',
    failed: 'Signing could not be completed: the number of attempts is used up. Please contact the sender.',
    attempts: (left: number) => `Attempts left: ${left}`,
    lastRound: (reason: string) => `Your last attempt did not succeed (${reason}). You can try again.`,
    returnedOk: 'Thank you! Your signature has been received and checked.',
    returnedPending: 'Thank you! We are confirming your signature with the provider; this page will show the result shortly.',
    returnedFailed: (reason: string) => `Signing was not completed: ${reason}. You can open your link and try again.`,
    returnedRejected: (reason: string) => `Your signature could not be accepted: ${reason}. Please try again with your own certificate.`,
    proceed: 'Continue',
    back: 'Back to the signing page',
  },
  ru: {
    title: 'Подписание документов',
    hello: (name: string) => `Здравствуйте, ${name}`,
    invited: (title: string) => `Вам предлагается подписать «${title}» квалифицированной электронной подписью.`,
    sign: 'Подписать через Cloud EDS',
    verifyAndSign: 'Подтвердить личность и подписать',
    continue: 'Продолжить подписание',
    decline: 'Отказаться от подписания',
    declineReason: 'Причина отказа (её увидит отправитель)',
    waiting: 'Ваша очередь ещё не наступила: предыдущие подписанты не закончили. Ссылка заработает, когда придёт ваша очередь.',
    failed: 'Подписание не удалось: попытки исчерпаны. Свяжитесь с отправителем.',
    attempts: (left: number) => `Осталось попыток: ${left}`,
    lastRound: (reason: string) => `Предыдущая попытка не удалась (${reason}). Можно попробовать снова.`,
    returnedOk: 'Спасибо! Ваша подпись получена и проверена.',
    returnedPending: 'Спасибо! Мы подтверждаем вашу подпись у провайдера; результат скоро появится на этой странице.',
    returnedFailed: (reason: string) => `Подписание не завершено: ${reason}. Откройте свою ссылку и попробуйте снова.`,
    returnedRejected: (reason: string) => `Подпись не может быть принята: ${reason}. Попробуйте снова со своим сертификатом.`,
    proceed: 'Продолжить',
    back: 'Вернуться к подписанию',
  },
  kz: {
    title: 'Құжаттарға қол қою',
    hello: (name: string) => `Сәлеметсіз бе, ${name}`,
    invited: (title: string) => `Сізге «${title}» құжатына білікті электрондық қолтаңбамен қол қою ұсынылады.`,
    sign: 'Cloud EDS арқылы қол қою',
    verifyAndSign: 'Жеке басты растап, қол қою',
    continue: 'Қол қоюды жалғастыру',
    decline: 'Қол қоюдан бас тарту',
    declineReason: 'Бас тарту себебі (жіберуші көреді)',
    waiting: 'Сіздің кезегіңіз әлі келген жоқ: алдыңғы қол қоюшылар аяқтамады. Кезегіңіз келгенде сілтеме жұмыс істейді.',
    failed: 'Қол қою сәтсіз аяқталды: әрекеттер саны таусылды. Жіберушіге хабарласыңыз.',
    attempts: (left: number) => `Қалған әрекеттер: ${left}`,
    lastRound: (reason: string) => `Алдыңғы әрекет сәтсіз болды (${reason}). Қайта көруге болады.`,
    returnedOk: 'Рақмет! Қолтаңбаңыз алынды және тексерілді.',
    returnedPending: 'Рақмет! Қолтаңбаңызды провайдермен растап жатырмыз; нәтиже осы бетте жақында көрсетіледі.',
    returnedFailed: (reason: string) => `Қол қою аяқталмады: ${reason}. Сілтемеңізді ашып, қайталап көріңіз.`,
    returnedRejected: (reason: string) => `Қолтаңба қабылданбады: ${reason}. Өз сертификатыңызбен қайталап көріңіз.`,
    proceed: 'Жалғастыру',
    back: 'Қол қою бетіне оралу',
  },
} as const;

/** The provider's redirect reasons (guide table "Actions after session termination") and failure reasons, per language. */
const REASONS: Record<string, Record<Language, string>> = {
  refresh: { en: 'the session was lost: do not refresh the page while signing', ru: 'сессия потеряна: не обновляйте страницу во время подписания', kz: 'сессия жоғалды: қол қою кезінде бетті жаңартпаңыз' },
  f2f: { en: 'the face comparison failed', ru: 'не пройдено сравнение лица', kz: 'бетті салыстыру сәтсіз' },
  lv: { en: 'the liveness check failed', ru: 'не пройдена проверка Liveness', kz: 'Liveness тексерісі сәтсіз' },
  closed: { en: 'the window was closed during the liveness check', ru: 'окно закрыто во время проверки Liveness', kz: 'Liveness тексерісі кезінде терезе жабылды' },
  'lv-unavailable': { en: 'the liveness service is unavailable', ru: 'сервис Liveness недоступен', kz: 'Liveness қызметі қолжетімсіз' },
  password: { en: 'too many password attempts', ru: 'превышено число попыток ввода пароля', kz: 'құпиясөз енгізу әрекеттері тым көп' },
  otp: { en: 'too many SMS code attempts', ru: 'превышено число попыток ввода SMS-кода', kz: 'SMS-код енгізу әрекеттері тым көп' },
  request: { en: 'the e-document request failed', ru: 'ошибка запроса в E-Document', kz: 'E-Document сұрауы сәтсіз' },
  reissue: { en: 'the certificate could not be reissued', ru: 'ошибка перевыпуска сертификата', kz: 'сертификатты қайта шығару қатесі' },
  certificate: { en: 'the certificate could not be created', ru: 'ошибка создания сертификата', kz: 'сертификат жасау қатесі' },
  'password-otp': { en: 'too many SMS code attempts while creating a password', ru: 'превышено число попыток ввода SMS-кода при создании пароля', kz: 'құпиясөз жасау кезінде SMS-код әрекеттері тым көп' },
  'accept-certificate': { en: 'the certificate could not be issued', ru: 'ошибка выпуска сертификата', kz: 'сертификат беру қатесі' },
  'sign-doc': { en: 'the document could not be signed', ru: 'ошибка подписания документа', kz: 'құжатқа қол қою қатесі' },
  video: { en: 'the video could not be uploaded', ru: 'ошибка загрузки видео', kz: 'бейнені жүктеу қатесі' },
  EXPIRED: { en: 'the session expired', ru: 'сессия истекла', kz: 'сессия мерзімі өтті' },
  LIVENESS: { en: 'the liveness check failed', ru: 'не пройдена проверка Liveness', kz: 'Liveness тексерісі сәтсіз' },
  FACE2FACE: { en: 'the face comparison failed', ru: 'не пройдено сравнение лица', kz: 'бетті салыстыру сәтсіз' },
  EDOCUMENT: { en: 'the e-document service failed', ru: 'ошибка сервиса E-Document', kz: 'E-Document қызметінің қатесі' },
  OTHER: { en: 'the provider ended the session', ru: 'провайдер завершил сессию', kz: 'провайдер сессияны аяқтады' },
  SIGNATURE_INVALID: { en: 'the signature did not verify', ru: 'подпись не прошла проверку', kz: 'қолтаңба тексеруден өтпеді' },
  CONTENT_MISMATCH: { en: 'the signed content is not the original document', ru: 'подписано не то содержимое', kz: 'қол қойылған мазмұн түпнұсқа емес' },
  IDENTITY_MISMATCH: { en: 'the certificate belongs to another person', ru: 'сертификат принадлежит другому лицу', kz: 'сертификат басқа адамға тиесілі' },
};

export function reasonText(code: string | null | undefined, language: Language): string {
  if (!code) return REASONS.OTHER[language];
  return REASONS[code]?.[language] ?? code;
}

/** The page behind a signer's durable link. */
export function linkPage(view: LinkView, token: string, language: Language, documentsExtras: DocumentsExtras, notice?: string): string {
  const t = TEXT[language];
  const { envelope, signer } = view;
  const base = `/s/${encodeURIComponent(token)}`;
  const lastRound = view.rounds.at(-1);
  let state: string;
  const ended = endStateCard(view, language);
  if (ended) {
    state = ended;
  } else if (signer.status === 'FAILED') {
    state = `<div class="card bad" data-state="failed">${escapeHtml(t.failed)}</div>`;
  } else if (signer.status === 'WAITING') {
    state = `<div class="card wait" data-state="waiting">${escapeHtml(t.waiting)}</div>${declineForm(base, t)}`;
  } else {
    const failedBefore = lastRound && !view.liveRound && (lastRound.status === 'CANCELED' || lastRound.rejectionReason);
    state = `
      ${failedBefore ? `<div class="card bad">${escapeHtml(t.lastRound(reasonText(lastRound.rejectionReason ?? lastRound.failureReason, language)))}</div>` : ''}
      ${view.identity && !view.liveRound ? identityCard(view.identity, language) : ''}
      <form method="post" action="${base}/sign${webViewQuery(view)}"><button type="submit" id="sign">${escapeHtml(view.liveRound ? t.continue : view.identity && view.identity.status !== 'PASSED' ? t.verifyAndSign : t.sign)}</button></form>
      <p class="muted">${escapeHtml(t.attempts(Math.max(0, envelope.maxAttempts - signer.attempts)))}</p>
      ${declineForm(base, t)}`;
  }
  const body = `
    ${languageLinks(base)}
    <h1>${escapeHtml(t.hello(signer.fullName))}</h1>
    <p>${escapeHtml(t.invited(envelope.title))}</p>
    ${notice ? `<div class="card bad" role="alert">${escapeHtml(notice)}</div>` : ''}
    ${documentsSection(view, token, language, documentsExtras)}
    ${state}
    ${SIGNER_SCRIPT_TAG}`;
  return page({ lang: htmlLang(language), title: `${t.title}: ${envelope.title}`, body, styles: DOCUMENT_STYLES });
}

/** Inside a mobile WebView the chain keeps `web_view=true` to its end (`/finished`). */
function webViewQuery(view: LinkView): string {
  return view.webView ? '?web_view=true' : '';
}

function declineForm(base: string, t: (typeof TEXT)[Language]): string {
  return `
    <details class="card"><summary>${escapeHtml(t.decline)}</summary>
      <form method="post" action="${base}/decline">
        <label for="reason">${escapeHtml(t.declineReason)}</label>
        <textarea id="reason" name="reason" required maxlength="500"></textarea>
        <p><button type="submit" class="secondary" id="decline">${escapeHtml(t.decline)}</button></p>
      </form>
    </details>`;
}

/** The page the provider sends the signer back to, after Kezek asked the provider what happened. */
export function returnPage(view: ReturnView, token: string, language: Language, redirectUrl: string | null): string {
  const t = TEXT[language];
  const round = view.rounds.at(-1);
  let card: string;
  if (view.signer.status === 'SIGNED') {
    card = `<div class="card ok" data-outcome="signed">${escapeHtml(t.returnedOk)}</div>`;
  } else if (round?.status === 'FINISHED' && round.rejectionReason) {
    card = `<div class="card bad" data-outcome="rejected">${escapeHtml(t.returnedRejected(reasonText(round.rejectionReason, language)))}</div>`;
  } else if (round?.status === 'CANCELED') {
    card = `<div class="card bad" data-outcome="canceled">${escapeHtml(t.returnedFailed(reasonText(round.redirectReason && round.redirectReason !== 'None' ? round.redirectReason : round.failureReason, language)))}</div>`;
  } else {
    card = `<div class="card wait" data-outcome="pending">${escapeHtml(t.returnedPending)}</div><meta http-equiv="refresh" content="4">`;
  }
  const base = `/s/${encodeURIComponent(token)}`;
  const body = `
    <h1>${escapeHtml(view.envelope.title)}</h1>
    ${card}
    <p><a href="${base}">${escapeHtml(t.back)}</a>${redirectUrl && view.signer.status === 'SIGNED' ? ` · <a class="button" href="${escapeHtml(redirectUrl)}">${escapeHtml(t.proceed)}</a>` : ''}</p>`;
  return page({ lang: htmlLang(language), title: t.title, body });
}

/** A signer error page: the plain page, titled in the signer's language. */
export function errorPageOptions(language: Language): ErrorPageOptions {
  return { lang: htmlLang(language), title: TEXT[language].title };
}
