import type { Language } from '../../common/domain/language.js';

export interface Message {
  subject: string;
  text: string;
}

/** The mail a signer gets when it is their turn (and, as a reminder, until they sign). Plain text: no tracking, no remote images. */
export function signerTurnMessage(language: Language, input: { title: string; signerName: string; link: string; organisation: string; reminder: boolean }): Message {
  switch (language) {
    case 'kz':
      return {
        subject: `${input.reminder ? 'Еске салу: ' : ''}«${input.title}» құжатына қол қою кезегіңіз`,
        text: `Құрметті ${input.signerName},\n\n${input.organisation} сізден «${input.title}» құжатына қол қоюды сұрайды.\nҚұжатты ашып, қол қою үшін сілтемеге өтіңіз:\n${input.link}\n\nСілтеме тек сізге арналған, оны басқаларға жібермеңіз.\n— Kezek`,
      };
    case 'en':
      return {
        subject: `${input.reminder ? 'Reminder: ' : ''}your turn to sign “${input.title}”`,
        text: `Dear ${input.signerName},\n\n${input.organisation} asks you to sign “${input.title}”.\nOpen the document and sign here:\n${input.link}\n\nThe link is yours alone: do not forward it.\n— Kezek`,
      };
    default:
      return {
        subject: `${input.reminder ? 'Напоминание: ' : ''}ваша очередь подписать «${input.title}»`,
        text: `Уважаемый(ая) ${input.signerName},\n\n${input.organisation} просит вас подписать «${input.title}».\nОткройте документ и подпишите по ссылке:\n${input.link}\n\nСсылка только для вас: не пересылайте её.\n— Kezek`,
      };
  }
}

/** The SMS a signer gets when it is their turn (and as a reminder): short, the link in full. */
export function signerTurnSms(language: Language, input: { title: string; link: string; organisation: string; reminder: boolean }): string {
  const title = input.title.length > 60 ? `${input.title.slice(0, 57)}…` : input.title;
  switch (language) {
    case 'kz':
      return `${input.reminder ? 'Еске салу. ' : ''}${input.organisation}: «${title}» құжатына қол қойыңыз: ${input.link}`;
    case 'en':
      return `${input.reminder ? 'Reminder. ' : ''}${input.organisation}: please sign “${title}”: ${input.link}`;
    default:
      return `${input.reminder ? 'Напоминание. ' : ''}${input.organisation}: подпишите «${title}»: ${input.link}`;
  }
}

/** The mail to the sender when every signer has signed; the certificate of completion is attached. */
export function completedMessage(language: Language, input: { title: string; organisation: string; signers: string[]; consoleLink: string }): Message {
  const list = input.signers.map((name) => `  • ${name}`).join('\n');
  switch (language) {
    case 'kz':
      return {
        subject: `«${input.title}» құжатына барлығы қол қойды`,
        text: `«${input.title}» конвертіне (${input.organisation}) барлық қол қоюшылар қол қойды:\n${list}\n\nАяқталу сертификаты хатқа тіркелген. Қол қойылған құжаттар, дәлелдер пакеті және оқиғалар тарихы консольде:\n${input.consoleLink}\n— Kezek`,
      };
    case 'en':
      return {
        subject: `Everyone has signed “${input.title}”`,
        text: `Every signer of “${input.title}” (${input.organisation}) has signed:\n${list}\n\nThe certificate of completion is attached. The signed documents, the evidence pack and the timeline are in the console:\n${input.consoleLink}\n— Kezek`,
      };
    default:
      return {
        subject: `Все подписали «${input.title}»`,
        text: `Все подписанты конверта «${input.title}» (${input.organisation}) подписали:\n${list}\n\nСертификат о завершении во вложении. Подписанные документы, пакет доказательств и история событий — в консоли:\n${input.consoleLink}\n— Kezek`,
      };
  }
}
