import { Inject, Injectable, OnApplicationShutdown } from '@nestjs/common';
import nodemailer, { type Transporter } from 'nodemailer';
import type { AppConfig } from '../config/app-config.js';
import { APP_CONFIG } from '../config/config.module.js';
import { SendFailure } from './sms/sms-sender.js';

export interface OutgoingMail {
  to: string;
  subject: string;
  text: string;
  attachments?: { filename: string; content: Buffer; contentType: string }[];
}

/** Sends mail over SMTP_URL with nodemailer; without SMTP_URL nothing leaves the machine (development mailbox). */
@Injectable()
export class Mailer implements OnApplicationShutdown {
  private readonly transport: Transporter | null;

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {
    this.transport = config.SMTP_URL ? nodemailer.createTransport(config.SMTP_URL, { from: config.MAIL_FROM }) : null;
  }

  /** `smtp` or `dev-mailbox`: where send() puts messages. */
  get kind(): 'smtp' | 'dev-mailbox' {
    return this.transport ? 'smtp' : 'dev-mailbox';
  }

  /** Throws SendFailure: permanent when the server answered 5xx (a retry would be refused the same way). */
  async send(mail: OutgoingMail): Promise<void> {
    if (!this.transport) return;
    try {
      await this.transport.sendMail({ from: this.config.MAIL_FROM, to: mail.to, subject: mail.subject, text: mail.text, attachments: mail.attachments });
    } catch (error) {
      const code = (error as { responseCode?: unknown }).responseCode;
      const message = error instanceof Error ? error.message : 'send failed';
      throw new SendFailure(`SMTP: ${message.slice(0, 400)}`, typeof code === 'number' && code >= 500 && code < 600);
    }
  }

  onApplicationShutdown(): void {
    this.transport?.close();
  }
}
