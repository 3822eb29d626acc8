import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayUnique, IsArray, IsBoolean, IsIn, IsOptional, IsString, MaxLength, MinLength } from 'class-validator';
import { BREAKER_STATES } from '../domain/circuit-breaker.js';
import { WEBHOOK_EVENT_FILTERS } from '../domain/webhook-event-types.js';
import { MAX_WEBHOOK_URL_LENGTH } from '../domain/webhook-url.js';

const URL_DESCRIPTION =
  'Where events are POSTed. https only; the host must resolve to public addresses (checked now and before every delivery).';
const EVENTS_DESCRIPTION = 'Event types (or `envelope.*`, `signer.*`, `round.*`) to receive; empty or absent means every event.';

export class CreateWebhookEndpointDto {
  @ApiProperty({ description: URL_DESCRIPTION, example: 'https://hooks.example.com/kezek', maxLength: MAX_WEBHOOK_URL_LENGTH })
  @IsString()
  @MinLength(1)
  @MaxLength(MAX_WEBHOOK_URL_LENGTH)
  url: string;

  @ApiPropertyOptional({ description: 'What the endpoint is for', maxLength: 500 })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  description?: string;

  @ApiPropertyOptional({ description: EVENTS_DESCRIPTION, enum: WEBHOOK_EVENT_FILTERS, isArray: true, example: ['envelope.completed', 'signer.*'] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(WEBHOOK_EVENT_FILTERS.length)
  @ArrayUnique()
  @IsIn(WEBHOOK_EVENT_FILTERS, { each: true, message: `each value in events must be one of: ${WEBHOOK_EVENT_FILTERS.join(', ')}` })
  events?: string[];
}

export class UpdateWebhookEndpointDto {
  @ApiPropertyOptional({ description: URL_DESCRIPTION, maxLength: MAX_WEBHOOK_URL_LENGTH })
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(MAX_WEBHOOK_URL_LENGTH)
  url?: string;

  @ApiPropertyOptional({ maxLength: 500 })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  description?: string;

  @ApiPropertyOptional({ description: EVENTS_DESCRIPTION, enum: WEBHOOK_EVENT_FILTERS, isArray: true })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(WEBHOOK_EVENT_FILTERS.length)
  @ArrayUnique()
  @IsIn(WEBHOOK_EVENT_FILTERS, { each: true, message: `each value in events must be one of: ${WEBHOOK_EVENT_FILTERS.join(', ')}` })
  events?: string[];

  @ApiPropertyOptional({ description: 'A disabled endpoint gets no new events, and its pending deliveries stop' })
  @IsOptional()
  @IsBoolean()
  enabled?: boolean;
}

export class CircuitBreakerDto {
  @ApiProperty({
    enum: BREAKER_STATES,
    description:
      '`closed`: deliveries go out. `open`: after WEBHOOK_BREAKER_THRESHOLD failed attempts in a row the endpoint is paused; ' +
      'its deliveries are kept and wait. After WEBHOOK_BREAKER_COOLDOWN_SECONDS one probe delivery is sent (`half_open`): ' +
      'success resumes the endpoint and the waiting deliveries go out oldest first; failure pauses it again.',
  })
  state: string;

  @ApiProperty({ format: 'date-time', nullable: true, type: String, description: 'When the endpoint was paused, or when the current probe started' })
  openedAt: string | null;

  @ApiProperty({ description: 'Failed attempts in a row; reset by a delivered one' })
  consecutiveFailures: number;
}

export class WebhookEndpointDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() url: string;
  @ApiProperty() description: string;
  @ApiProperty({ description: EVENTS_DESCRIPTION, type: [String] }) events: string[];
  @ApiProperty() enabled: boolean;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiProperty({ format: 'date-time' }) updatedAt: string;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) disabledAt: string | null;
  @ApiProperty({ type: CircuitBreakerDto }) circuitBreaker: CircuitBreakerDto;
}

export class WebhookEndpointWithSecretDto extends WebhookEndpointDto {
  @ApiProperty({
    description:
      'The Standard Webhooks signing secret (`whsec_…`). Shown once: store it now and verify each delivery with it ' +
      '(headers webhook-id, webhook-timestamp, webhook-signature).',
    example: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
  })
  secret: string;
}
