import { parseWebhookUrl, WebhookUrlError } from './webhook-url.js';

describe('parseWebhookUrl', () => {
  it.each([
    ['https://hooks.example.com/kezek', false, 'hooks.example.com'],
    ['https://hooks.example.com:8443/k?x=1', false, 'hooks.example.com'],
    ['https://[2606:4700::1111]/k', false, '2606:4700::1111'],
    ['https://2130706433/', false, '127.0.0.1'],
    ['https://0x7f.1/', false, '127.0.0.1'],
    ['http://127.0.0.1:8080/hook', true, '127.0.0.1'],
  ])('accepts %s (allowHttp %s) and resolves host %s', (raw, allowHttp, hostname) => {
    expect(parseWebhookUrl(raw, { allowHttp }).hostname).toBe(hostname);
  });

  it.each([
    ['http://hooks.example.com/', false, /https/],
    ['ftp://hooks.example.com/', true, /https or http/],
    ['hooks.example.com/path', false, /absolute/],
    ['https://user:pw@hooks.example.com/', false, /credentials/],
    ['https://token@hooks.example.com/', false, /credentials/],
    ['https://hooks.example.com/#frag', false, /fragment/],
    [`https://hooks.example.com/${'a'.repeat(2100)}`, false, /longer/],
  ])('refuses %s', (raw, allowHttp, message) => {
    expect(() => parseWebhookUrl(raw, { allowHttp })).toThrow(WebhookUrlError);
    expect(() => parseWebhookUrl(raw, { allowHttp })).toThrow(message);
  });
});
