import { Injectable } from '@nestjs/common';
import type { KycAccountProvisioner } from '../../kyc/kyc-account-provisioner.js';
import { SandboxKycAccountsService } from './sandbox-kyc-accounts.service.js';

/** The sandbox's side of the identity provisioner port: a flow (and a client, once) per organisation and technology set. */
@Injectable()
export class SandboxKycProvisioner implements KycAccountProvisioner {
  constructor(private readonly accounts: SandboxKycAccountsService) {}

  async provision(request: { name: string; technologies: string[]; backendApiKey?: string; webhookUrl?: string }): Promise<{ flowApiKey: string; backendApiKey: string }> {
    const clientId = request.backendApiKey ? (await this.accounts.clientByBackendKey(request.backendApiKey).catch(() => undefined))?.id : undefined;
    const flow = await this.accounts.createFlow({ name: request.name.slice(0, 200), technologies: request.technologies.join(','), clientId, webhookUrl: request.webhookUrl });
    return { flowApiKey: flow.apiKey, backendApiKey: flow.backendApiKey };
  }
}
