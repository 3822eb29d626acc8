import type { Language } from '../../web/language.js';

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
