/**
 * A port: something that can open an identity flow (with its API KEY) for an organisation that has none for
 * the technologies it needs. Production has none (`kezek org kyc set`); the local sandbox provides one, bound
 * at the wiring point (app.module.ts), like the Cloud EDS account provisioner.
 */
export interface KycAccountProvisioner {
  /**
   * Opens a flow with these technologies (cabinet codes, e.g. ["F2F", "LD"]) for the client of
   * `backendApiKey` (or a new client), whose webhooks go to `webhookUrl`; undefined when this provisioner cannot.
   */
  provision(request: { name: string; technologies: string[]; backendApiKey?: string; webhookUrl?: string }): Promise<{ flowApiKey: string; backendApiKey: string } | undefined>;
}

export const KYC_ACCOUNT_PROVISIONER = Symbol('KycAccountProvisioner');

/** The binding when nothing provisions identity flows: organisations bring their own keys. */
export const NO_KYC_ACCOUNTS: KycAccountProvisioner = {
  provision: async () => undefined,
};
