import { parseIin } from '../../../cms/iin.js';
import { EDOCUMENT_TYPES, type EDocumentType } from '../../../kyc/edocument/edocument.types.js';
import type { PersonName } from '../../domain/kazakh-names.js';
import { sha256 } from '../../../common/crypto/sha256.js';

/**
 * Realistic `result_json` for each of the 24 document types of guide 004. The shape every type shares is
 * `common.docOwner {iin, firstName, lastName, middleName, birthDate, gender}` (what public integrations read)
 * and `document {type, number, beginDate, endDate, issueOrganization, status}`; each type adds its own part.
 * Values are derived from the IIN, so one person always gets the same document.
 */

export interface EDocumentSubject {
  iin: string;
  name: PersonName;
}

function digits(seed: string, count: number): string {
  const hash = sha256(seed);
  let out = '';
  for (let i = 0; out.length < count; i++) out += String(hash[i % hash.length]! % 10);
  return out;
}

function shiftYears(date: string, years: number): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  return `${y + years}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

const MVD = { code: '002', nameRu: 'МИНИСТЕРСТВО ВНУТРЕННИХ ДЕЛ РК', nameKz: 'ҚР ІШКІ ІСТЕР МИНИСТРЛІГІ' };
const JUSTICE = { code: '003', nameRu: 'МИНИСТЕРСТВО ЮСТИЦИИ РК', nameKz: 'ҚР ӘДІЛЕТ МИНИСТРЛІГІ' };
const LABOUR = { code: '005', nameRu: 'МИНИСТЕРСТВО ТРУДА И СОЦИАЛЬНОЙ ЗАЩИТЫ НАСЕЛЕНИЯ РК', nameKz: 'ҚР ЕҢБЕК ЖӘНЕ ХАЛЫҚТЫ ӘЛЕУМЕТТІК ҚОРҒАУ МИНИСТРЛІГІ' };
const HEALTH = { code: '007', nameRu: 'МИНИСТЕРСТВО ЗДРАВООХРАНЕНИЯ РК', nameKz: 'ҚР ДЕНСАУЛЫҚ САҚТАУ МИНИСТРЛІГІ' };
const EDUCATION = { code: '009', nameRu: 'МИНИСТЕРСТВО НАУКИ И ВЫСШЕГО ОБРАЗОВАНИЯ РК', nameKz: 'ҚР ҒЫЛЫМ ЖӘНЕ ЖОҒАРЫ БІЛІМ МИНИСТРЛІГІ' };

interface TypeRule {
  issuer: typeof MVD;
  /** Years of validity, or null for a document without an end date. */
  validYears: number | null;
  numberLength: number;
  extra(subject: EDocumentSubject, seed: string, birthDate: string): Record<string, unknown>;
}


const RULES: Record<EDocumentType, TypeRule> = {
  identity_card: { issuer: MVD, validYears: 10, numberLength: 9, extra: (_s, seed) => ({ citizenship: { code: 'KAZ', nameRu: 'КАЗАХСТАН' }, nationality: { code: '005', nameRu: 'КАЗАХ' }, birthPlace: { country: 'КАЗАХСТАН', city: `АЛМАТЫ` }, mrz: `IDKAZ${digits(seed, 9)}<<<<<<` }) },
  passport: { issuer: MVD, validYears: 10, numberLength: 8, extra: (_s, seed) => ({ citizenship: { code: 'KAZ', nameRu: 'КАЗАХСТАН' }, mrz: `P<KAZ${digits(seed, 8)}<<<<<<<<` }) },
  driver_license: { issuer: MVD, validYears: 10, numberLength: 8, extra: () => ({ categories: [{ code: 'B', beginDate: '2015-06-01' }, { code: 'B1', beginDate: '2015-06-01' }] }) },
  birth_certificate: { issuer: JUSTICE, validYears: null, numberLength: 7, extra: (s, seed, birthDate) => ({ actRecord: { number: digits(`${seed}a`, 4), date: birthDate }, father: { lastName: s.name.surname, firstName: 'АСХАТ' }, mother: { lastName: s.name.surname.replace(/ОВ$|ЕВ$/, '$&А'), firstName: 'АЙГУЛЬ' } }) },
  marriage_certificate: { issuer: JUSTICE, validYears: null, numberLength: 7, extra: (_s, seed) => ({ actRecord: { number: digits(`${seed}m`, 4), date: '2016-08-20' }, spouse: { iin: `${digits(`${seed}s`, 12)}`, lastName: 'ЖУМАБАЕВА', firstName: 'ДИНАРА' } }) },
  change_fio_certificate: { issuer: JUSTICE, validYears: null, numberLength: 7, extra: (s) => ({ previous: { lastName: 'СЕРИКОВ', firstName: s.name.givenName }, current: { lastName: s.name.surname, firstName: s.name.givenName } }) },
  divorce_certificate: { issuer: JUSTICE, validYears: null, numberLength: 7, extra: (_s, seed) => ({ actRecord: { number: digits(`${seed}d`, 4), date: '2021-02-11' } }) },
  diploma: { issuer: EDUCATION, validYears: null, numberLength: 8, extra: () => ({ institution: 'КАЗАХСКИЙ НАЦИОНАЛЬНЫЙ УНИВЕРСИТЕТ ИМ. АЛЬ-ФАРАБИ', speciality: '6B06102 — ИНФОРМАЦИОННЫЕ СИСТЕМЫ', degree: 'БАКАЛАВР', graduationYear: 2014 }) },
  srts: { issuer: MVD, validYears: null, numberLength: 8, extra: (_s, seed) => ({ vehicle: { make: 'TOYOTA', model: 'CAMRY', year: 2019, vin: `JTNB${digits(seed, 13)}`, plate: `${digits(`${seed}p`, 3)}ABC02` } }) },
  tech_passport: { issuer: MVD, validYears: null, numberLength: 8, extra: (_s, seed) => ({ vehicle: { make: 'HYUNDAI', model: 'TUCSON', year: 2021, vin: `KMH${digits(seed, 14)}`, plate: `${digits(`${seed}t`, 3)}KZA01`, color: 'БЕЛЫЙ' } }) },
  vaccination: { issuer: HEALTH, validYears: 1, numberLength: 10, extra: () => ({ vaccinations: [{ vaccine: 'QazVac', dose: 1, date: '2021-05-10' }, { vaccine: 'QazVac', dose: 2, date: '2021-06-01' }] }) },
  pcr_certificate: { issuer: HEALTH, validYears: null, numberLength: 10, extra: () => ({ test: { method: 'PCR', result: 'NEGATIVE', sampledAt: '2022-01-14T09:30:00+06:00', laboratory: 'ГОРОДСКАЯ ЛАБОРАТОРИЯ №1' } }) },
  social_id: { issuer: LABOUR, validYears: null, numberLength: 10, extra: () => ({ category: 'SOCIAL_CARD' }) },
  disability_certificate: { issuer: LABOUR, validYears: 2, numberLength: 10, extra: () => ({ group: 3, cause: 'ОБЩЕЕ ЗАБОЛЕВАНИЕ' }) },
  large_family_certificate: { issuer: LABOUR, validYears: 5, numberLength: 10, extra: () => ({ childrenCount: 4 }) },
  asp_certificate: { issuer: LABOUR, validYears: 1, numberLength: 10, extra: () => ({ assistanceType: 'АДРЕСНАЯ СОЦИАЛЬНАЯ ПОМОЩЬ', monthlyAmountKzt: 18000 }) },
  pension: { issuer: LABOUR, validYears: null, numberLength: 10, extra: () => ({ fund: 'ЕНПФ', contributionsMonths: 124 }) },
  student_card: { issuer: EDUCATION, validYears: 4, numberLength: 8, extra: () => ({ institution: 'ЕВРАЗИЙСКИЙ НАЦИОНАЛЬНЫЙ УНИВЕРСИТЕТ ИМ. Л.Н. ГУМИЛЕВА', course: 2, faculty: 'ФАКУЛЬТЕТ ИНФОРМАЦИОННЫХ ТЕХНОЛОГИЙ' }) },
  vnzh: { issuer: MVD, validYears: 10, numberLength: 9, extra: () => ({ citizenship: { code: 'UZB', nameRu: 'УЗБЕКИСТАН' }, permitType: 'ПОСТОЯННОЕ' }) },
  lbg_card: { issuer: MVD, validYears: 10, numberLength: 9, extra: () => ({ citizenship: null, status: 'ЛИЦО БЕЗ ГРАЖДАНСТВА' }) },
  insurance_policy: { issuer: HEALTH, validYears: 1, numberLength: 12, extra: () => ({ insurer: 'ФОНД СОЦИАЛЬНОГО МЕДИЦИНСКОГО СТРАХОВАНИЯ', insuredStatus: 'ЗАСТРАХОВАН' }) },
  hunter: { issuer: MVD, validYears: 10, numberLength: 8, extra: () => ({ huntingSociety: 'РЕСПУБЛИКАНСКОЕ ОБЩЕСТВО ОХОТНИКОВ' }) },
  oralman: { issuer: LABOUR, validYears: 1, numberLength: 9, extra: () => ({ countryOfOrigin: 'МОНГОЛИЯ', quota: true }) },
  attorney: { issuer: JUSTICE, validYears: 3, numberLength: 8, extra: (_s, seed) => ({ notary: 'НОТАРИУС Г. АСТАНА', registryNumber: digits(`${seed}r`, 6), principal: { iin: digits(`${seed}q`, 12) } }) },
};

export function eDocumentNumber(type: EDocumentType, iin: string): string {
  return digits(`${type}:${iin}`, RULES[type].numberLength);
}

/** The `result_json` of one document type for one person, with the owner in `common.docOwner`. */
export function eDocumentResultJson(type: EDocumentType, subject: EDocumentSubject, issuedOn: Date): Record<string, unknown> {
  const rule = RULES[type];
  const info = parseIin(subject.iin);
  const birthDate = info.birthDate ?? '1990-01-01';
  const beginDate = issuedOn.toISOString().slice(0, 10);
  const seed = `${type}:${subject.iin}`;
  return {
    common: {
      docOwner: {
        iin: subject.iin,
        firstName: subject.name.givenName,
        lastName: subject.name.surname,
        middleName: subject.name.patronymic || null,
        birthDate,
        gender: info.sex === 'female' ? { code: '2', nameRu: 'ЖЕНСКИЙ' } : { code: '1', nameRu: 'МУЖСКОЙ' },
      },
    },
    document: {
      type: { code: type, nameEn: EDOCUMENT_TYPES[type] },
      number: eDocumentNumber(type, subject.iin),
      beginDate,
      endDate: rule.validYears === null ? null : shiftYears(beginDate, rule.validYears),
      issueOrganization: rule.issuer,
      status: { code: '00', nameRu: 'ДОКУМЕНТ ДЕЙСТВИТЕЛЕН' },
    },
    [type]: rule.extra(subject, seed, birthDate),
  };
}

/** `gender` of the answer: "calculated from personal number" (004). */
export function genderOf(iin: string): 'male' | 'female' | null {
  return parseIin(iin).sex ?? null;
}
