import { lookup } from 'node:dns/promises';
import { classifyAddress, isAddressAllowed, type AddressClass } from './domain/address-classification.js';
import { parseWebhookUrl, WebhookUrlError } from './domain/webhook-url.js';

/** A webhook URL whose host resolved only to addresses it may be sent to; deliveries connect to those only. */
export interface WebhookTarget {
  url: URL;
  hostname: string;
  /** Every address the host resolved to, all checked, in resolver order. */
  addresses: { address: string; family: 4 | 6 }[];
}

export class WebhookTargetError extends Error {
  constructor(
    readonly reason: 'invalid-url' | 'unresolvable' | 'forbidden-address',
    message: string,
    readonly addressClass?: AddressClass,
  ) {
    super(message);
    this.name = 'WebhookTargetError';
  }
}

/**
 * Parses the URL and resolves its host (every address, as the connection could use any of them). All must be
 * public unless `allowPrivate` (development): one private answer is enough for a DNS-rebinding attempt.
 * Called at registration and again before each delivery, which then connects to the returned address.
 */
export async function resolveWebhookTarget(raw: string, { allowPrivate }: { allowPrivate: boolean }): Promise<WebhookTarget> {
  let parsed;
  try {
    parsed = parseWebhookUrl(raw, { allowHttp: allowPrivate });
  } catch (error) {
    if (error instanceof WebhookUrlError) throw new WebhookTargetError('invalid-url', error.message);
    throw error;
  }
  let addresses: { address: string; family: number }[];
  try {
    addresses = await lookup(parsed.hostname, { all: true, verbatim: true });
  } catch (error) {
    const code = (error as { code?: string }).code ?? 'error';
    throw new WebhookTargetError('unresolvable', `url: host ${parsed.hostname} does not resolve (${code})`);
  }
  if (!addresses.length) throw new WebhookTargetError('unresolvable', `url: host ${parsed.hostname} does not resolve`);
  for (const { address } of addresses) {
    const cls = classifyAddress(address);
    if (!isAddressAllowed(cls, allowPrivate)) {
      const what = address === parsed.hostname ? `${address}` : `host ${parsed.hostname} resolves to ${address}, which`;
      throw new WebhookTargetError('forbidden-address', `url: ${what} is a ${cls} address; webhooks go to public addresses only`, cls);
    }
  }
  return {
    url: parsed.url,
    hostname: parsed.hostname,
    addresses: addresses.map(({ address, family }) => ({ address, family: family === 6 ? 6 : 4 })),
  };
}
