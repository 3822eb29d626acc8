/**
 * The rules a webhook URL must follow before its host is even resolved. Address checks come after
 * resolution (address-classification.ts), at registration and again before every delivery.
 */
export const MAX_WEBHOOK_URL_LENGTH = 2048;

export class WebhookUrlError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'WebhookUrlError';
  }
}

export interface ParsedWebhookUrl {
  url: URL;
  /** The host to resolve: brackets of an IPv6 literal removed. */
  hostname: string;
}

/** https only, unless plain http is allowed (development); no credentials, no fragment. */
export function parseWebhookUrl(raw: string, { allowHttp }: { allowHttp: boolean }): ParsedWebhookUrl {
  if (raw.length > MAX_WEBHOOK_URL_LENGTH) throw new WebhookUrlError(`url: longer than ${MAX_WEBHOOK_URL_LENGTH} characters`);
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new WebhookUrlError('url: not an absolute URL');
  }
  if (url.protocol !== 'https:' && !(allowHttp && url.protocol === 'http:')) {
    throw new WebhookUrlError(allowHttp ? 'url: must use https or http' : 'url: must use https');
  }
  if (url.username || url.password) throw new WebhookUrlError('url: must not contain credentials; authenticate deliveries with the signature');
  if (url.hash) throw new WebhookUrlError('url: must not contain a fragment');
  const hostname = url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname;
  if (!hostname) throw new WebhookUrlError('url: has no host');
  return { url, hostname };
}
