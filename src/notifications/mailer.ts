import { Inject, Injectable, OnApplicationShutdown } from '@nestjs/common';
import nodemailer, { type Transporter } from 'nodemailer';
import type { AppConfig } from '../config/app-config.js';
import { APP_CONFIG } from '../config/config.module.js';

export interface OutgoingMail {
  to: string;
  subject: string;
  text: string;
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

  async send(mail: OutgoingMail): Promise<void> {
    if (!this.transport) return;
    await this.transport.sendMail({ from: this.config.MAIL_FROM, to: mail.to, subject: mail.subject, text: mail.text });
  }

  onApplicationShutdown(): void {
    this.transport?.close();
  }
}
