import { Injectable } from '@nestjs/common';
import type { ProviderAccountProvisioner } from '../organisations/provider-account-provisioner.js';
import { SandboxOrganisationsService } from './sandbox-organisations.service.js';

/** The sandbox's side of the provisioner port: a sandbox account per organisation that has no credentials. */
@Injectable()
export class SandboxProviderAccounts implements ProviderAccountProvisioner {
  constructor(private readonly organisations: SandboxOrganisationsService) {}

  async provision(request: { name: string; webhookUrl: string }): Promise<{ apiKey: string; webhookSecret: string }> {
    const account = await this.organisations.create(request);
    return { apiKey: account.apiKey, webhookSecret: account.webhookSecret };
  }
}
