import type { RedirectReason } from '../domain/session-rules.js';

import type { Language } from '../../common/domain/language.js';

export { type Language, LANGUAGES, languageOf } from '../../common/domain/language.js';

interface Texts {
  htmlLang: string;
  title: string;
  banner: string;
  signer: string;
  iin: string;
  phone: string;
  documents: string;
  view: string;
  steps: string[];
  sign: string;
  endTitle: string;
  endHint: string;
  end: string;
  notFound: string;
  expired: string;
  alreadyFinished: string;
  alreadyCanceled: string;
  noDocuments: string;
  back: string;
  signedTitle: string;
  signedDone: string;
  canceledTitle: string;
  noRedirect: string;
  testing: string;
  signAs: string;
  reasons: Record<RedirectReason, string>;
}

/** The redirect reasons as the guide describes them, in the three interface languages. */
export const TEXTS: Record<Language, Texts> = {
  en: {
    htmlLang: 'en',
    title: 'Document signing',
    banner: 'Kezek Sandbox: an emulator of the Cloud EDS sign page. Signatures made here use a sandbox CA and have no legal effect.',
    signer: 'Signer',
    iin: 'IIN',
    phone: 'Phone',
    documents: 'Documents to sign',
    view: 'view',
    steps: ['Biometric check (liveness, face-to-face): simulated', 'Certificate issuance: by the sandbox CA', 'Signing: CMS with SHA-256 and RSA-2048'],
    sign: 'Sign the documents',
    endTitle: 'End the session without signing',
    endHint: 'Choose what happened; the session ends as the provider would end it.',
    end: 'End the session',
    notFound: 'Session not found. It may have been mistyped, or the page was refreshed.',
    expired: 'This session has expired (a session lives 30 minutes). Ask for a new link.',
    alreadyFinished: 'This session has already been signed. A session cannot be used twice.',
    alreadyCanceled: 'This session has ended. A session cannot be used twice.',
    noDocuments: 'There are no documents in this session yet.',
    back: 'Return to the site',
    signedTitle: 'Documents signed',
    signedDone: 'Your signature has been applied to every document.',
    canceledTitle: 'The session has ended',
    noRedirect: 'No return address was given: you can close this window.',
    testing: 'Sandbox testing options',
    signAs: "Sign with another person's certificate (IIN), to test impersonation checks",
    reasons: {
      refresh: 'Session was not found, please do not refresh the page during the whole process',
      f2f: 'F2F pass error',
      lv: 'Error in passing Liveness',
      closed: 'You closed the window while passing the liveness test',
      'lv-unavailable': 'Liveness service is currently unavailable',
      password: 'You have exceeded the allowed number of password attempts',
      otp: 'You have exceeded the allowed number of attempts to enter the SMS code',
      request: 'Error when sending a request to the E-Document',
      reissue: 'Certificate reissue error',
      certificate: 'Certificate creation initialization error',
      'password-otp': 'You have exceeded the allowed number of attempts to enter the SMS code to create a password',
      'accept-certificate': 'Certificate issuance error',
      'sign-doc': 'Error in signing a document',
      video: 'Video download error',
    },
  },
  ru: {
    htmlLang: 'ru',
    title: 'Подписание документов',
    banner: 'Песочница Kezek: эмулятор страницы подписания Cloud EDS. Подписи выпускаются тестовым УЦ и не имеют юридической силы.',
    signer: 'Подписант',
    iin: 'ИИН',
    phone: 'Телефон',
    documents: 'Документы на подпись',
    view: 'открыть',
    steps: ['Биометрическая проверка (liveness, сверка лица): имитация', 'Выпуск сертификата: тестовый УЦ песочницы', 'Подписание: CMS, SHA-256, RSA-2048'],
    sign: 'Подписать документы',
    endTitle: 'Завершить сессию без подписи',
    endHint: 'Выберите, что произошло: сессия завершится так же, как у провайдера.',
    end: 'Завершить сессию',
    notFound: 'Сессия не найдена. Возможно, ссылка неверна или страница была обновлена.',
    expired: 'Срок сессии истёк (сессия действует 30 минут). Запросите новую ссылку.',
    alreadyFinished: 'Эта сессия уже подписана. Сессию нельзя использовать повторно.',
    alreadyCanceled: 'Эта сессия завершена. Сессию нельзя использовать повторно.',
    noDocuments: 'В этой сессии пока нет документов.',
    back: 'Вернуться на сайт',
    signedTitle: 'Документы подписаны',
    signedDone: 'Ваша подпись поставлена на все документы.',
    canceledTitle: 'Сессия завершена',
    noRedirect: 'Адрес возврата не указан: окно можно закрыть.',
    testing: 'Параметры тестирования песочницы',
    signAs: 'Подписать сертификатом другого человека (ИИН), чтобы проверить защиту от подмены',
    reasons: {
      refresh: 'Сессия не найдена, не обновляйте страницу во время всего процесса',
      f2f: 'Ошибка прохождения F2F',
      lv: 'Ошибка прохождения Liveness',
      closed: 'Вы закрыли окно во время прохождения проверки liveness',
      'lv-unavailable': 'Сервис Liveness сейчас недоступен',
      password: 'Превышено допустимое количество попыток ввода пароля',
      otp: 'Превышено допустимое количество попыток ввода SMS-кода',
      request: 'Ошибка при отправке запроса в E-Document',
      reissue: 'Ошибка перевыпуска сертификата',
      certificate: 'Ошибка инициализации создания сертификата',
      'password-otp': 'Превышено допустимое количество попыток ввода SMS-кода для создания пароля',
      'accept-certificate': 'Ошибка выпуска сертификата',
      'sign-doc': 'Ошибка при подписании документа',
      video: 'Ошибка загрузки видео',
    },
  },
  kz: {
    htmlLang: 'kk',
    title: 'Құжаттарға қол қою',
    banner: 'Kezek құмсалғышы: Cloud EDS қол қою бетінің эмуляторы. Мұндағы қолтаңбаларды тест КО шығарады, олардың заңды күші жоқ.',
    signer: 'Қол қоюшы',
    iin: 'ЖСН',
    phone: 'Телефон',
    documents: 'Қол қоюға арналған құжаттар',
    view: 'ашу',
    steps: ['Биометриялық тексеру (liveness, бет салыстыру): имитация', 'Сертификат шығару: құмсалғыштың тест КО', 'Қол қою: CMS, SHA-256, RSA-2048'],
    sign: 'Құжаттарға қол қою',
    endTitle: 'Сессияны қол қоймай аяқтау',
    endHint: 'Не болғанын таңдаңыз: сессия провайдердегідей аяқталады.',
    end: 'Сессияны аяқтау',
    notFound: 'Сессия табылмады. Сілтеме қате болуы немесе бет жаңартылған болуы мүмкін.',
    expired: 'Сессия мерзімі өтті (сессия 30 минут жарамды). Жаңа сілтеме сұраңыз.',
    alreadyFinished: 'Бұл сессияға қол қойылған. Сессияны қайта пайдалануға болмайды.',
    alreadyCanceled: 'Бұл сессия аяқталды. Сессияны қайта пайдалануға болмайды.',
    noDocuments: 'Бұл сессияда әзірге құжат жоқ.',
    back: 'Сайтқа оралу',
    signedTitle: 'Құжаттарға қол қойылды',
    signedDone: 'Барлық құжатқа қолыңыз қойылды.',
    canceledTitle: 'Сессия аяқталды',
    noRedirect: 'Қайтару мекенжайы берілмеген: терезені жабуға болады.',
    testing: 'Құмсалғышты тестілеу параметрлері',
    signAs: 'Басқа адамның сертификатымен (ЖСН) қол қою: алмастыруға қарсы тексерісті сынау үшін',
    reasons: {
      refresh: 'Сессия табылмады, бүкіл процесс барысында бетті жаңартпаңыз',
      f2f: 'F2F өту қатесі',
      lv: 'Liveness өту қатесі',
      closed: 'Liveness тексерісі кезінде терезені жаптыңыз',
      'lv-unavailable': 'Liveness қызметі қазір қолжетімсіз',
      password: 'Құпиясөзді енгізу әрекеттерінің рұқсат етілген санынан асып кеттіңіз',
      otp: 'SMS кодын енгізу әрекеттерінің рұқсат етілген санынан асып кеттіңіз',
      request: 'E-Document-ке сұрау жіберу кезіндегі қате',
      reissue: 'Сертификатты қайта шығару қатесі',
      certificate: 'Сертификат жасауды бастау қатесі',
      'password-otp': 'Құпиясөз жасауға арналған SMS кодын енгізу әрекеттерінің санынан асып кеттіңіз',
      'accept-certificate': 'Сертификат беру қатесі',
      'sign-doc': 'Құжатқа қол қою қатесі',
      video: 'Бейнені жүктеу қатесі',
    },
  },
};
