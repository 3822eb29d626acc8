import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsBoolean, IsIn, IsInt, IsNumber, IsOptional, IsString, IsUrl, Length, Matches, Max, MaxLength, Min, MinLength, ValidateIf, ValidateNested } from 'class-validator';
import { PROVIDER_ERROR_KINDS, type ProviderErrorKind } from '../../cloud-eds/provider-errors.js';
import { SANDBOX_ENDPOINTS, type SandboxEndpoint } from '../domain/faults.js';
import { FAILURE_REASONS, REDIRECT_REASONS } from '../domain/session-rules.js';

const CANCEL_REASONS = [...REDIRECT_REASONS, ...FAILURE_REASONS.filter((r) => r !== 'EXPIRED')];

export class CompleteSessionDto {
  @ApiProperty({ enum: ['sign', 'cancel'], description: 'Sign every document, or end the session without signing' })
  @IsIn(['sign', 'cancel'])
  outcome: 'sign' | 'cancel';

  @ApiPropertyOptional({
    enum: CANCEL_REASONS,
    description: 'For cancel: a redirect reason of the guide (e.g. closed, lv, otp) or a failure_reason (LIVENESS, FACE2FACE, EDOCUMENT, OTHER). Default: closed',
  })
  @IsOptional()
  @IsIn(CANCEL_REASONS)
  reason?: string;

  @ApiPropertyOptional({ description: "For sign: sign with this other IIN's certificate (impersonation tests)", example: '900517300015' })
  @IsOptional()
  @Matches(/^\d{12}$/, { message: 'signAsIin must be 12 digits' })
  signAsIin?: string;

  @ApiPropertyOptional({ description: 'redirect_url to build the returned redirect from (default: the one the sign page was opened with)' })
  @IsOptional()
  @IsUrl({ require_tld: false, protocols: ['http', 'https'], require_protocol: true })
  redirectUrl?: string;
}

export class CompletedSessionDto {
  @ApiProperty({ format: 'uuid' }) session_id: string;
  @ApiProperty({ enum: ['STARTED', 'PROCESS', 'FINISHED', 'CANCELED'] }) status: string;
  @ApiProperty({ nullable: true, type: String, enum: FAILURE_REASONS }) failure_reason: string | null;
  @ApiProperty({ nullable: true, type: String, description: 'The URL the sign page would have redirected to (null without a redirect_url)' })
  redirect_url: string | null;
  @ApiProperty({ description: 'False when the session had already ended: nothing changed' }) changed: boolean;
}

export class FailNextDto {
  @ApiProperty({ enum: PROVIDER_ERROR_KINDS, description: 'A row of the guide\'s error table' })
  @IsIn(PROVIDER_ERROR_KINDS)
  error: ProviderErrorKind;

  @ApiPropertyOptional({ default: 1, description: 'How many calls answer with it' })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(1000)
  count?: number;

  @ApiPropertyOptional({ enum: SANDBOX_ENDPOINTS, description: 'Only calls of this endpoint (default: any)' })
  @IsOptional()
  @IsIn(SANDBOX_ENDPOINTS)
  endpoint?: SandboxEndpoint;
}

export class FaultsDto {
  @ApiPropertyOptional({ description: 'Share of calls answered 503 "Digital service signature is not available"', minimum: 0, maximum: 1 })
  @IsOptional()
  @IsNumber()
  @Min(0)
  @Max(1)
  unavailableRate?: number;

  @ApiPropertyOptional({ description: 'Latency added to every call, ms', minimum: 0, maximum: 120000 })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(120_000)
  latencyMs?: number;

  @ApiPropertyOptional({ description: 'Share of calls whose connection is dropped without an answer', minimum: 0, maximum: 1 })
  @IsOptional()
  @IsNumber()
  @Min(0)
  @Max(1)
  dropRate?: number;

  @ApiPropertyOptional({ type: FailNextDto, nullable: true, description: 'Answer the next calls with a given error of the table' })
  @IsOptional()
  @ValidateIf((_o, value) => value !== null)
  @ValidateNested()
  @Type(() => FailNextDto)
  failNext?: FailNextDto | null;
}

export class PersonDto {
  @ApiProperty({ example: 'ЖАҚСЫБЕКОВ' }) @IsString() @MinLength(1) @MaxLength(100) surname: string;
  @ApiProperty({ example: 'ЕРЛАН' }) @IsString() @MinLength(1) @MaxLength(100) givenName: string;
  @ApiPropertyOptional({ example: 'НҰРЛАНҰЛЫ', description: 'Goes into the certificate GIVENNAME attribute (NCA convention)' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  patronymic?: string;
}

export class PersonViewDto extends PersonDto {
  @ApiProperty() iin: string;
  @ApiProperty({ description: 'False when the name is derived from the IIN' }) registered: boolean;
}

export class OrganisationSettingsDto {
  @ApiPropertyOptional({ nullable: true, type: String, description: 'Where session webhooks are posted (null: none)' })
  @IsOptional()
  @ValidateIf((_o, value) => value !== null)
  @IsUrl({ require_tld: false, protocols: ['http', 'https'], require_protocol: true })
  webhookUrl?: string | null;

  @ApiPropertyOptional({ enum: ['nest', 'cosign'], description: 'nest: a CMS upload is wrapped in a new SignedData; cosign: a signerInfo is added beside the existing ones' })
  @IsOptional()
  @IsIn(['nest', 'cosign'])
  mode?: 'nest' | 'cosign';

  @ApiPropertyOptional({ description: 'Return detached CMS (no content inside)' })
  @IsOptional()
  @IsBoolean()
  detached?: boolean;
}

export class IinParamDto {
  @Length(12, 12) @Matches(/^\d{12}$/) iin: string;
}
