import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

export class VerifiedFileDto {
  @ApiProperty({ description: 'SHA-256 of the uploaded bytes, hex' }) sha256: string;
  @ApiProperty() size: number;
  @ApiProperty({ enum: ['pdf', 'xml', 'cms', 'unknown'], description: 'Judged by content, never by name' }) type: string;
  @ApiProperty({ nullable: true, type: String, description: "The provider's DocumentId an archive copy carries in its metadata" }) documentId: string | null;
}

export class PublicSignerDto {
  @ApiProperty({ description: '1 = signed first' }) order: number;
  @ApiProperty({ nullable: true, type: String, description: "The certificate's common name" }) name: string | null;
  @ApiProperty({ nullable: true, type: String }) organization: string | null;
  @ApiProperty({ nullable: true, type: String, example: '********0126', description: 'Masked IIN' }) iin: string | null;
  @ApiProperty({ nullable: true, type: String, format: 'date-time', description: 'The signingTime attribute of the CMS' }) signingTime: string | null;
  @ApiProperty({ nullable: true, type: 'object', properties: { serialNumber: { type: 'string' }, issuer: { type: 'string' } } }) certificate: { serialNumber: string; issuer: string } | null;
  @ApiProperty({ enum: ['TOTAL_PASSED', 'TOTAL_FAILED', 'INDETERMINATE'] }) indication: string;
  @ApiPropertyOptional() subIndication?: string;
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
    description: 'The verification report (indication, subIndication, signatures with signer, certificate, signingTime, algorithms, checks; content; depth), IINs masked',
  })
  report: Record<string, unknown> | null;
  @ApiProperty({ type: [PublicSignerDto], description: 'Signers in signing order' }) signers: PublicSignerDto[];
  @ApiProperty({ nullable: true, type: VerifiedEnvelopeDto, description: 'Only when the file matched' }) envelope: VerifiedEnvelopeDto | null;
  @ApiProperty({ nullable: true, type: VerifiedSessionDto }) session: VerifiedSessionDto | null;
}
