import { KycCredentialsService } from '../../src/kyc/kyc-credentials.service.js';
import type { TestApp } from '../support/app.js';
import { makePdf } from '../support/documents.js';
import { type EnvelopeView, SigningDriver, until } from '../support/signing.js';

export interface IdentityView {
  checks: string[];
  status: string;
  failedAttempts: number;
  maxAttempts: number;
  validUntil: string | null;
  referencePhoto: boolean;
  attempts: { attempt: number; sessionId: string; technologies: string[]; status: string; failureReason: string | null; results: Record<string, Record<string, unknown>> | null }[];
}

export type IdentityEnvelopeView = EnvelopeView & { signers: (EnvelopeView['signers'][number] & { identity: IdentityView | null })[] };

/**
 * Drives a signer through the identity step the way people do: the link's Sign button sends them to the
 * sandbox's flow page, the sandbox automation (or its pages) plays the person, the flow sends them back.
 */
export class IdentityDriver extends SigningDriver {
  constructor(
    private readonly app: TestApp,
    organisation: { id: string; key: string },
  ) {
    super(app, organisation);
  }

  async envelope(identity: object, extra: { iin?: string; fullName?: string } = {}): Promise<IdentityEnvelopeView> {
    return (await this.create({
      title: 'Loan agreement',
      documents: [{ name: 'loan.pdf', contentBase64: (await makePdf()).toString('base64') }],
      signers: [{ fullName: extra.fullName ?? 'Әлиев Нұрлан Серікұлы', iin: extra.iin ?? '900101300126', phone: '+7 701 123 45 67', identity }],
      send: true,
    })) as IdentityEnvelopeView;
  }

  async view(id: string): Promise<IdentityEnvelopeView> {
    return (await this.get(id)) as IdentityEnvelopeView;
  }

  /** The organisation's flow key (provisioned by Kezek in the sandbox) for these technologies. */
  flowKey(technologies: string[]): Promise<string> {
    return this.app.app.get(KycCredentialsService).flowKey(this.organisation.id, technologies).then((key) => {
      if (!key) throw new Error(`no flow key for ${technologies.join(',')}`);
      return key;
    });
  }

  backendKey(): Promise<string> {
    return this.app.app.get(KycCredentialsService).backendApiKey(this.organisation.id).then((key) => {
      if (!key) throw new Error('no backend key');
      return key;
    });
  }

  /** Presses Sign on the link: answers where Kezek sent the signer (the flow page, or the Cloud EDS sign page). */
  async pressSign(link: string, query = ''): Promise<{ location: string; sessionId: string | null }> {
    const res = await this.http.post(`${this.path(link)}/sign${query}`);
    if (res.status !== 303) throw new Error(`sign: ${res.status} ${res.text.slice(0, 400)}`);
    const location = res.headers.location as string;
    const match = /\/sandbox\/remote\/flow\/([0-9a-f-]{36})/.exec(location);
    return { location, sessionId: match ? match[1] : null };
  }

  /** Ends a flow session at the sandbox as the person would (automation endpoint). */
  async finishFlow(technologies: string[], sessionId: string, body: Record<string, unknown>): Promise<void> {
    const res = await this.http.post(`/sandbox/automation/flows/${sessionId}/complete`).set('x-api-key', await this.flowKey(technologies)).send(body);
    if (res.status !== 200) throw new Error(`flow complete: ${res.status} ${JSON.stringify(res.body)}`);
  }

  /** Follows the flow's redirect back to the link (`/s/{token}/identity`). */
  async comeBack(flowUrl: string) {
    const redirect = new URL(flowUrl).searchParams.get('redirect');
    if (!redirect) throw new Error(`no redirect in ${flowUrl}`);
    return this.http.get(this.path(redirect));
  }

  async waitForIdentity(id: string, status: string): Promise<IdentityEnvelopeView> {
    return until(async () => {
      const view = await this.view(id);
      return view.signers[0].identity?.status === status ? view : undefined;
    }, `identity to be ${status}`, 120_000);
  }

  async webhookEvents(envelopeId: string): Promise<{ type: string; data: Record<string, unknown> }[]> {
    const rows = (await this.app.db.query(`SELECT payload FROM webhook_delivery WHERE envelope_id = $1 ORDER BY created_at, id`, [envelopeId])) as { payload: { type: string; data: Record<string, unknown> } }[];
    return rows.map((r) => ({ type: r.payload.type, data: r.payload.data }));
  }

  async auditTypes(envelopeId: string): Promise<string[]> {
    const audit = await this.http.get(`/v1/envelopes/${envelopeId}/audit`).set(this.auth()).expect(200);
    expect(audit.body.chainValid).toBe(true);
    return audit.body.events.map((e: { type: string }) => e.type);
  }
}
