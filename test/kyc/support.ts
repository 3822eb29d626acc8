import { EDocumentClient } from '../../src/kyc/edocument/edocument.client.js';
import { FlowClient } from '../../src/kyc/flows/flow.client.js';
import { SandboxKycAccountsService, type CreatedSandboxFlow } from '../../src/sandbox/kyc/sandbox-kyc-accounts.service.js';
import type { TestApp } from '../support/app.js';

/** A flow of the identity sandbox, made the way `kezek sandbox flow create` makes it. */
export function sandboxFlow(t: TestApp, technologies = 'LD,F2F', clientId?: string): Promise<CreatedSandboxFlow> {
  return t.app.get(SandboxKycAccountsService).createFlow({ name: `Flow ${technologies}`, technologies, clientId });
}

export function flowClient(t: TestApp, apiKey: string): FlowClient {
  return new FlowClient({ baseUrl: `${t.baseUrl}/sandbox/kyc`, flowUrl: `${t.baseUrl}/sandbox/remote`, apiKey, timeoutMs: 60_000, retry: { attempts: 1, baseDelayMs: 10 } });
}

export function edocumentClient(t: TestApp, backendApiKey: string): EDocumentClient {
  return new EDocumentClient({ baseUrl: `${t.baseUrl}/sandbox/kyc`, backendApiKey, timeoutMs: 60_000, retry: { attempts: 1, baseDelayMs: 10 } });
}

/** The OTP through the automation endpoint, as a test or a demo reads it. */
export async function otpOf(t: TestApp, backendApiKey: string, backendSessionId: string): Promise<string> {
  const response = await fetch(`${t.baseUrl}/sandbox/automation/edocument/otp?backend_session_id=${backendSessionId}`, { headers: { 'x-api-key': backendApiKey } });
  if (response.status !== 200) throw new Error(`otp: ${response.status} ${await response.text()}`);
  return ((await response.json()) as { code: string }).code;
}

export async function completeFlow(t: TestApp, apiKey: string, sessionId: string, body: Record<string, unknown>): Promise<Response> {
  return fetch(`${t.baseUrl}/sandbox/automation/flows/${sessionId}/complete`, { method: 'POST', headers: { 'x-api-key': apiKey, 'content-type': 'application/json' }, body: JSON.stringify(body) });
}
