import { ArgumentsHost, Catch, Controller, HttpCode, PayloadTooLargeException, Post, Req, UploadedFile, UseFilters, UseGuards, UseInterceptors } from '@nestjs/common';
import { FileInterceptor } from '@nestjs/platform-express';
import { ApiBody, ApiConsumes, ApiOkResponse, ApiOperation, ApiTags, ApiTooManyRequestsResponse } from '@nestjs/swagger';
import type { Request } from 'express';
import { AppError } from '../common/errors/app-error.js';
import { GlobalExceptionFilter } from '../common/errors/global-exception.filter.js';
import { Public } from '../common/http/public.decorator.js';
import { VerificationResultDto } from './dto/verification-result.dto.js';
import { VerifyRateLimitGuard } from './rate-limit.service.js';
import { MetricsService } from '../metrics/metrics.service.js';
import { VerificationService } from './verification.service.js';

/** Multer's size refusal (which Nest turns into a PayloadTooLargeException) answered with this feature's own code. */
@Catch()
export class VerifyUploadFilter extends GlobalExceptionFilter {
  override catch(exception: unknown, host: ArgumentsHost): void {
    const tooLarge = exception instanceof PayloadTooLargeException || (exception as { code?: unknown } | null)?.code === 'LIMIT_FILE_SIZE';
    super.catch(tooLarge ? new AppError('VERIFY_FILE_TOO_LARGE', 'The file is larger than this service accepts') : exception, host);
  }
}

@ApiTags('verification')
@Public()
@Controller('v1/verify')
export class VerificationController {
  constructor(
    private readonly verification: VerificationService,
    private readonly metrics: MetricsService,
  ) {}

  @Post()
  @HttpCode(200)
  @UseGuards(VerifyRateLimitGuard)
  @UseInterceptors(FileInterceptor('file'))
  @UseFilters(VerifyUploadFilter)
  @ApiOperation({
    summary: 'Verify a file (no API key): an original document, a signed copy from a provider archive, or a CMS',
    description:
      'multipart/form-data with the file in a `file` part. An original is recognised by its SHA-256; an archive copy by SHA-256, or by its DocumentId when its bytes were altered; a CMS gets a full cryptographic report and, when known, its envelope. Nothing is disclosed for a file that matches nothing. Rate-limited per client IP (429 with Retry-After).',
  })
  @ApiConsumes('multipart/form-data')
  @ApiBody({ schema: { type: 'object', required: ['file'], properties: { file: { type: 'string', format: 'binary' } } } })
  @ApiOkResponse({ type: VerificationResultDto })
  @ApiTooManyRequestsResponse({ description: 'RATE_LIMITED' })
  async verify(@Req() request: Request, @UploadedFile() file: Express.Multer.File | undefined): Promise<VerificationResultDto> {
    if (!file) {
      throw new AppError('VERIFY_FILE_MISSING', request.is('multipart/form-data') ? 'Send the file in a `file` part' : 'Send the file as multipart/form-data in a `file` part');
    }
    const started = performance.now();
    const result = (await this.verification.verifyFile(file.buffer)) as VerificationResultDto;
    this.metrics.verification(result.match, (performance.now() - started) / 1000);
    return result;
  }
}
