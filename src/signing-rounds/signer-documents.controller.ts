import { Controller, Get, Param, Query, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { AppError } from '../common/errors/app-error.js';
import { Public } from '../common/http/public.decorator.js';
import { uuidParam } from '../common/http/params.js';
import { languageOf } from '../web/language.js';
import { SignerDocumentsService } from './signer-documents.service.js';
import { sendErrorPage } from '../web/html-response.js';
import { errorPageOptions } from './signer-pages.view.js';

/**
 * Downloads behind a signer's link, found by the link token (never by an id alone). Files go out as
 * attachments with a CSP sandbox and nosniff, so a document is never run as a page of this origin.
 */
@Public()
@ApiExcludeController()
@Controller('s')
export class SignerDocumentsController {
  constructor(private readonly documents: SignerDocumentsService) {}

  @Get(':token/documents/:documentId')
  async original(@Param('token') token: string, @Param('documentId', uuidParam('documentId')) documentId: string, @Query('lang') lang: string | undefined, @Res() response: Response): Promise<void> {
    await this.download(response, lang, async () => {
      const { name, type, bytes } = await this.documents.original(token, documentId);
      return { body: bytes, type: type === 'pdf' ? 'application/pdf' : 'application/xml', fileName: withExtension(name, type) };
    });
  }

  @Get(':token/documents/:documentId/signed.p7s')
  async signed(@Param('token') token: string, @Param('documentId', uuidParam('documentId')) documentId: string, @Query('lang') lang: string | undefined, @Res() response: Response): Promise<void> {
    await this.download(response, lang, async () => {
      const { name, cms } = await this.documents.signedCms(token, documentId);
      return { body: cms, type: 'application/pkcs7-signature', fileName: `${name}.p7s` };
    });
  }

  /** Sends a file built by `build`, or the signer error page. */
  private async download(response: Response, lang: string | undefined, build: () => Promise<{ body: Buffer; type: string; fileName: string }>): Promise<void> {
    response.setHeader('Cache-Control', 'no-store');
    response.setHeader('X-Content-Type-Options', 'nosniff');
    response.setHeader('Referrer-Policy', 'no-referrer');
    try {
      const file = await build();
      response.setHeader('Content-Security-Policy', "default-src 'none'; sandbox");
      response.setHeader('Content-Disposition', `attachment; filename*=UTF-8''${encodeURIComponent(file.fileName)}`);
      response.status(200).type(file.type).send(file.body);
    } catch (error) {
      if (!(error instanceof AppError)) throw error;
      sendErrorPage(response, 'signer', error, errorPageOptions(languageOf(lang, 'ru')));
    }
  }
}

function withExtension(name: string, type: 'pdf' | 'xml'): string {
  return name.toLowerCase().endsWith(`.${type}`) ? name : `${name}.${type}`;
}

