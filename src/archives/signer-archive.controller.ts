import { Controller, Get, Param, Query, Res } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { DataSource } from 'typeorm';
import { AppError } from '../common/errors/app-error.js';
import { Public } from '../common/http/public.decorator.js';
import { Envelope } from '../envelopes/entities/envelope.entity.js';
import { SignerDocumentsService } from '../signing-rounds/signer-documents.service.js';
import { SignerLinksService } from '../signing-rounds/signer-links.service.js';
import { errorPageOptions } from '../signing-rounds/signer-pages.view.js';
import { sendErrorPage } from '../web/html-response.js';
import { languageOf } from '../web/language.js';
import { RoundArchive } from './round-archive.entity.js';

/**
 * The provider's archive copy behind a signer's link, once the envelope is complete: the archive of the
 * envelope's last round (its last page lists every signer), found through the link token only.
 */
@Public()
@ApiExcludeController()
@Controller('s')
export class SignerArchiveController {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly links: SignerLinksService,
    private readonly documents: SignerDocumentsService,
  ) {}

  @Get(':token/archive.zip')
  async archive(@Param('token') token: string, @Query('lang') lang: string | undefined, @Res() response: Response): Promise<void> {
    response.setHeader('Cache-Control', 'no-store');
    response.setHeader('X-Content-Type-Options', 'nosniff');
    response.setHeader('Referrer-Policy', 'no-referrer');
    try {
      const signer = await this.links.signerByToken(token);
      const envelope = await this.db.getRepository(Envelope).findOneByOrFail({ id: signer.envelopeId, organisationId: signer.organisationId });
      this.documents.requireCompleted(envelope);
      const archive = await this.db
        .getRepository(RoundArchive)
        .createQueryBuilder('a')
        .addSelect('a.zip')
        .where(`a.envelope_id = :envelopeId AND a.organisation_id = :organisationId AND a.status = 'STORED'`, { envelopeId: envelope.id, organisationId: envelope.organisationId })
        .orderBy('a.stored_at', 'DESC')
        .getOne();
      if (!archive?.zip) throw new AppError('NOT_SIGNED_YET', 'The archive copy from the signing service is not stored yet; please try again in a minute');
      const fileName = `${envelope.title.replace(/[^\p{L}\p{N}_-]+/gu, '_').slice(0, 80) || 'envelope'}-archive.zip`;
      response.setHeader('Content-Security-Policy', "default-src 'none'; sandbox");
      response.setHeader('Content-Disposition', `attachment; filename*=UTF-8''${encodeURIComponent(fileName)}`);
      response.status(200).type('application/zip').send(archive.zip);
    } catch (error) {
      if (!(error instanceof AppError)) throw error;
      sendErrorPage(response, 'signer', error, errorPageOptions(languageOf(lang, 'ru')));
    }
  }
}
