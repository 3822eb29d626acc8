import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

export class VerifiedFileDto {
  @ApiProperty({ description: 'SHA-256 of the uploaded bytes, hex' }) sha256: string;
  @ApiProperty() size: number;
  @ApiProperty({ enum: ['pdf', 'xml', 'cms', 'unknown'], description: 'Judged by content, never by name' }) type: string;
  @ApiProperty({ nullable: true, type: String, description: "The provider's DocumentId an archive copy carries in its metadata" }) documentId: string | null;
}

export class ValidityTimeDto {
  @ApiProperty({ format: 'date-time', description: "The time the signing certificate's validity and revocation were judged at" }) time: string;
  @ApiProperty({
    enum: ['timestamp', 'signingTime', 'verificationTime'],
    description: 'What proves that time: a verified RFC 3161 timestamp (genTime), the signingTime the signer claims (no proof), or, with neither, the time of verification',
  })
  source: string;
}

export class SignatureTimestampDto {
  @ApiProperty({ enum: ['passed', 'failed'], description: 'passed: the token verifies (TSA signature, imprint of this signature, TSA chain to the anchors, timeStamping purpose)' }) status: string;
  @ApiProperty({ nullable: true, type: String, format: 'date-time', description: "The token's genTime" }) genTime: string | null;
  @ApiProperty({ nullable: true, type: String, description: 'The TSA: the name in the token, else its certificate subject' }) tsa: string | null;
  @ApiProperty({ nullable: true, type: String, description: "The token's serial number, hex" }) serialNumber: string | null;
}

export class RevocationStatusDto {
  @ApiProperty({ enum: ['good', 'revoked', 'unknown', 'not-checked'], description: 'not-checked: REVOCATION=off on this instance' }) status: string;
  @ApiProperty({ nullable: true, enum: ['ocsp', 'crl'], type: String }) source: string | null;
  @ApiProperty({ nullable: true, type: String, format: 'date-time' }) revokedAt: string | null;
}

export class PublicSignerDto {
  @ApiProperty({ description: '1 = signed first' }) order: number;
  @ApiProperty({ nullable: true, type: String, description: "The certificate's common name" }) name: string | null;
  @ApiProperty({ nullable: true, type: String }) organization: string | null;
  @ApiProperty({ nullable: true, type: String, example: '********0126', description: 'Masked IIN' }) iin: string | null;
  @ApiProperty({ nullable: true, type: String, format: 'date-time', description: 'The signingTime attribute of the CMS' }) signingTime: string | null;
  @ApiProperty({ nullable: true, type: 'object', properties: { serialNumber: { type: 'string' }, issuer: { type: 'string' } } }) certificate: { serialNumber: string; issuer: string } | null;
  @ApiProperty({ enum: ['TOTAL_PASSED', 'TOTAL_FAILED', 'INDETERMINATE'] }) indication: string;
  @ApiPropertyOptional({
    description:
      'Why not TOTAL_PASSED: FORMAT_FAILURE, HASH_FAILURE, SIG_CRYPTO_FAILURE, REVOKED (revoked before the validity time), NO_SIGNING_CERTIFICATE_FOUND, NO_CERTIFICATE_CHAIN_FOUND, OUT_OF_BOUNDS_NO_POE, SIGNED_DATA_NOT_FOUND, UNSUPPORTED_ALGORITHM, CHAIN_CONSTRAINTS_FAILURE, TIMESTAMP_FAILURE, REVOKED_NO_POE (revoked after a time nothing proves), TRY_LATER (revocation unknown under REVOCATION=hard), GENERIC',
  })
  subIndication?: string;
  @ApiProperty({ type: ValidityTimeDto }) validityTime: ValidityTimeDto;
  @ApiProperty({ nullable: true, type: SignatureTimestampDto, description: 'The signature timestamp, embedded or obtained by this instance (TSA_URL)' }) timestamp: SignatureTimestampDto | null;
  @ApiProperty({ type: RevocationStatusDto }) revocation: RevocationStatusDto;
  @ApiProperty({ type: [String], description: 'What does not change the indication but a relying party should know (e.g. revocation unknown under REVOCATION=soft)' }) warnings: string[];
}

export class VerifiedEnvelopeDto {
  @ApiProperty({ enum: ['DRAFT', 'IN_PROGRESS', 'COMPLETED', 'DECLINED', 'CANCELED', 'EXPIRED'] }) status: string;
  @ApiProperty({ type: 'array', items: { type: 'object', properties: { name: { type: 'string' }, sha256: { type: 'string' } } } }) documents: { name: string; sha256: string }[];
}

export class VerifiedSessionDto {
  @ApiProperty({ description: "The provider session's check_id" }) checkId: string;
  @ApiProperty({ description: 'The public page of that session (what the QR code on the copy opens)' }) verifyUrl: string;
}

export class VerificationResultDto {
  @ApiProperty({
    enum: ['original', 'archive-copy', 'cms', 'none'],
    description: 'original: a signed document (by SHA-256); archive-copy: a copy from a provider archive (by SHA-256, or by DocumentId when altered); cms: a signature file; none: nothing known',
  })
  match: string;
  @ApiProperty({ nullable: true, type: Boolean, description: 'original/archive-copy: bytes unchanged (false = altered copy); cms: every signature verifies; none: null' })
  intact: boolean | null;
  @ApiProperty() message: string;
  @ApiProperty({ type: VerifiedFileDto }) file: VerifiedFileDto;
  @ApiProperty({
    nullable: true,
    type: 'object',
    additionalProperties: true,
    description:
      'The verification report, IINs masked: indication, subIndication, chainChecked, warnings; signatures with signer, certificate, signingTime (claimed), validityTime {time, source: timestamp|signingTime|verificationTime}, timestamp {status, genTime, serialNumber, tsa, policy, message}, revocation {status: good|revoked|unknown|not-checked, source: ocsp|crl, url, thisUpdate, revokedAt, reason, message}, warnings, algorithms, checks; content; depth',
  })
  report: Record<string, unknown> | null;
  @ApiProperty({ type: [PublicSignerDto], description: 'Signers in signing order' }) signers: PublicSignerDto[];
  @ApiProperty({ nullable: true, type: VerifiedEnvelopeDto, description: 'Only when the file matched' }) envelope: VerifiedEnvelopeDto | null;
  @ApiProperty({ nullable: true, type: VerifiedSessionDto }) session: VerifiedSessionDto | null;
}
