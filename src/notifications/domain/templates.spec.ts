import { signerTurnMessage } from './templates.js';

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
