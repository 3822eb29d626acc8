import { completedMessage, signerTurnMessage, signerTurnSms } from './templates.js';

describe('signer turn mail', () => {
  const input = { title: 'Lease', signerName: 'Anna', link: 'https://kezek.example/s/abc', organisation: 'Acme', reminder: false };
  it.each([
    ['en', 'your turn to sign “Lease”'],
    ['ru', 'ваша очередь подписать «Lease»'],
    ['kz', '«Lease» құжатына қол қою кезегіңіз'],
  ] as const)('%s: subject, link and organisation', (language, subject) => {
    const message = signerTurnMessage(language, input);
    expect(message.subject).toBe(subject);
    expect(message.text).toContain(input.link);
    expect(message.text).toContain('Acme');
  });

  it('marks reminders', () => {
    expect(signerTurnMessage('en', { ...input, reminder: true }).subject).toMatch(/^Reminder: /);
  });
});

describe('SMS and completion mail', () => {
  it.each(['en', 'ru', 'kz'] as const)('%s: the SMS carries the whole link; the completion mail names every signer', (language) => {
    const link = 'https://kezek.example/s/abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG';
    const sms = signerTurnSms(language, { title: 'A very long title '.repeat(10), link, organisation: 'Acme', reminder: true });
    expect(sms.endsWith(link)).toBe(true);
    expect(sms.length).toBeLessThan(200);
    const mail = completedMessage(language, { title: 'Lease', organisation: 'Acme', signers: ['Anna', 'Nurlan'], consoleLink: 'https://kezek.example/console/envelopes/1' });
    expect(mail.subject).toContain('Lease');
    expect(mail.text).toContain('Anna');
    expect(mail.text).toContain('Nurlan');
    expect(mail.text).toContain('https://kezek.example/console/envelopes/1');
  });
});
