import { SendFailure, type OutgoingSms, type SmsSender } from './sms-sender.js';

/** Longest wait for the gateway's answer; the job retries later. */
const TIMEOUT_MS = 10_000;

/**
 * An HTTP SMS gateway: `POST {url}` with `{"to": "77XXXXXXXXX", "text": "..."}` and `Authorization: Bearer {token}`;
 * any 2xx is accepted. 4xx means the gateway refused this message (final); 5xx, timeouts and connection
 * errors are worth retrying. The token stays in a private field (never in errors or logs).
 */
export class HttpSmsGateway implements SmsSender {
  readonly kind = 'sms-gateway';
  readonly #token: string;

  constructor(
    private readonly url: string,
    token: string,
  ) {
    this.#token = token;
  }

  async send(sms: OutgoingSms): Promise<void> {
    let response: Response;
    try {
      response = await fetch(this.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${this.#token}` },
        body: JSON.stringify({ to: sms.to, text: sms.text }),
        redirect: 'error',
        signal: AbortSignal.timeout(TIMEOUT_MS),
      });
    } catch (error) {
      const reason = error instanceof Error && error.name === 'TimeoutError' ? `no answer in ${TIMEOUT_MS / 1000} s` : 'could not connect';
      throw new SendFailure(`SMS gateway: ${reason}`, false);
    }
    const excerpt = await readExcerpt(response);
    if (response.ok) return;
    throw new SendFailure(`SMS gateway answered ${response.status}${excerpt ? `: ${excerpt}` : ''}`, response.status >= 400 && response.status < 500 && response.status !== 429 && response.status !== 408);
  }
}

/** At most the first KB of an answer, for the record; the rest is never read. */
async function readExcerpt(response: Response): Promise<string> {
  const reader = response.body?.getReader();
  if (!reader) return '';
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    while (size < 1024) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value);
      size += value.length;
    }
  } catch {
    // an excerpt is best effort
  } finally {
    await reader.cancel().catch(() => undefined);
  }
  return Buffer.concat(chunks).toString('utf8').slice(0, 200).replace(/\s+/g, ' ').trim();
}
