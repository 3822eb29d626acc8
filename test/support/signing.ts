import request from 'supertest';
import { SecretBox } from '../../src/common/crypto/secret-box.js';
import { Organisation } from '../../src/organisations/organisation.entity.js';
import type { TestApp } from './app.js';

export interface EnvelopeView {
  id: string;
  status: string;
  statusReason: string | null;
  documents: { id: string; name: string; sha256: string; signed: boolean }[];
  signers: {
    id: string;
    fullName: string;
    iin: string;
    status: string;
    attempts: number;
    link: string | null;
    rounds: { id: string; sessionId: string; checkId: string; status: string; failureReason: string | null; rejectionReason: string | null }[];
  }[];
}

export type Outcome = { outcome: 'sign'; signAsIin?: string } | { outcome: 'cancel'; reason: string };

export async function until<T>(probe: () => Promise<T | undefined | false>, what: string, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`gave up waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/**
 * Drives envelopes end to end like their users do: the integrator through the API, each signer through their
 * link and the sandbox (the sandbox's automation endpoint stands in for the person on the sign page).
 */
export class SigningDriver {
  constructor(
    private readonly t: TestApp,
    readonly organisation: { id: string; key: string },
  ) {}

  get http() {
    return request(this.t.app.getHttpServer());
  }

  auth() {
    return { Authorization: `Bearer ${this.organisation.key}` };
  }

  async create(body: object): Promise<EnvelopeView> {
    const res = await this.http.post('/v1/envelopes').set(this.auth()).send(body);
    if (res.status !== 201) throw new Error(`create failed: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body;
  }

  async get(id: string): Promise<EnvelopeView> {
    const res = await this.http.get(`/v1/envelopes/${id}`).set(this.auth()).expect(200);
    return res.body;
  }

  /** The organisation's sandbox API key (Kezek provisioned the sandbox account itself). */
  async providerKey(): Promise<string> {
    const row = await this.t.db
      .getRepository(Organisation)
      .createQueryBuilder('o')
      .select(['o.id', 'o.providerApiKeySealed'])
      .where('o.id = :id', { id: this.organisation.id })
      .getOneOrFail();
    return new SecretBox(this.t.config.secretsKey).open(row.providerApiKeySealed!);
  }

  path(link: string): string {
    const url = new URL(link);
    return `${url.pathname}${url.search}`;
  }

  /** Opens the signer's link page and presses "Sign": answers the provider session the sign page is for. */
  async startSigning(link: string): Promise<{ sessionId: string; signUrl: string }> {
    await this.http.get(this.path(link)).expect(200);
    const res = await this.http.post(`${this.path(link)}/sign`);
    if (res.status !== 303) throw new Error(`sign failed: ${res.status} ${res.text.slice(0, 500)}`);
    const signUrl = res.headers.location as string;
    const sessionId = new URL(signUrl).searchParams.get('session');
    if (!sessionId) throw new Error(`no session in ${signUrl}`);
    return { sessionId, signUrl };
  }

  /** Ends the session at the sandbox as the person would, and answers where the sign page sent them. */
  async complete(sessionId: string, outcome: Outcome, redirectUrl?: string): Promise<string> {
    const res = await this.http
      .post(`/sandbox/automation/sessions/${sessionId}/complete`)
      .set('x-api-key', await this.providerKey())
      .send({ ...outcome, ...(redirectUrl ? { redirectUrl } : {}) });
    if (res.status !== 200) throw new Error(`complete failed: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body.redirect_url as string;
  }

  /** A whole round for one signer: open, sign or fail on the sandbox, come back to the return page. */
  async round(envelopeId: string, signerIndex: number, outcome: Outcome = { outcome: 'sign' }): Promise<{ returnPage: string; sessionId: string }> {
    const signer = (await this.get(envelopeId)).signers[signerIndex];
    const { sessionId, signUrl } = await this.startSigning(signer.link!);
    const redirect = await this.complete(sessionId, outcome, new URL(signUrl).searchParams.get('redirect_url') ?? undefined);
    const page = await this.http.get(this.path(redirect)).expect(200);
    return { returnPage: page.text, sessionId };
  }

  async waitForStatus(id: string, status: string): Promise<EnvelopeView> {
    return until(async () => {
      const view = await this.get(id);
      return view.status === status ? view : undefined;
    }, `envelope ${id} to be ${status}`);
  }

  async signedCms(envelopeId: string, documentId: string): Promise<Buffer> {
    const res = await this.http
      .get(`/v1/envelopes/${envelopeId}/documents/${documentId}/signed`)
      .set(this.auth())
      .buffer(true)
      .parse((response, callback) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => callback(null, Buffer.concat(chunks)));
      })
      .expect(200);
    return res.body as Buffer;
  }
}

export function signers(iins: readonly string[], orders?: number[]) {
  const names = ['Әлиев Нұрлан', 'Иванова Анна', 'Сейітқали Дәурен', 'Ким Ольга', 'Жақсыбеков Ерлан', 'Петров Павел'];
  return iins.map((iin, i) => ({ fullName: names[i % names.length], iin, phone: `+7 701 ${String(1000000 + i).slice(0, 3)} ${String(10 + i)} ${String(20 + i)}`, ...(orders ? { routingOrder: orders[i] } : {}) }));
}
