import { Controller, Get, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { Public } from '../common/http/public.decorator.js';
import { SandboxPeopleService } from './sandbox-people.service.js';

@ApiTags('sandbox: automation (not the provider API)')
@Public()
@Controller('sandbox')
export class SandboxCaController {
  constructor(private readonly people: SandboxPeopleService) {}

  /** A short page saying what the sandbox is and where its parts are (for people opening /sandbox in a browser). */
  @Get()
  @ApiOperation({ summary: 'What the sandbox is, and its addresses' })
  index(@Res() response: Response): void {
    response
      .status(200)
      .type('html')
      .setHeader('content-security-policy', "default-src 'none'; style-src 'unsafe-inline'")
      .send(`<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Kezek Sandbox</title>
<style>body{font:16px/1.5 system-ui,sans-serif;max-width:720px;margin:40px auto;padding:0 16px}code{background:#f1f2f4;padding:1px 4px;border-radius:4px}</style></head>
<body><h1>Kezek Sandbox: a local Cloud EDS provider</h1>
<p>The Cloud EDS API of the provider guide, for development, demos and tests. Signatures are real CMS made with keys issued by a
sandbox CA: they verify, and they have no legal effect.</p>
<ul>
<li>Provider API: <code>/sandbox/api/v1/session/create/</code>, <code>…/documents/upload/</code>, <code>…/documents/upload/base64/</code>,
<code>…/result/</code>, <code>…/result/download</code>, <code>…/status/</code> with header <code>x-api-key</code></li>
<li>Sign page: <code>/sandbox/sign?session=…&amp;redirect_url=…&amp;language=kz|ru|en&amp;theme=0</code></li>
<li>CA certificate: <a href="ca.pem">/sandbox/ca.pem</a></li>
<li>Automation (not the provider API): <code>/sandbox/automation/…</code>, described in <a href="../docs">/docs</a></li>
<li>An organisation and its key: <code>npm run kezek -- sandbox org create --name "Acme"</code></li>
</ul></body></html>`);
  }

  @Get('ca.pem')
  @ApiOperation({ summary: 'The sandbox CA certificate (PEM): the trust anchor of every sandbox signature' })
  @ApiOkResponse({ description: 'PEM certificate', content: { 'application/x-pem-file': {} } })
  async ca(@Res() response: Response): Promise<void> {
    response.status(200).type('application/x-pem-file').setHeader('content-disposition', 'inline; filename="kezek-sandbox-ca.pem"').send(await this.people.caPem());
  }
}
