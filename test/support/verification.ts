import { unzipSync } from 'fflate';
import request from 'supertest';
import { CloudEdsClient } from '../../src/cloud-eds/cloud-eds.client.js';
import type { TestApp } from './app.js';
import { type EnvelopeView, type SigningDriver, until } from './signing.js';

/** Signs every signer of an envelope in order and waits until it is COMPLETED. */
export async function signAll(drive: SigningDriver, envelopeId: string, count: number): Promise<EnvelopeView> {
  for (let i = 0; i < count; i++) await drive.round(envelopeId, i);
  return drive.waitForStatus(envelopeId, 'COMPLETED');
}

/** Waits until the audit trail records `count` provider archives as kept (the intake job ran for each round). */
export async function waitForArchives(drive: SigningDriver, envelopeId: string, count: number): Promise<void> {
  await until(async () => {
    const res = await drive.http.get(`/v1/envelopes/${envelopeId}/audit`).set(drive.auth());
    const kept = (res.body.events ?? []).filter((e: { type: string }) => e.type === 'round.archive_stored');
    return kept.length >= count;
  }, `${count} provider archives of envelope ${envelopeId}`);
}

/** The provider's archive of a session, downloaded the way anyone with the organisation's provider key can. */
export async function providerArchive(t: TestApp, drive: SigningDriver, sessionId: string): Promise<Record<string, Uint8Array>> {
  const client = new CloudEdsClient({ baseUrl: t.config.cloudEdsBaseUrl, signUrl: t.config.cloudEdsSignUrl, apiKey: await drive.providerKey() });
  return unzipSync(await client.downloadArchive(sessionId));
}

/** POST /v1/verify with a file, as the public does (no API key). */
export function verifyFile(t: TestApp, bytes: Uint8Array, name = 'document.pdf') {
  return request(t.app.getHttpServer()).post('/v1/verify').attach('file', Buffer.from(bytes), name);
}

/** supertest parser for a binary download: the body as a Buffer. */
export function binaryParser(response: request.Response, callback: (error: Error | null, body: Buffer) => void): void {
  const chunks: Buffer[] = [];
  const stream = response as unknown as NodeJS.ReadableStream;
  stream.on('data', (chunk: Buffer) => chunks.push(chunk));
  stream.on('end', () => callback(null, Buffer.concat(chunks)));
}
