export const FLOW_LOCALES = ['ru', 'en'] as const;
export type FlowLocale = (typeof FLOW_LOCALES)[number];

export function flowLocaleOf(value: unknown): FlowLocale {
  return value === 'en' ? 'en' : 'ru';
}

interface FlowTexts {
  htmlLang: string;
  title: string;
  banner: string;
  noCamera: string;
  step: (n: number, of: number) => string;
  technologies: Record<string, string>;
  pass: string;
  fail: string;
  reason: string;
  reasons: Record<string, string>;
  reference: Record<'photo1' | 'edocument' | 'none', string>;
  iin: string;
  phone: string;
  locked: string;
  sendCode: string;
  codeSent: (maskedPhone: string) => string;
  inbox: string;
  code: string;
  confirm: string;
  expired: string;
  notFound: string;
  finished: string;
  passedAll: string;
  failedAt: string;
  backToService: string;
  inboxTitle: string;
  inboxEmpty: string;
  inboxPhone: string;
  show: string;
}

export const FLOW_TEXTS: Record<FlowLocale, FlowTexts> = {
  ru: {
    htmlLang: 'ru',
    title: 'Биометрическая проверка',
    banner: 'Песочница Kezek: проверки не настоящие и не имеют юридической силы.',
    noCamera: 'Песочница не использует камеру: выберите результат этого шага сами.',
    step: (n, of) => `Шаг ${n} из ${of}`,
    technologies: { LDHP: 'Проверка живости (Liveness)', F2F: 'Сравнение лиц (Face2Face)', ED: 'Электронный документ (E-Document)', DR: 'Распознавание документа' },
    pass: 'Пройти',
    fail: 'Не пройти',
    reason: 'Причина',
    reasons: {
      NO_CAMERA: 'Нет доступа к камере',
      FACE_NOT_FOUND: 'Лицо не найдено',
      SPOOFING: 'Подозрение на подмену (фото, маска)',
      EYES_CLOSED: 'Глаза закрыты',
      FACE_NOT_CENTERED: 'Лицо не по центру',
      TIMEOUT: 'Время вышло',
      FACE_MISMATCH: 'Лица не совпадают',
      NO_REFERENCE_PHOTO: 'Нет эталонного фото',
      OTP_NOT_CONFIRMED: 'Код не подтверждён',
      DOCUMENT_NOT_FOUND: 'Документ не найден',
      DOCUMENT_NOT_RECOGNIZED: 'Документ не распознан',
      POOR_IMAGE_QUALITY: 'Плохое качество снимка',
    },
    reference: { photo1: 'Эталон: фото, переданное организацией (photo1).', edocument: 'Эталон: фото из электронного документа.', none: 'Эталонного фото нет: сравнение пройти нельзя.' },
    iin: 'ИИН',
    phone: 'Телефон (77XXXXXXXXX)',
    locked: 'задано организацией',
    sendCode: 'Получить код от 1414',
    codeSent: (phone) => `Код отправлен с номера 1414 на ${phone}.`,
    inbox: 'Открыть входящие SMS песочницы',
    code: 'Код из SMS',
    confirm: 'Подтвердить',
    expired: 'Сессия истекла (не более 10 минут). Начните проверку заново.',
    notFound: 'Сессия не найдена.',
    finished: 'Проверка завершена',
    passedAll: 'Все шаги пройдены.',
    failedAt: 'Шаг не пройден:',
    backToService: 'Вернуться в сервис',
    inboxTitle: 'Входящие SMS (песочница)',
    inboxEmpty: 'Сообщений нет.',
    inboxPhone: 'Номер телефона',
    show: 'Показать',
  },
  en: {
    htmlLang: 'en',
    title: 'Biometric verification',
    banner: 'Kezek sandbox: these checks are not real and have no legal effect.',
    noCamera: 'The sandbox uses no camera: choose the outcome of this step yourself.',
    step: (n, of) => `Step ${n} of ${of}`,
    technologies: { LDHP: 'Liveness check', F2F: 'Face match (Face2Face)', ED: 'Electronic document (E-Document)', DR: 'Document recognition' },
    pass: 'Pass',
    fail: 'Fail',
    reason: 'Reason',
    reasons: {
      NO_CAMERA: 'No access to the camera',
      FACE_NOT_FOUND: 'No face found',
      SPOOFING: 'Suspected spoofing (photo, mask)',
      EYES_CLOSED: 'Eyes closed',
      FACE_NOT_CENTERED: 'Face not centred',
      TIMEOUT: 'Time ran out',
      FACE_MISMATCH: 'The faces do not match',
      NO_REFERENCE_PHOTO: 'No reference photo',
      OTP_NOT_CONFIRMED: 'Code not confirmed',
      DOCUMENT_NOT_FOUND: 'Document not found',
      DOCUMENT_NOT_RECOGNIZED: 'Document not recognised',
      POOR_IMAGE_QUALITY: 'Poor image quality',
    },
    reference: { photo1: 'Reference: the photo the organisation sent (photo1).', edocument: 'Reference: the photo of the electronic document.', none: 'No reference photo: the match cannot pass.' },
    iin: 'IIN',
    phone: 'Phone (77XXXXXXXXX)',
    locked: 'set by the organisation',
    sendCode: 'Get the code from 1414',
    codeSent: (phone) => `The code was sent from 1414 to ${phone}.`,
    inbox: 'Open the sandbox SMS inbox',
    code: 'Code from the SMS',
    confirm: 'Confirm',
    expired: 'The session has expired (10 minutes at most). Start the check again.',
    notFound: 'Session not found.',
    finished: 'Verification finished',
    passedAll: 'All steps passed.',
    failedAt: 'Step not passed:',
    backToService: 'Back to the service',
    inboxTitle: 'SMS inbox (sandbox)',
    inboxEmpty: 'No messages.',
    inboxPhone: 'Phone number',
    show: 'Show',
  },
};
