import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module.js';
import { WebhooksModule } from '../webhooks/webhooks.module.js';
import { Mailer } from './mailer.js';
import { NotificationsService } from './notifications.service.js';

/** E-mail to signers (SMTP via nodemailer, or the development mailbox), sent as retried jobs. */
@Module({
  imports: [AuditModule, WebhooksModule],
  providers: [Mailer, NotificationsService],
  exports: [NotificationsService],
})
export class NotificationsModule {}
