import { Inject, Injectable } from '@nestjs/common';
import { AppError } from '../common/errors/app-error.js';
import type { AppConfig } from '../config/app-config.js';
import { APP_CONFIG } from '../config/config.module.js';
import { registerErrorCodes } from '../common/errors/error-codes.js';
import { KYC_ACCOUNT_PROVISIONER, type KycAccountProvisioner } from './kyc-account-provisioner.js';
import { KycClientsFactory } from './kyc-clients.factory.js';
import { KycCredentialsService } from './kyc-credentials.service.js';
import type { FlowClient } from './flows/flow.client.js';

export const KYC_FLOW_ERRORS = registerErrorCodes({ KYC_NOT_CONFIGURED: 409 });
type KycFlowErrorCodes = typeof KYC_FLOW_ERRORS;
declare module '../common/errors/error-codes.js' {
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type
  interface FeatureErrorCodes extends KycFlowErrorCodes {}
}

/**
 * The organisation's flow for a set of technologies: its key from `kezek org kyc set`, or (where a provisioner
 * is bound: the local sandbox) a flow opened on first need, stored sealed like a configured one.
 */
@Injectable()
export class KycFlowKeysService {
  constructor(
    private readonly credentials: KycCredentialsService,
    private readonly clients: KycClientsFactory,
    @Inject(KYC_ACCOUNT_PROVISIONER) private readonly provisioner: KycAccountProvisioner,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** Makes sure a flow with exactly these technologies can be used (provisioning one if possible). */
  async ensure(organisationId: string, technologies: string[]): Promise<void> {
    if (await this.credentials.flowKey(organisationId, technologies)) return;
    const account = await this.provisioner.provision({
      name: `Kezek organisation ${organisationId} (${technologies.join(', ')})`,
      technologies,
      backendApiKey: await this.credentials.backendApiKey(organisationId),
      webhookUrl: this.config.publicUrl('/v1/kyc-webhooks/flows'),
    });
    if (!account) {
      throw new AppError('KYC_NOT_CONFIGURED', `This organisation has no identity flow with ${technologies.join(', ')}: set its API KEY with \`kezek org kyc set --flow ${technologies.join(',')}=<key>\``);
    }
    await this.credentials.set(organisationId, { backendApiKey: account.backendApiKey, flows: [{ technologies, apiKey: account.flowApiKey }] });
  }

  /** A client of the organisation's flow with these technologies. */
  async client(organisationId: string, technologies: string[]): Promise<FlowClient> {
    await this.ensure(organisationId, technologies);
    const key = await this.credentials.flowKey(organisationId, technologies);
    if (!key) throw new AppError('KYC_NOT_CONFIGURED', `This organisation has no identity flow with ${technologies.join(', ')}`);
    return this.clients.flow(key);
  }
}
