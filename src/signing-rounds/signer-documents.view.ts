import { escapeHtml } from '../web/html.js';
import type { Language } from '../web/language.js';
import type { EnvelopeStatus } from '../envelopes/domain/envelope.machine.js';
import type { XmlPreview } from './signer-documents.service.js';
import type { LinkView } from './signer-links.service.js';

const e = escapeHtml;

/** Pages of a PDF drawn in the signer's page; the download has the rest. */
export const PDF_PREVIEW_MAX_PAGES = 30;

const TEXT = {
  en: {
    documents: 'Documents',
    readBefore: 'Please read the documents before you sign.',
    download: 'Download the original',
    loading: 'Loading the preview…',
    previewFailed: 'The preview could not be shown. Please download the document to read it.',
    noScript: 'Turn on JavaScript to see the document here, or download it.',
    pageLabel: 'Page {n} of {total}',
    pagesCut: 'The first {shown} of {total} pages are shown here; download the document to read all of it.',
    xmlCut: 'The beginning of the document is shown here; download it to read all of it.',
    preview: (name: string) => `Preview of ${name}`,
    signedCopy: 'Signed copy',
    signedCopyIntro: 'Every signer has signed. Download the signed documents:',
    cms: (name: string) => `${name}: signature file (CMS, .p7s)`,
    archive: 'Archive copy from the signing service (ZIP)',
    ends: {
      COMPLETED: 'Every signer has signed: the envelope is complete. There is nothing more to do.',
      DECLINED: 'Signing has stopped: a signer declined. There is nothing more to do.',
      CANCELED: 'The sender canceled this envelope. There is nothing more to do.',
      EXPIRED: 'This envelope expired before every signer had signed. Please contact the sender if it is still needed.',
      FAILED: 'Signing could not be completed. Please contact the sender.',
      DRAFT: 'This envelope has not been sent yet.',
      IN_PROGRESS: '',
    } satisfies Record<EnvelopeStatus, string>,
    youSigned: 'You have signed. We will let the sender know when everyone has.',
    youDeclined: 'You declined to sign. The sender has been told.',
  },
  ru: {
    documents: 'Документы',
    readBefore: 'Пожалуйста, прочитайте документы перед подписанием.',
    download: 'Скачать оригинал',
    loading: 'Загружаем просмотр…',
    previewFailed: 'Не удалось показать документ. Скачайте его, чтобы прочитать.',
    noScript: 'Включите JavaScript, чтобы увидеть документ здесь, или скачайте его.',
    pageLabel: 'Страница {n} из {total}',
    pagesCut: 'Здесь показаны первые {shown} из {total} страниц; скачайте документ, чтобы прочитать его целиком.',
    xmlCut: 'Здесь показано начало документа; скачайте его, чтобы прочитать целиком.',
    preview: (name: string) => `Просмотр: ${name}`,
    signedCopy: 'Подписанный экземпляр',
    signedCopyIntro: 'Все подписанты подписали. Скачайте подписанные документы:',
    cms: (name: string) => `${name}: файл подписи (CMS, .p7s)`,
    archive: 'Архивная копия сервиса подписания (ZIP)',
    ends: {
      COMPLETED: 'Все подписанты подписали: конверт завершён. Действий больше не требуется.',
      DECLINED: 'Подписание остановлено: один из подписантов отказался. Действий больше не требуется.',
      CANCELED: 'Отправитель отменил этот конверт. Действий больше не требуется.',
      EXPIRED: 'Срок конверта истёк до того, как все подписали. Свяжитесь с отправителем, если подписание ещё нужно.',
      FAILED: 'Подписание не удалось завершить. Свяжитесь с отправителем.',
      DRAFT: 'Этот конверт ещё не отправлен.',
      IN_PROGRESS: '',
    } satisfies Record<EnvelopeStatus, string>,
    youSigned: 'Вы подписали. Мы сообщим отправителю, когда подпишут все.',
    youDeclined: 'Вы отказались от подписания. Отправитель уведомлён.',
  },
  kz: {
    documents: 'Құжаттар',
    readBefore: 'Қол қоймас бұрын құжаттарды оқып шығыңыз.',
    download: 'Түпнұсқаны жүктеп алу',
    loading: 'Құжат жүктелуде…',
    previewFailed: 'Құжатты көрсету мүмкін болмады. Оқу үшін оны жүктеп алыңыз.',
    noScript: 'Құжатты осында көру үшін JavaScript қосыңыз немесе оны жүктеп алыңыз.',
    pageLabel: '{total} беттің {n}-беті',
    pagesCut: 'Мұнда {total} беттің алғашқы {shown} беті көрсетілген; толық оқу үшін құжатты жүктеп алыңыз.',
    xmlCut: 'Мұнда құжаттың басы көрсетілген; толық оқу үшін оны жүктеп алыңыз.',
    preview: (name: string) => `Қарау: ${name}`,
    signedCopy: 'Қол қойылған дана',
    signedCopyIntro: 'Барлық қол қоюшылар қол қойды. Қол қойылған құжаттарды жүктеп алыңыз:',
    cms: (name: string) => `${name}: қолтаңба файлы (CMS, .p7s)`,
    archive: 'Қол қою қызметінің мұрағаттық көшірмесі (ZIP)',
    ends: {
      COMPLETED: 'Барлық қол қоюшылар қол қойды: конверт аяқталды. Басқа әрекет қажет емес.',
      DECLINED: 'Қол қою тоқтатылды: қол қоюшылардың бірі бас тартты. Басқа әрекет қажет емес.',
      CANCELED: 'Жіберуші бұл конвертті болдырмады. Басқа әрекет қажет емес.',
      EXPIRED: 'Барлығы қол қойғанға дейін конверттің мерзімі өтіп кетті. Қол қою әлі қажет болса, жіберушіге хабарласыңыз.',
      FAILED: 'Қол қоюды аяқтау мүмкін болмады. Жіберушіге хабарласыңыз.',
      DRAFT: 'Бұл конверт әлі жіберілмеген.',
      IN_PROGRESS: '',
    } satisfies Record<EnvelopeStatus, string>,
    youSigned: 'Сіз қол қойдыңыз. Барлығы қол қойғанда жіберушіге хабарлаймыз.',
    youDeclined: 'Сіз қол қоюдан бас тарттыңыз. Жіберушіге хабарланды.',
  },
} as const;

export interface DocumentsExtras {
  xml: Map<string, XmlPreview>;
}

/** The script that draws PDFs on the link page (an ES module: it imports pdf.js from /assets/pdfjs). */
export const SIGNER_SCRIPT_TAG = '<script type="module" src="/assets/signer.js"></script>';

/**
 * The documents the signer is asked to sign, shown before any button: each PDF drawn in the page by pdf.js
 * (the script fills the box; without it a note and the download remain), each XML as readable text, and a
 * download of every original. Once the envelope is complete: the signed copies.
 */
export function documentsSection(view: LinkView, token: string, language: Language, extras: DocumentsExtras): string {
  const t = TEXT[language];
  const base = `/s/${encodeURIComponent(token)}/documents`;
  const items = view.documents
    .map((d) => {
      const url = `${base}/${encodeURIComponent(d.id)}`;
      const head = `<h3>${e(d.name)}</h3><p class="muted">${Math.ceil(d.size / 1024)} KB · <code>SHA-256 ${e(d.sha256)}</code></p>`;
      const download = `<p><a class="button" href="${e(url)}" download data-download="${e(d.id)}">${e(t.download)}</a></p>`;
      let preview: string;
      if (view.envelope.documentType === 'pdf') {
        preview = `<div class="doc-preview pdf" data-pdf-url="${e(url)}" data-max-pages="${PDF_PREVIEW_MAX_PAGES}" data-page-label="${e(t.pageLabel)}" data-pages-cut="${e(t.pagesCut)}" data-failed="${e(t.previewFailed)}" role="group" aria-label="${e(t.preview(d.name))}">
<p class="muted" data-preview-status aria-live="polite">${e(t.loading)}</p><noscript><p>${e(t.noScript)}</p></noscript></div>`;
      } else {
        const xml = extras.xml.get(d.id);
        preview = xml
          ? `<pre class="doc-preview xml" tabindex="0" aria-label="${e(t.preview(d.name))}" data-xml-preview>${e(xml.text)}</pre>${xml.truncated ? `<p class="muted">${e(t.xmlCut)}</p>` : ''}`
          : '';
      }
      return `<article class="doc" data-document="${e(d.id)}">${head}${preview}${download}</article>`;
    })
    .join('\n');
  return `<section class="card" aria-labelledby="documents-heading"><h2 id="documents-heading">${e(t.documents)}</h2><p class="muted">${e(t.readBefore)}</p>${items}</section>
${signedCopySection(view, token, language)}`;
}

function signedCopySection(view: LinkView, token: string, language: Language): string {
  if (view.envelope.status !== 'COMPLETED') return '';
  const t = TEXT[language];
  const base = `/s/${encodeURIComponent(token)}`;
  const cms = view.documents.map((d) => `<li><a href="${e(`${base}/documents/${encodeURIComponent(d.id)}/signed.p7s`)}" download data-signed-cms>${e(t.cms(d.name))}</a></li>`).join('');
  const archive = `<li><a href="${e(`${base}/archive.zip`)}" download data-archive>${e(t.archive)}</a></li>`;
  return `<section class="card ok" aria-labelledby="signed-heading" data-signed-copy><h2 id="signed-heading">${e(t.signedCopy)}</h2><p>${e(t.signedCopyIntro)}</p><ul>${cms}${archive}</ul></section>`;
}

/**
 * The card for a link that has nothing left to do, or null while the signer still has a part to play:
 * a clear sentence for each way an envelope ends, and for a signer who already signed or declined.
 */
export function endStateCard(view: LinkView, language: Language): string | null {
  const t = TEXT[language];
  const { envelope, signer } = view;
  const status = envelope.status;
  if (signer.status === 'DECLINED') return `<div class="card bad" role="status" data-state="declined">${e(t.youDeclined)}</div>`;
  if (status !== 'IN_PROGRESS') {
    const tone = status === 'COMPLETED' ? 'ok' : status === 'EXPIRED' || status === 'DRAFT' ? 'wait' : 'bad';
    return `<div class="card ${tone}" role="status" data-state="finished" data-envelope-status="${e(status)}">${e(t.ends[status])}</div>`;
  }
  if (signer.status === 'SIGNED') return `<div class="card ok" role="status" data-state="signed">${e(t.youSigned)}</div>`;
  return null;
}

/** Room for the drawn pages and the XML text on a phone as on a desktop. */
export const DOCUMENT_STYLES = `
  .doc { border-top: 1px solid #eceff4; padding-top: .5rem; margin-top: .75rem; }
  .doc h3 { font-size: 1.05rem; margin: .25rem 0; word-break: break-word; }
  .doc-preview.pdf { max-height: 75vh; overflow: auto; background: #eef1f6; border: 1px solid #d8dde6; border-radius: 6px; padding: .5rem; }
  .doc-preview.pdf canvas { display: block; width: 100%; height: auto; background: #fff; margin: 0 auto .5rem; box-shadow: 0 1px 3px rgba(0,0,0,.2); }
  .doc-preview.xml { max-height: 60vh; overflow: auto; background: #f7f8fa; border: 1px solid #d8dde6; border-radius: 6px; padding: .75rem; font-size: .85rem; white-space: pre-wrap; word-break: break-word; }
  h2 { font-size: 1.15rem; }
`;
