import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsArray,
  IsBoolean,
  IsDateString,
  IsEmail,
  IsIn,
  IsInt,
  IsObject,
  IsOptional,
  IsString,
  IsUrl,
  Max,
  MaxLength,
  Min,
  MinLength,
  registerDecorator,
  ValidateNested,
  type ValidationOptions,
} from 'class-validator';
import { isValidIin } from '../../cms/iin.js';
import { EDOCUMENT_TYPE_NAMES } from '../../kyc/edocument/edocument.types.js';
import { IDENTITY_CHECKS, IDENTITY_PHOTO_MAX_BYTES, type IdentityCheck } from '../domain/identity-requirement.js';
import { normalisePhone } from '../domain/phone.js';

export const ENVELOPE_LIMITS = { documents: 10, signers: 20, metadataBytes: 4096, maxExpiryDays: 90, defaultExpiryDays: 30 } as const;

function IsIin(options?: ValidationOptions) {
  return (object: object, propertyName: string) =>
    registerDecorator({
      name: 'isIin',
      target: object.constructor,
      propertyName,
      options: { message: 'must be a 12-digit IIN with a valid check digit', ...options },
      validator: { validate: (value: unknown) => typeof value === 'string' && isValidIin(value) },
    });
}

function IsKazakhMobile(options?: ValidationOptions) {
  return (object: object, propertyName: string) =>
    registerDecorator({
      name: 'isKazakhMobile',
      target: object.constructor,
      propertyName,
      options: { message: 'must be a Kazakh mobile number such as 77011234567 or +7 701 123 45 67', ...options },
      validator: { validate: (value: unknown) => typeof value === 'string' && /^77\d{9}$/.test(value) },
    });
}

function SmallJson(maxBytes: number, options?: ValidationOptions) {
  return (object: object, propertyName: string) =>
    registerDecorator({
      name: 'smallJson',
      target: object.constructor,
      propertyName,
      options: { message: `must serialise to at most ${maxBytes} bytes of JSON`, ...options },
      validator: { validate: (value: unknown) => Buffer.byteLength(JSON.stringify(value ?? {})) <= maxBytes },
    });
}

export class DocumentInputDto {
  @ApiProperty({ description: 'Display name shown to signers and sent to the provider', example: 'supply-contract.pdf', maxLength: 200 })
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  name: string;

  @ApiProperty({ description: 'The file, base64. PDF or XML, judged by content; all documents of an envelope share one type.' })
  @IsString()
  @MinLength(4)
  contentBase64: string;
}

/** What a signer must pass before Cloud EDS signing opens (the provider's identity products). */
export class SignerIdentityDto {
  @ApiProperty({
    description: 'Checks the signer must pass, in one provider flow: liveness; face2face (a face match against `photoBase64`, or else the E-Document face photo); edocument (the state ID fetched from eGov with the person\'s OTP; its owner IIN must be the signer\'s)',
    enum: IDENTITY_CHECKS,
    isArray: true,
    example: ['liveness', 'face2face', 'edocument'],
  })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(IDENTITY_CHECKS.length)
  @ArrayUnique()
  @IsIn(IDENTITY_CHECKS, { each: true, message: `checks: each must be one of ${IDENTITY_CHECKS.join(', ')}` })
  checks: IdentityCheck[];

  @ApiPropertyOptional({ description: 'The state document E-Document fetches (with the edocument check)', enum: EDOCUMENT_TYPE_NAMES, default: 'identity_card' })
  @IsOptional()
  @IsIn(EDOCUMENT_TYPE_NAMES, { message: `edocumentType: one of ${EDOCUMENT_TYPE_NAMES.join(', ')}` })
  edocumentType?: string;

  @ApiPropertyOptional({ description: `The signer's face photo for face2face, base64 JPEG or PNG (by content), at most ${IDENTITY_PHOTO_MAX_BYTES / 1024 / 1024} MB; stored sealed` })
  @IsOptional()
  @IsString()
  photoBase64?: string;

  @ApiPropertyOptional({ description: 'Failed identity attempts before the signer is FAILED (default: IDENTITY_MAX_ATTEMPTS, 3)', minimum: 1, maximum: 10 })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(10)
  maxAttempts?: number;
}

export class SignerInputDto {
  @ApiProperty({ example: 'Әлиев Нұрлан Серікұлы', maxLength: 200 })
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  fullName: string;

  @ApiProperty({ description: 'IIN: 12 digits with a valid check digit; the signing certificate must carry it', example: '900101300126' })
  @IsIin()
  iin: string;

  @ApiProperty({ description: 'Mobile phone; +7 7xx… forms are accepted and normalised to 77XXXXXXXXX', example: '+7 701 123 45 67' })
  @Transform(({ value }) => (typeof value === 'string' ? (normalisePhone(value) ?? value) : value))
  @IsKazakhMobile()
  phone: string;

  @ApiPropertyOptional({ description: 'Where Kezek e-mails the signer when it is their turn (and reminders)', example: 'nurlan@example.kz', maxLength: 254 })
  @IsOptional()
  @IsEmail({}, { message: 'email: must be an e-mail address such as nurlan@example.kz' })
  @MaxLength(254)
  email?: string;

  @ApiPropertyOptional({ description: 'Lower orders sign first; equal orders sign in parallel. Default: position in the list (sequential).', minimum: 1, maximum: 100 })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(100)
  routingOrder?: number;

  @ApiPropertyOptional({ type: SignerIdentityDto, description: 'Identity checks before signing (none by default)' })
  @IsOptional()
  @ValidateNested()
  @Type(() => SignerIdentityDto)
  identity?: SignerIdentityDto;
}

export class EnvelopeOptionsDto {
  @ApiPropertyOptional({ description: `When the envelope expires (at most ${ENVELOPE_LIMITS.maxExpiryDays} days ahead). Default: ${ENVELOPE_LIMITS.defaultExpiryDays} days after creation.`, format: 'date-time' })
  @IsOptional()
  @IsDateString({ strict: true })
  expiresAt?: string;

  @ApiPropertyOptional({ description: 'Language of the signer pages and the provider sign page', enum: ['kz', 'en', 'ru'], default: 'ru' })
  @IsOptional()
  @IsIn(['kz', 'en', 'ru'])
  language?: 'kz' | 'en' | 'ru';

  @ApiPropertyOptional({ description: 'Where the signer may continue after signing (a link on the outcome page); https only', example: 'https://example.kz/thanks' })
  @IsOptional()
  @IsUrl({ protocols: ['https'], require_protocol: true, require_tld: false })
  @MaxLength(2000)
  redirectUrl?: string;

  @ApiPropertyOptional({ description: 'Provider sessions a signer may use before the envelope fails', minimum: 1, maximum: 10, default: 3 })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(10)
  maxAttempts?: number;

  @ApiPropertyOptional({ description: 'Remind each active signer every this many days (e-mail, and SMS when a gateway is configured) until they sign or the envelope ends', minimum: 1, maximum: 30 })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(30)
  reminderIntervalDays?: number;

  @ApiPropertyOptional({ description: 'Who gets the completion mail with the certificate of completion (default: the console user who created the envelope)', example: 'legal@example.kz', maxLength: 254 })
  @IsOptional()
  @IsEmail({}, { message: 'senderEmail: must be an e-mail address such as legal@example.kz' })
  @MaxLength(254)
  senderEmail?: string;

  @ApiPropertyOptional({ description: `Your own data, returned as is (at most ${ENVELOPE_LIMITS.metadataBytes} bytes of JSON)`, type: 'object', additionalProperties: true })
  @IsOptional()
  @IsObject()
  @SmallJson(ENVELOPE_LIMITS.metadataBytes)
  metadata?: Record<string, unknown>;
}

/** The envelope without its files: the JSON body's shape, and the `envelope` field of a multipart request. */
export class EnvelopeFieldsDto {
  @ApiProperty({ example: 'Supply contract No. 17', maxLength: 300 })
  @IsString()
  @MinLength(1)
  @MaxLength(300)
  title: string;

  @ApiProperty({ type: [SignerInputDto], description: `1 to ${ENVELOPE_LIMITS.signers} signers` })
  @ValidateNested({ each: true })
  @Type(() => SignerInputDto)
  @ArrayMinSize(1)
  @ArrayMaxSize(ENVELOPE_LIMITS.signers)
  signers: SignerInputDto[];

  @ApiPropertyOptional({ type: EnvelopeOptionsDto })
  @IsOptional()
  @ValidateNested()
  @Type(() => EnvelopeOptionsDto)
  options?: EnvelopeOptionsDto;

  @ApiPropertyOptional({ description: 'Send at once instead of keeping a DRAFT', default: false })
  @IsOptional()
  @IsBoolean()
  send?: boolean;
}

export class CreateEnvelopeDto extends EnvelopeFieldsDto {
  @ApiProperty({ type: [DocumentInputDto], description: `1 to ${ENVELOPE_LIMITS.documents} documents, base64 (or send multipart files instead)` })
  @ValidateNested({ each: true })
  @Type(() => DocumentInputDto)
  @ArrayMinSize(1)
  @ArrayMaxSize(ENVELOPE_LIMITS.documents)
  documents: DocumentInputDto[];
}

export class CancelEnvelopeDto {
  @ApiProperty({ description: 'Why the envelope is canceled; recorded in the audit trail', maxLength: 500 })
  @IsString()
  @MinLength(1)
  @MaxLength(500)
  reason: string;
}

export class ListEnvelopesQueryDto {
  @ApiPropertyOptional({ enum: ['DRAFT', 'IN_PROGRESS', 'COMPLETED', 'DECLINED', 'CANCELED', 'EXPIRED', 'FAILED'] })
  @IsOptional()
  @IsIn(['DRAFT', 'IN_PROGRESS', 'COMPLETED', 'DECLINED', 'CANCELED', 'EXPIRED', 'FAILED'])
  status?: string;

  @ApiPropertyOptional({ description: 'The nextCursor of the previous page' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  cursor?: string;

  @ApiPropertyOptional({ minimum: 1, maximum: 100, default: 20 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100)
  limit?: number;
}
