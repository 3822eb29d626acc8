import { makeIin } from '../../../cms/iin.js';
import { EDOCUMENT_TYPE_NAMES } from '../../../kyc/edocument/edocument.types.js';
import { eDocumentNumber, eDocumentResultJson, genderOf } from './edocument-data.js';
import { apiCodes, flowResultJson, stepResult } from './flow-steps.js';
import { barcodePng, documentImagePng, facePhotoPng, imageTypeOf } from './images.js';

const iin = makeIin({ year: 1991, month: 7, day: 2 }, false, 40);
const name = { surname: 'ЖУМАБАЕВА', givenName: 'ДИНАРА', patronymic: 'АСХАТКЫЗЫ' };

describe('E-Document data of the sandbox', () => {
  it.each(EDOCUMENT_TYPE_NAMES)('%s: owner, document part and a part of its own, the same for the same person', (type) => {
    const json = eDocumentResultJson(type, { iin, name }, new Date(Date.UTC(2019, 4, 15)));
    expect(json).toMatchObject({
      common: { docOwner: { iin, firstName: 'ДИНАРА', lastName: 'ЖУМАБАЕВА', middleName: 'АСХАТКЫЗЫ', birthDate: '1991-07-02', gender: { code: '2' } } },
      document: { type: { code: type }, number: eDocumentNumber(type, iin), beginDate: '2019-05-15', status: { code: '00' } },
    });
    expect(Object.keys(json[type] as object).length).toBeGreaterThan(0);
    expect(eDocumentResultJson(type, { iin, name }, new Date(Date.UTC(2019, 4, 15)))).toEqual(json);
  });

  it('gender from the IIN; pictures are real PNGs', () => {
    expect(genderOf(iin)).toBe('female');
    for (const png of [facePhotoPng(iin), documentImagePng(iin, 'passport'), barcodePng('12345678')]) expect(imageTypeOf(png)).toBe('png');
    expect(imageTypeOf(Buffer.from('%PDF-1.7'))).toBeUndefined();
  });
});

describe('flow results of the sandbox', () => {
  const at = new Date('2026-01-01T00:00:00Z');
  it('{} until over; a fail names its technology; an unfinished expired session says EXPIRED', () => {
    const technologies = apiCodes(['LD', 'F2F']);
    expect(technologies).toEqual(['LDHP', 'F2F']);
    expect(flowResultJson({ id: 's', technologies, results: [], finished: false, expired: false })).toEqual({});
    const failed = flowResultJson({ id: 's', technologies, results: [stepResult('LDHP', false, 'SPOOFING', at)], finished: true, expired: false });
    expect(failed).toMatchObject({ flow_session_result: false, flow_session_failure_reasons: ['LIVENESS'], liveness_result: { result: false, failure_reason: { type: 'SPOOFING' } } });
    const passed = flowResultJson({ id: 's', technologies, results: [stepResult('LDHP', true, null, at), stepResult('F2F', true, null, at, 'photo1')], finished: true, expired: false });
    expect(passed).toMatchObject({ flow_session_result: true, flow_session_failure_reasons: [], face2face_result: { result: true, prediction_percent: 97.3 } });
    expect(flowResultJson({ id: 's', technologies, results: [stepResult('LDHP', true, null, at)], finished: false, expired: true })).toMatchObject({ flow_session_result: false, flow_session_failure_reasons: ['EXPIRED'] });
  });
});
