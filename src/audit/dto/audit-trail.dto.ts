import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import { AUDIT_PAGE_DEFAULT, AUDIT_PAGE_MAX } from '../audit.service.js';

export class AuditTrailQueryDto {
  @ApiPropertyOptional({ minimum: 1, maximum: AUDIT_PAGE_MAX, default: AUDIT_PAGE_DEFAULT, description: 'Events per page' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(AUDIT_PAGE_MAX)
  limit?: number;

  @ApiPropertyOptional({ description: '`nextCursor` of the previous page; absent for the first page' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  cursor?: string;
}

export class AuditActorDto {
  @ApiProperty({ enum: ['api', 'user', 'signer', 'provider', 'system'], description: 'Who caused the event: an API key (id: its id), a console user (id: user id), a signer, the provider or Kezek' }) kind: string;
  @ApiPropertyOptional({ description: 'API key id for `api`, signer id for `signer`' }) id?: string;
}

export class AuditEventDto {
  @ApiProperty({ description: 'Position in the envelope chain, from 1' }) seq: number;
  @ApiProperty({ description: 'What happened, e.g. `envelope.sent`, `signer.link_opened`, `webhook.delivered`' }) type: string;
  @ApiProperty({ type: AuditActorDto }) actor: AuditActorDto;
  @ApiProperty({ nullable: true, type: String, description: 'Client address (X-Forwarded-For honoured only with TRUST_PROXY)' }) ip: string | null;
  @ApiProperty({ nullable: true, type: String }) userAgent: string | null;
  @ApiProperty({ type: 'object', additionalProperties: true, description: 'Details of the event' }) data: Record<string, unknown>;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiProperty({ description: "The previous event's hash (64 zeros for seq 1)" }) prevHash: string;
  @ApiProperty({ description: 'sha256(prevHash ‖ canonical JSON of the event), hex' }) hash: string;
}

export class AuditTrailDto {
  @ApiProperty({ format: 'uuid' }) envelopeId: string;
  @ApiProperty({ description: 'True when every stored hash of this page matches the recomputed chain, linked to the event before the page' }) chainValid: boolean;
  @ApiProperty({ nullable: true, type: String, description: "The newest event's hash: record it to detect later truncation" }) headHash: string | null;
  @ApiPropertyOptional({ description: 'Where the chain first breaks, when it is not valid' }) firstInvalidSeq?: number;
  @ApiPropertyOptional({ description: 'Why the chain breaks there' }) invalidReason?: string;
  @ApiProperty({ type: [AuditEventDto], description: 'This page of the trail, oldest first' }) events: AuditEventDto[];
  @ApiProperty({ nullable: true, type: String, description: 'Pass as `cursor` for the next page; null on the last page' }) nextCursor: string | null;
}
