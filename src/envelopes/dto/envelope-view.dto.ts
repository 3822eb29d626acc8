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

export class IdentityAttemptViewDto {
  @ApiProperty({ description: '1 for the signer’s first identity flow session, 2 for the next…' }) attempt: number;
  @ApiProperty({ description: 'The identity provider’s flow session id' }) sessionId: string;
  @ApiProperty({ description: 'Flow technologies, e.g. ["ED", "F2F", "LD"]' }) technologies: string[];
  @ApiProperty({ enum: ['STARTED', 'PASSED', 'FAILED', 'EXPIRED'] }) status: string;
  @ApiPropertyOptional({
    enum: ['LIVENESS_FAILED', 'FACE_MISMATCH', 'EDOCUMENT_FAILED', 'EDOCUMENT_OWNER_MISMATCH', 'EDOCUMENT_TYPE_MISMATCH', 'CHECK_MISSING', 'SESSION_EXPIRED'],
    nullable: true,
    type: String,
  })
  failureReason: string | null;
  @ApiPropertyOptional({
    description: 'Verdicts and scores per check (liveness.score, face2face.similarityPercent, edocument.ownerIinMatches/namesMatch/documentType); no personal data',
    type: 'object',
    additionalProperties: true,
    nullable: true,
  })
  results: Record<string, unknown> | null;
  @ApiProperty({ format: 'date-time' }) startedAt: string;
  @ApiPropertyOptional({ format: 'date-time', nullable: true, type: String }) finishedAt: string | null;
}

export class SignerIdentityViewDto {
  @ApiProperty({ enum: ['liveness', 'face2face', 'edocument'], isArray: true }) checks: string[];
  @ApiPropertyOptional({ nullable: true, type: String }) edocumentType: string | null;
  @ApiProperty({ description: 'Whether the integrator gave the reference photo (else the E-Document photo is the reference)' }) referencePhoto: boolean;
  @ApiProperty({ enum: ['PENDING', 'IN_PROGRESS', 'PASSED', 'FAILED'], description: 'PENDING: not started (or a pass expired); FAILED: attempts used up' }) status: string;
  @ApiProperty() maxAttempts: number;
  @ApiProperty({ description: 'Failed attempts so far' }) failedAttempts: number;
  @ApiPropertyOptional({ format: 'date-time', nullable: true, type: String, description: 'Until when the last pass lets the signer open signing' }) validUntil: string | null;
  @ApiProperty({ type: [IdentityAttemptViewDto] }) attempts: IdentityAttemptViewDto[];
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
  @ApiPropertyOptional({ type: SignerIdentityViewDto, nullable: true, description: 'Identity checks before signing; null when none are asked' }) identity: SignerIdentityViewDto | null;
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
  @ApiPropertyOptional({ nullable: true, type: Number, description: 'Days between reminders to active signers' }) reminderIntervalDays: number | null;
  @ApiPropertyOptional({ nullable: true, type: String, description: 'Where the completion mail goes' }) senderEmail: string | null;
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
