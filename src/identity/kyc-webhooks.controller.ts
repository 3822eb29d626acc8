import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { Public } from '../common/http/public.decorator.js';
import { parseFlowWebhook } from '../kyc/flows/flow.client.js';
import { IdentityStepService } from './identity-step.service.js';

/**
 * Where the identity provider's `technology.start` / `technology.end` webhooks come (the URL set in its
 * personal cabinet). The guides define no signature, so the body is trusted for nothing: a known session id
 * only makes Kezek ask the result API (at most one queued check per session), and the answer is the same for
 * known and unknown sessions.
 */
@ApiTags('provider')
@Public()
@Controller('v1/kyc-webhooks')
export class KycWebhooksController {
  constructor(private readonly identity: IdentityStepService) {}

  @Post('flows')
  @HttpCode(202)
  @ApiOperation({ summary: 'Identity flow webhooks (technology.start / technology.end): a hint to fetch the session result' })
  async receive(@Body() body: unknown): Promise<{ accepted: true }> {
    const event = parseFlowWebhook(body);
    if (event?.event === 'technology.end' && event.sessionId.length <= 100) await this.identity.hint(event.sessionId);
    return { accepted: true };
  }
}
