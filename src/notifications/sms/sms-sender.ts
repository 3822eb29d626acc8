/** A text message to a phone number (`77XXXXXXXXX`). */
export interface OutgoingSms {
  to: string;
  text: string;
}

/** Sends SMS. Implementations throw `SendFailure` so the job knows whether a retry can help. */
export interface SmsSender {
  /** Name recorded as the message's transport. */
  readonly kind: string;
  send(sms: OutgoingSms): Promise<void>;
}

/** Nest injection token of the configured SmsSender (absent when no gateway is configured). */
export const SMS_SENDER = Symbol('SMS_SENDER');

/**
 * A message that did not go out. `permanent`: the server refused it (SMTP 5xx, a gateway's 4xx), so a retry
 * would be refused too; otherwise (timeouts, 5xx from a gateway, SMTP 4xx, no connection) it is retried.
 */
export class SendFailure extends Error {
  constructor(
    message: string,
    readonly permanent: boolean,
  ) {
    super(message);
    this.name = 'SendFailure';
  }
}
