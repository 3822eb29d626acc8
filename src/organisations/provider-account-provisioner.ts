/**
 * A port: something that can open a provider account for an organisation that has no credentials yet.
 * Production has none (organisations set their credentials with `kezek org provider set`); the local
 * sandbox provides one, bound at the wiring point (app.module.ts), so production code never imports it.
 */
export interface ProviderAccountProvisioner {
  /** Opens an account whose webhooks go to `webhookUrl`; undefined when this provisioner cannot. */
  provision(request: { name: string; webhookUrl: string }): Promise<{ apiKey: string; webhookSecret: string } | undefined>;
}

export const PROVIDER_ACCOUNT_PROVISIONER = Symbol('ProviderAccountProvisioner');

/** The binding when nothing provisions accounts: every organisation brings its own credentials. */
export const NO_PROVIDER_ACCOUNTS: ProviderAccountProvisioner = {
  provision: async () => undefined,
};
