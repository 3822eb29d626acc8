import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module.js';
import type { AppConfig } from '../config/app-config.js';
import { APP_CONFIG } from '../config/config.module.js';
import { EnvelopesModule } from '../envelopes/envelopes.module.js';
import { EvidenceModule } from '../evidence/evidence.module.js';
import { WebhooksModule } from '../webhooks/webhooks.module.js';
import { Mailer } from './mailer.js';
import { NotificationsService } from './notifications.service.js';
import { HttpSmsGateway } from './sms/http-sms-gateway.js';
import { SMS_SENDER } from './sms/sms-sender.js';

/** Mail (SMTP via nodemailer, or the development mailbox) and SMS (an HTTP gateway) to signers and senders, sent as retried jobs. */
@Module({
  imports: [AuditModule, WebhooksModule, EnvelopesModule, EvidenceModule],
  providers: [
    Mailer,
    NotificationsService,
    {
      provide: SMS_SENDER,
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => (config.SMS_GATEWAY_URL && config.SMS_GATEWAY_TOKEN ? new HttpSmsGateway(config.SMS_GATEWAY_URL, config.SMS_GATEWAY_TOKEN) : null),
    },
  ],
  exports: [NotificationsService],
})
export class NotificationsModule {}
