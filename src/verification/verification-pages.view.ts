import { escapeHtml, page } from '../web/html.js';
import type { ErrorPageOptions, PageError } from '../web/html-response.js';
import { htmlLang, type Language, languageLinks } from '../web/language.js';
import type { PublicSession, PublicSigner } from './domain/public-report.js';


const STATUS: Record<string, Record<Language, string>> = {
  DRAFT: { en: 'Draft', ru: 'Черновик', kz: 'Жоба' },
  IN_PROGRESS: { en: 'Being signed', ru: 'Идёт подписание', kz: 'Қол қойылуда' },
  COMPLETED: { en: 'Completed: everyone signed', ru: 'Завершён: все подписали', kz: 'Аяқталды: барлығы қол қойды' },
  DECLINED: { en: 'Declined by a signer', ru: 'Отклонён подписантом', kz: 'Қол қоюшы бас тартты' },
  CANCELED: { en: 'Canceled by the sender', ru: 'Отменён отправителем', kz: 'Жіберуші тоқтатты' },
  EXPIRED: { en: 'Expired', ru: 'Срок истёк', kz: 'Мерзімі өтті' },
};

/** Texts of the pages and of the script that shows a dropped file's result (it receives them as JSON). */
const TEXT = {
  en: {
    title: 'Verify a signed document',
    intro: 'Drop the document you received: the original that was signed, a signed copy from the signing archive (with the signature page and QR code), or a signature file (.p7s, CMS). Kezek checks it and says whether it is intact and who signed it.',
    drop: 'Drop a file here, or',
    choose: 'choose a file',
    notStored: 'The file is checked and not kept.',
    sessionTitle: 'Verification session',
    sessionIntro: 'This page belongs to the QR code printed on signed copies. Below: the documents of this signing session and who signed them.',
    checkId: 'check_id',
    finishedAt: 'Signed in this session at',
    envelopeStatus: 'Envelope status',
    original: 'Original document, SHA-256',
    copies: 'Signed copies issued in this session',
    noCopies: 'The signed copies of this session are still being collected from the provider.',
    compareTitle: 'Compare your copy',
    compareIntro: 'Drop the copy you hold: Kezek tells you whether it is exactly the copy issued in this session.',
    signers: 'Signers, in signing order',
    columns: ['#', 'Signer', 'IIN', 'Signed at (UTC)', 'Certificate issuer', 'Signature'],
    checking: 'Checking…',
    tooLarge: 'The file is too large to be checked here.',
    failed: 'The file could not be checked',
    verdict: {
      intact: 'Intact: this is the signed document, unchanged',
      altered: 'ALTERED: this file is not the signed copy',
      unknown: 'Not found: nothing known here matches this file',
      valid: 'The signature is valid',
      invalid: 'The signature is NOT valid',
      indeterminate: 'The signature could not be fully verified',
    },
    explain: {
      original: 'This is the original document that was signed, byte for byte.',
      copy: 'This is a signed copy issued by the signing provider, byte for byte.',
      altered: 'This file claims to be a signed copy, but its content differs from the copy that was issued: it was changed after signing. Do not rely on it. The signers below are those of the genuine copy.',
      unknown: 'Either the file was changed, or it was never signed through this service. Nothing else is disclosed.',
      cms: 'The signature file was verified cryptographically.',
    },
    sameSession: 'This file belongs to this verification session.',
    otherSession: 'This file does NOT belong to this verification session.',
    fileHash: 'SHA-256 of your file',
    rejected: 'Kezek rejected the signature of this session (wrong signer, content or signature): it is not part of the envelope.',
    notFound: 'Not found.',
    rateLimited: 'Too many requests from your address; please wait a minute.',
    notes: {
      timeProven: 'Signing time proven by a timestamp from {tsa}: {time} (token serial {serial}).',
      timeClaimed: 'Signing time as stated by the signer: {time}; no timestamp proves it.',
      timeNow: 'The signature states no time; the certificate was judged as of {time}.',
      timestampBad: 'A timestamp is attached but could not be verified, so it proves nothing.',
      revGood: 'Certificate not revoked (checked by {source}).',
      revRevoked: 'Certificate REVOKED on {time} ({source}).',
      revUnknown: 'Whether the certificate was revoked could not be learnt.',
      revOff: 'Revocation of the certificate was not checked.',
      warning: 'Note: {text}',
    },
    status: STATUS,
  },
  ru: {
    title: 'Проверка подписанного документа',
    intro: 'Перетащите полученный документ: подписанный оригинал, подписанную копию из архива (с листом подписания и QR-кодом) или файл подписи (.p7s, CMS). Kezek проверит, не изменён ли он, и покажет, кто его подписал.',
    drop: 'Перетащите файл сюда или',
    choose: 'выберите файл',
    notStored: 'Файл проверяется и не сохраняется.',
    sessionTitle: 'Сессия проверки',
    sessionIntro: 'Эта страница открывается по QR-коду с подписанных копий. Ниже — документы этой сессии подписания и их подписанты.',
    checkId: 'check_id',
    finishedAt: 'Подписано в этой сессии',
    envelopeStatus: 'Статус конверта',
    original: 'Оригинал документа, SHA-256',
    copies: 'Подписанные копии этой сессии',
    noCopies: 'Подписанные копии этой сессии ещё получаются у провайдера.',
    compareTitle: 'Сравните свою копию',
    compareIntro: 'Перетащите имеющуюся у вас копию: Kezek скажет, та ли это копия, что выдана в этой сессии.',
    signers: 'Подписанты в порядке подписания',
    columns: ['№', 'Подписант', 'ИИН', 'Подписано (UTC)', 'Издатель сертификата', 'Подпись'],
    checking: 'Проверяем…',
    tooLarge: 'Файл слишком большой для проверки здесь.',
    failed: 'Не удалось проверить файл',
    verdict: {
      intact: 'Подлинный: это подписанный документ без изменений',
      altered: 'ИЗМЕНЁН: этот файл не является подписанной копией',
      unknown: 'Не найден: этому файлу ничего не соответствует',
      valid: 'Подпись действительна',
      invalid: 'Подпись НЕ действительна',
      indeterminate: 'Подпись не удалось проверить полностью',
    },
    explain: {
      original: 'Это подписанный оригинал документа, байт в байт.',
      copy: 'Это подписанная копия, выданная провайдером подписи, байт в байт.',
      altered: 'Файл выдаёт себя за подписанную копию, но его содержимое отличается от выданной копии: он изменён после подписания. Не полагайтесь на него. Ниже — подписанты подлинной копии.',
      unknown: 'Либо файл изменён, либо он не подписывался через этот сервис. Больше ничего не сообщается.',
      cms: 'Файл подписи проверен криптографически.',
    },
    sameSession: 'Этот файл относится к этой сессии проверки.',
    otherSession: 'Этот файл НЕ относится к этой сессии проверки.',
    fileHash: 'SHA-256 вашего файла',
    rejected: 'Kezek отклонил подпись этой сессии (не тот подписант, содержимое или подпись): она не входит в конверт.',
    notFound: 'Не найдено.',
    rateLimited: 'Слишком много запросов с вашего адреса; подождите минуту.',
    notes: {
      timeProven: 'Время подписания подтверждено меткой времени от {tsa}: {time} (серийный номер метки {serial}).',
      timeClaimed: 'Время подписания указано самим подписантом: {time}; метка времени его не подтверждает.',
      timeNow: 'В подписи нет времени; сертификат проверен на момент {time}.',
      timestampBad: 'К подписи приложена метка времени, но её не удалось проверить, поэтому она ничего не подтверждает.',
      revGood: 'Сертификат не отозван (проверено по {source}).',
      revRevoked: 'Сертификат ОТОЗВАН {time} ({source}).',
      revUnknown: 'Не удалось узнать, отозван ли сертификат.',
      revOff: 'Отзыв сертификата не проверялся.',
      warning: 'Внимание: {text}',
    },
    status: STATUS,
  },
  kz: {
    title: 'Қол қойылған құжатты тексеру',
    intro: 'Алған құжатыңызды осында сүйреңіз: қол қойылған түпнұсқа, мұрағаттағы қол қойылған көшірме (қол қою парағы мен QR-коды бар) немесе қолтаңба файлы (.p7s, CMS). Kezek оның өзгермегенін тексеріп, кім қол қойғанын көрсетеді.',
    drop: 'Файлды осында сүйреңіз немесе',
    choose: 'файлды таңдаңыз',
    notStored: 'Файл тексеріледі, сақталмайды.',
    sessionTitle: 'Тексеру сессиясы',
    sessionIntro: 'Бұл бет қол қойылған көшірмелердегі QR-код арқылы ашылады. Төменде — осы қол қою сессиясының құжаттары мен қол қоюшылары.',
    checkId: 'check_id',
    finishedAt: 'Осы сессияда қол қойылды',
    envelopeStatus: 'Конверт мәртебесі',
    original: 'Құжаттың түпнұсқасы, SHA-256',
    copies: 'Осы сессияда берілген қол қойылған көшірмелер',
    noCopies: 'Осы сессияның көшірмелері провайдерден әлі алынуда.',
    compareTitle: 'Көшірмеңізді салыстырыңыз',
    compareIntro: 'Қолыңыздағы көшірмені сүйреңіз: Kezek оның осы сессияда берілген көшірме екенін айтады.',
    signers: 'Қол қоюшылар, қол қою ретімен',
    columns: ['№', 'Қол қоюшы', 'ЖСН', 'Қол қойылды (UTC)', 'Сертификат берушісі', 'Қолтаңба'],
    checking: 'Тексерілуде…',
    tooLarge: 'Файл мұнда тексеру үшін тым үлкен.',
    failed: 'Файлды тексеру мүмкін болмады',
    verdict: {
      intact: 'Түпнұсқа: бұл өзгертілмеген қол қойылған құжат',
      altered: 'ӨЗГЕРТІЛГЕН: бұл файл қол қойылған көшірме емес',
      unknown: 'Табылмады: бұл файлға ештеңе сәйкес келмейді',
      valid: 'Қолтаңба жарамды',
      invalid: 'Қолтаңба ЖАРАМСЫЗ',
      indeterminate: 'Қолтаңбаны толық тексеру мүмкін болмады',
    },
    explain: {
      original: 'Бұл қол қойылған құжаттың түпнұсқасы, байтқа дейін бірдей.',
      copy: 'Бұл қолтаңба провайдері берген қол қойылған көшірме, байтқа дейін бірдей.',
      altered: 'Файл қол қойылған көшірме ретінде көрінеді, бірақ мазмұны берілген көшірмеден өзгеше: ол қол қойылғаннан кейін өзгертілген. Оған сенбеңіз. Төменде — түпнұсқа көшірменің қол қоюшылары.',
      unknown: 'Файл өзгертілген немесе бұл қызмет арқылы қол қойылмаған. Басқа ештеңе ашылмайды.',
      cms: 'Қолтаңба файлы криптографиялық тұрғыда тексерілді.',
    },
    sameSession: 'Бұл файл осы тексеру сессиясына жатады.',
    otherSession: 'Бұл файл осы тексеру сессиясына ЖАТПАЙДЫ.',
    fileHash: 'Файлыңыздың SHA-256',
    rejected: 'Kezek осы сессияның қолтаңбасын қабылдамады (басқа қол қоюшы, мазмұн немесе қолтаңба): ол конвертке кірмейді.',
    notFound: 'Табылмады.',
    rateLimited: 'Мекенжайыңыздан сұраулар тым көп; бір минут күтіңіз.',
    notes: {
      timeProven: 'Қол қою уақыты {tsa} берген уақыт белгісімен расталған: {time} (белгінің сериялық нөмірі {serial}).',
      timeClaimed: 'Қол қою уақытын қол қоюшының өзі көрсеткен: {time}; оны уақыт белгісі растамайды.',
      timeNow: 'Қолтаңбада уақыт жоқ; сертификат {time} сәтіне тексерілді.',
      timestampBad: 'Қолтаңбаға уақыт белгісі тіркелген, бірақ оны тексеру мүмкін болмады, сондықтан ол ештеңені растамайды.',
      revGood: 'Сертификат кері қайтарылмаған ({source} арқылы тексерілді).',
      revRevoked: 'Сертификат {time} КЕРІ ҚАЙТАРЫЛҒАН ({source}).',
      revUnknown: 'Сертификаттың кері қайтарылғанын білу мүмкін болмады.',
      revOff: 'Сертификаттың кері қайтарылуы тексерілмеді.',
      warning: 'Назар аударыңыз: {text}',
    },
    status: STATUS,
  },
} as const;


/** JSON for a `<script type="application/json">`: `<` escaped so no `</script>` can close it early. */
function scriptJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
}

export function formatTime(iso: string | null): string {
  return iso ? `${iso.slice(0, 19).replace('T', ' ')} UTC` : '—';
}

/** The CN of an RFC 4514 name string (`\,` escapes included). */
export function commonName(dn: string): string {
  const value = /(?:^|,\s*)CN=((?:\\.|[^,\\])+)/.exec(dn)?.[1];
  return value ? value.replace(/\\(.)/g, '$1') : dn;
}

function fill(template: string, values: Record<string, string>): string {
  return template.replace(/\{(\w+)\}/g, (_, key: string) => values[key] ?? '');
}

/**
 * The facts behind a signer's verdict in plain words: what time the certificate was judged at and what
 * proves it, whether it was revoked, and the report's warnings. The page script says the same from the JSON.
 */
export function signerNotes(s: PublicSigner, language: Language): string[] {
  const n = TEXT[language].notes;
  const notes: string[] = [];
  const time = formatTime(s.validityTime.time);
  if (s.validityTime.source === 'timestamp' && s.timestamp) notes.push(fill(n.timeProven, { tsa: s.timestamp.tsa ? commonName(s.timestamp.tsa) : 'TSA', time, serial: s.timestamp.serialNumber ?? '—' }));
  else if (s.validityTime.source === 'signingTime') notes.push(fill(n.timeClaimed, { time }));
  else notes.push(fill(n.timeNow, { time }));
  if (s.timestamp?.status === 'failed') notes.push(n.timestampBad);
  const source = s.revocation.source === 'crl' ? 'CRL' : 'OCSP';
  if (s.revocation.status === 'good') notes.push(fill(n.revGood, { source }));
  else if (s.revocation.status === 'revoked') notes.push(fill(n.revRevoked, { time: formatTime(s.revocation.revokedAt), source }));
  else if (s.revocation.status === 'unknown') notes.push(n.revUnknown);
  else notes.push(n.revOff);
  for (const warning of s.warnings) notes.push(fill(n.warning, { text: warning }));
  return notes;
}

export function signersTable(signers: PublicSigner[], language: Language): string {
  const t = TEXT[language];
  if (!signers.length) return '';
  const rows = signers
    .map(
      (s) => `<tr data-signer data-iin="${escapeHtml(s.iin)}">
        <td>${s.order}</td>
        <td>${escapeHtml(s.name ?? '—')}${s.organization ? `<br><span class="muted">${escapeHtml(s.organization)}</span>` : ''}</td>
        <td style="white-space: nowrap;"><code>${escapeHtml(s.iin ?? '—')}</code></td>
        <td data-signing-time="${escapeHtml(s.signingTime ?? '')}" style="white-space: nowrap;">${escapeHtml(formatTime(s.signingTime))}</td>
        <td title="${escapeHtml(s.certificate?.issuer ?? '')}">${escapeHtml(s.certificate ? commonName(s.certificate.issuer) : '—')}</td>
        <td data-indication="${escapeHtml(s.indication)}">${escapeHtml(s.indication === 'TOTAL_PASSED' ? '✓' : s.subIndication ? `${s.indication} (${s.subIndication})` : s.indication)}</td>
      </tr>
      <tr data-signer-notes data-validity-source="${escapeHtml(s.validityTime.source)}" data-revocation="${escapeHtml(s.revocation.status)}"><td></td><td colspan="5" class="muted">${signerNotes(s, language).map(escapeHtml).join('<br>')}</td></tr>`,
    )
    .join('');
  return `<table><thead><tr>${t.columns.map((c) => `<th>${escapeHtml(c)}</th>`).join('')}</tr></thead><tbody>${rows}</tbody></table>`;
}

function dropZone(language: Language, maxBytes: number, checkId: string | null): string {
  const t = TEXT[language];
  return `
    <div id="drop" class="card" tabindex="0" style="border-style: dashed; border-width: 2px; text-align: center; padding: 2rem 1rem;">
      <p>${escapeHtml(t.drop)} <label for="file" style="color: #1f4fd1; text-decoration: underline; cursor: pointer;">${escapeHtml(t.choose)}</label></p>
      <input type="file" id="file" style="position: absolute; left: -9999px;">
      <p class="muted">${escapeHtml(t.notStored)}</p>
    </div>
    <div id="result" aria-live="polite"></div>
    <script type="application/json" id="verify-config">${scriptJson({ maxBytes, checkId, text: t, language })}</script>
    <script src="/assets/verify.js"></script>`;
}

export function verifyPage(language: Language, maxBytes: number): string {
  const t = TEXT[language];
  const body = `
    ${languageLinks('/verify')}
    <h1>${escapeHtml(t.title)}</h1>
    <p class="muted">${escapeHtml(t.intro)}</p>
    ${dropZone(language, maxBytes, null)}`;
  return page({ lang: htmlLang(language), title: t.title, body });
}

export function sessionPage(session: PublicSession, language: Language, maxBytes: number): string {
  const t = TEXT[language];
  const path = `/verify/${encodeURIComponent(session.checkId)}`;
  const copyRows = (copies: PublicSession['otherFiles']) =>
    copies.map((c) => `<li data-copy><span>${escapeHtml(c.name)}</span> · <code>SHA-256 ${escapeHtml(c.sha256)}</code></li>`).join('');
  const documents = session.documents
    .map(
      (d) => `
      <div class="card" data-document>
        <h2 style="font-size: 1.15rem; margin-top: 0;">${escapeHtml(d.name)}</h2>
        <p class="muted">${escapeHtml(t.original)}: <code>${escapeHtml(d.sha256)}</code></p>
        ${d.copies.length ? `<p>${escapeHtml(t.copies)}:</p><ul>${copyRows(d.copies)}</ul>` : session.archive === 'PENDING' ? `<p class="muted">${escapeHtml(t.noCopies)}</p>` : ''}
        <p><strong>${escapeHtml(t.signers)}</strong></p>
        ${signersTable(d.signers, language)}
      </div>`,
    )
    .join('');
  const status = t.status[session.envelope.status as keyof typeof STATUS]?.[language] ?? session.envelope.status;
  const body = `
    ${languageLinks(path)}
    <h1>${escapeHtml(t.sessionTitle)}</h1>
    <p class="muted">${escapeHtml(t.sessionIntro)}</p>
    <div class="card" data-session data-check-id="${escapeHtml(session.checkId)}">
      <div>${escapeHtml(t.checkId)}: <code>${escapeHtml(session.checkId)}</code></div>
      <div>${escapeHtml(t.finishedAt)}: ${escapeHtml(formatTime(session.finishedAt))}</div>
      <div>${escapeHtml(t.envelopeStatus)}: <strong data-envelope-status="${escapeHtml(session.envelope.status)}">${escapeHtml(status)}</strong></div>
    </div>
    ${session.rejected ? `<div class="card bad" role="alert" data-rejected>${escapeHtml(t.rejected)}</div>` : ''}
    ${documents}
    ${session.otherFiles.length ? `<div class="card"><ul>${copyRows(session.otherFiles)}</ul></div>` : ''}
    <h2 style="font-size: 1.15rem;">${escapeHtml(t.compareTitle)}</h2>
    <p class="muted">${escapeHtml(t.compareIntro)}</p>
    ${dropZone(language, maxBytes, session.checkId)}`;
  return page({ lang: htmlLang(language), title: t.sessionTitle, body });
}

/**
 * A verification error page: a 404 or a rate limit in the page's own words (so every unknown check_id gets
 * the same page), any other error with its message; `data-error` names the kind for the page script.
 */
export function errorPageOf(language: Language, error: PageError): { error: PageError; options: ErrorPageOptions } {
  const t = TEXT[language];
  const kind = error.code === 'RATE_LIMITED' ? 'rateLimited' : error.status === 404 ? 'notFound' : 'error';
  const message = kind === 'notFound' ? t.notFound : kind === 'rateLimited' ? t.rateLimited : error.message || t.failed;
  return {
    error: { status: error.status, code: error.code, message },
    options: { lang: htmlLang(language), title: t.title, heading: t.title, marker: kind, after: `<p><a href="/verify">${escapeHtml(t.title)}</a></p>` },
  };
}
