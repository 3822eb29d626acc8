import { Inject, Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { APP_CONFIG } from '../config/config.module.js';
import type { AppConfig } from '../config/app-config.js';
import { SandboxSessionsService } from './sandbox-sessions.service.js';
import { SandboxWebhooksService } from './sandbox-webhooks.service.js';

/**
 * The sandbox's background loop: expires sessions whose 30 minutes are over (so their webhook goes out
 * even if nobody asks) and sends due webhook deliveries. State lives in PostgreSQL; each instance runs one.
 */
@Injectable()
export class SandboxPollerService implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('SandboxPoller');
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;
  private stopped = false;
  private again = false;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly sessions: SandboxSessionsService,
    private readonly webhooks: SandboxWebhooksService,
  ) {}

  onApplicationBootstrap(): void {
    this.webhooks.onKick(() => this.tick());
    this.schedule();
  }

  async onModuleDestroy(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.running;
  }

  private schedule(): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => this.tick(), this.config.SANDBOX_POLL_INTERVAL_MS);
    this.timer.unref();
  }

  /** Runs one round now (or right after the current one). */
  tick(): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    if (this.timer) clearTimeout(this.timer);
    this.running = this.round().finally(() => {
      this.running = undefined;
      if (this.again) {
        this.again = false;
        this.tick();
      } else {
        this.schedule();
      }
    });
  }

  private async round(): Promise<void> {
    try {
      await this.sessions.expireDue();
      while (!this.stopped && (await this.webhooks.deliverDue()) > 0) {
        // keep going while there is due work
      }
    } catch (error) {
      if (!this.stopped) this.logger.warn({ err: error }, 'sandbox poll round failed');
    }
  }
}
