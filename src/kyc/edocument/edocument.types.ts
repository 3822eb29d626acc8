/** The document types of 004 (path parameter of the request), with the guide's descriptions. */
export const EDOCUMENT_TYPES = {
  identity_card: 'Identity card',
  driver_license: 'Driver`s license',
  birth_certificate: 'Certificate of birth',
  marriage_certificate: 'Certificate of marriage',
  change_fio_certificate: 'Сertificate of change of surname, first name, patronymic',
  divorce_certificate: 'Divorce certificate',
  diploma: 'Diploma',
  srts: 'SRTS',
  vaccination: 'Vaccination passport',
  social_id: 'Social ID',
  disability_certificate: 'ID of a person with a disability',
  large_family_certificate: 'Certificate of a large family',
  asp_certificate: 'Certificate of the recipient of targeted social assistance',
  tech_passport: 'Technical passport',
  pension: 'Pension',
  passport: 'Passport of a citizen of the Republic of Kazakhstan',
  student_card: 'Student card',
  vnzh: 'Residence Permit',
  pcr_certificate: 'The Result of PCR testing on COVID-19',
  lbg_card: 'Stateless Person Card',
  insurance_policy: 'Insurance Policy',
  hunter: 'Hunter Certificate',
  oralman: 'Oralman',
  attorney: 'Attorney',
} as const;

export type EDocumentType = keyof typeof EDOCUMENT_TYPES;
export const EDOCUMENT_TYPE_NAMES = Object.keys(EDOCUMENT_TYPES) as EDocumentType[];

export function isEDocumentType(value: unknown): value is EDocumentType {
  return typeof value === 'string' && Object.hasOwn(EDOCUMENT_TYPES, value);
}

export type EDocumentFileType = 'pdf' | 'image';

export interface EDocumentRequest {
  iin: string;
  /** 77XXXXXXXXX */
  phone: string;
}

export interface EDocumentApproval {
  backendSessionId: string;
  /** The OTP the person received from 1414. */
  code: string;
  /** Include the document file in the answer. */
  file: boolean;
  fileType: EDocumentFileType;
}

/** The approved document (004 §3); images and files are base64 as the provider sends them. */
export interface EDocumentResult {
  documentType: string;
  resultJson: Record<string, unknown>;
  facePhoto: string | null;
  qrcode: string | null;
  barcode: string | null;
  documentImage: string | null;
  gender: string | null;
  documentPdf: string | null;
}

export interface GeneratedEDocumentFiles {
  documentPdf: string | null;
  documentImage: string | null;
}
