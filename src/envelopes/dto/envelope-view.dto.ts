import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

export class RoundViewDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ description: '1 for the signer’s first provider session, 2 for the next…' }) attempt: number;
  @ApiProperty({ description: 'Provider session id' }) sessionId: string;
  @ApiProperty({ description: 'Provider check_id: verification of archive copies (QR code)' }) checkId: string;
  @ApiProperty({ enum: ['STARTING', 'STARTED', 'PROCESS', 'FINISHED', 'CANCELED', 'RELEASED'] }) status: string;
  @ApiPropertyOptional({ enum: ['EXPIRED', 'LIVENESS', 'FACE2FACE', 'EDOCUMENT', 'OTHER'], nullable: true, type: String }) failureReason: string | null;
  @ApiPropertyOptional({ enum: ['SIGNATURE_INVALID', 'CONTENT_MISMATCH', 'IDENTITY_MISMATCH'], nullable: true, type: String, description: 'Why Kezek rejected a FINISHED round' })
  rejectionReason: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) rejectionMessage: string | null;
  @ApiPropertyOptional({ nullable: true, type: String, description: 'What the provider redirect said (a hint; never taken as the state)' }) redirectStatus: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) redirectReason: string | null;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiProperty({ format: 'date-time', description: 'The provider session’s 30 minutes end here' }) expiresAt: string;
  @ApiPropertyOptional({ format: 'date-time', nullable: true, type: String }) finishedAt: string | null;
}

export class SignerViewDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() fullName: string;
  @ApiProperty() iin: string;
  @ApiProperty({ description: 'Normalised 77XXXXXXXXX' }) phone: string;
  @ApiProperty() routingOrder: number;
  @ApiProperty({ enum: ['WAITING', 'ACTIVE', 'SIGNED', 'DECLINED', 'FAILED'] }) status: string;
  @ApiProperty({ description: 'Rounds that ended without an accepted signature' }) attempts: number;
  @ApiPropertyOptional({ description: 'The signer’s durable link (present once the envelope is sent)', nullable: true, type: String }) link: string | null;
  @ApiPropertyOptional({ format: 'date-time', nullable: true, type: String }) activatedAt: string | null;
  @ApiPropertyOptional({ format: 'date-time', nullable: true, type: String }) signedAt: string | null;
  @ApiPropertyOptional({ format: 'date-time', nullable: true, type: String }) declinedAt: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) declineReason: string | null;
  @ApiPropertyOptional({ format: 'date-time', nullable: true, type: String }) failedAt: string | null;
  @ApiPropertyOptional({ format: 'date-time', nullable: true, type: String, description: 'When the signer last opened their link (recorded at most once per LINK_OPEN_WINDOW_SECONDS)' }) lastOpenedAt: string | null;
  @ApiProperty({ type: [RoundViewDto] }) rounds: RoundViewDto[];
}

export class DocumentViewDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() name: string;
  @ApiProperty() size: number;
  @ApiProperty({ description: 'SHA-256 (hex) of the original' }) sha256: string;
  @ApiProperty({ description: 'Whether a signed CMS can be downloaded (…/documents/{id}/signed)' }) signed: boolean;
}

export class EnvelopeViewDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() title: string;
  @ApiProperty({ enum: ['DRAFT', 'IN_PROGRESS', 'COMPLETED', 'DECLINED', 'CANCELED', 'EXPIRED', 'FAILED'] }) status: string;
  @ApiPropertyOptional({ nullable: true, type: String }) statusReason: string | null;
  @ApiProperty({ enum: ['pdf', 'xml'] }) documentType: string;
  @ApiProperty({ enum: ['kz', 'en', 'ru'] }) language: string;
  @ApiPropertyOptional({ nullable: true, type: String }) redirectUrl: string | null;
  @ApiProperty() maxAttempts: number;
  @ApiProperty({ type: 'object', additionalProperties: true }) metadata: Record<string, unknown>;
  @ApiProperty({ format: 'date-time' }) expiresAt: string;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiPropertyOptional({ format: 'date-time', nullable: true, type: String }) sentAt: string | null;
  @ApiPropertyOptional({ format: 'date-time', nullable: true, type: String }) finishedAt: string | null;
  @ApiProperty({ type: [DocumentViewDto] }) documents: DocumentViewDto[];
  @ApiProperty({ type: [SignerViewDto] }) signers: SignerViewDto[];
}

export class EnvelopeSummaryDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() title: string;
  @ApiProperty() status: string;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiProperty({ format: 'date-time' }) expiresAt: string;
  @ApiProperty({ type: 'object', additionalProperties: true }) metadata: Record<string, unknown>;
}

export class EnvelopePageDto {
  @ApiProperty({ type: [EnvelopeSummaryDto] }) items: EnvelopeSummaryDto[];
  @ApiPropertyOptional({ nullable: true, type: String, description: 'Pass as ?cursor= for the next page; null on the last page' }) nextCursor: string | null;
}
