import { KycError } from '../kyc.errors.js';
import { EDOCUMENT_ERRORS, EDOCUMENT_ERROR_KINDS, kycErrorKindOf } from '../kyc-errors.js';
import { FlowClient, metadataBody, parseFlowResult, parseFlowWebhook } from './flow.client.js';

describe('identity client rules', () => {
  it('maps every row of 004 by status and exact text, and nothing else', () => {
    for (const kind of EDOCUMENT_ERROR_KINDS) expect(kycErrorKindOf(EDOCUMENT_ERRORS[kind].status, EDOCUMENT_ERRORS[kind].text)).toBe(kind);
    expect(kycErrorKindOf(503, 'Could not send request to e-document service')).toBeUndefined();
    expect(KycError.fromResponse('x', 502, 'Bad gateway')).toMatchObject({ kind: 'SERVER_ERROR', retryable: true });
    expect(KycError.fromResponse('x', 400, 'Invalid IIN')).toMatchObject({ kind: 'INVALID_IIN', retryable: false });
  });

  it('sends metadata with the guide\'s names', () => {
    expect(metadataBody({ edocument: { iin: { value: '1', changeable: false }, skipInput: true }, general: { interchangeableTech: ['LD'] }, extra: { iin: '2' } })).toEqual({
      edocument: { iin: { value: '1', changeable: false }, skip_input: true },
      general: { interchangeable_tech: ['LD'] },
      extra: { iin: '2' },
    });
  });

  it('reads {} as not ready, a full result, and webhooks', () => {
    expect(parseFlowResult({}, 's')).toBeNull();
    const result = parseFlowResult(
      { id: 's', flow_session_result: true, technologies: [{ name: 'Liveness', description: 'd', code: 'LDHP' }], edocument_result: { document_type: 'identity_card', result_json: { common: { docOwner: { iin: '1', firstName: 'A', lastName: 'B', middleName: null } } } } },
      's',
    );
    expect(result).toMatchObject({ passed: true, technologies: [{ code: 'LDHP' }], edocument: { owner: { iin: '1', firstName: 'A', lastName: 'B', middleName: null } } });
    expect(parseFlowWebhook({ id: 'e', event: 'technology.end', session_id: 's', success: true, flow_name: 'f' })).toMatchObject({ event: 'technology.end', sessionId: 's', success: true });
    expect(parseFlowWebhook({ event: 'other', session_id: 's' })).toBeUndefined();
  });

  it('builds the person\'s URL and never prints the key', () => {
    const client = new FlowClient({ baseUrl: 'https://kyc.example', flowUrl: 'https://remote.example/', apiKey: 'secret-flow-key-123456' });
    expect(client.personUrl('abc', { redirect: 'https://x.example/back?a=1', locale: 'en', webView: true })).toBe('https://remote.example/flow/abc?redirect=https%3A%2F%2Fx.example%2Fback%3Fa%3D1&locale=en&web_view=true');
    expect(client.finishedUrl).toBe('https://remote.example/finished');
    expect(JSON.stringify(client)).not.toContain('secret-flow-key');
  });
});
