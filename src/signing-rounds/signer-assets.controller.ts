import { Controller, Get, Header, Param, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { AppError } from '../common/errors/app-error.js';
import { Public } from '../common/http/public.decorator.js';
import { SIGNER_PAGE_SCRIPT } from './signer-page.script.js';

const pdfjsRoot = dirname(createRequire(import.meta.url).resolve('pdfjs-dist/package.json'));

/** The pdf.js files the signer page loads; the folders are read once, so a request can name only a file listed here. */
const PDFJS_FILES: Record<string, { dir: string; files: Set<string> }> = {
  build: { dir: join(pdfjsRoot, 'build'), files: new Set(['pdf.min.mjs', 'pdf.worker.min.mjs']) },
  standard_fonts: { dir: join(pdfjsRoot, 'standard_fonts'), files: listed('standard_fonts', /\.(pfb|ttf)$/) },
  cmaps: { dir: join(pdfjsRoot, 'cmaps'), files: listed('cmaps', /\.bcmap$/) },
  // The image decoders (JPEG 2000, JBIG2) and colour management; the scripting engine (quickjs) is left out.
  wasm: { dir: join(pdfjsRoot, 'wasm'), files: listed('wasm', /^(openjpeg|jbig2|qcms)[\w.-]*\.(wasm|js)$/) },
  iccs: { dir: join(pdfjsRoot, 'iccs'), files: listed('iccs', /\.icc$/) },
};

function listed(folder: string, pattern: RegExp): Set<string> {
  return new Set(readdirSync(join(pdfjsRoot, folder)).filter((name) => pattern.test(name)));
}

const TYPES: Record<string, string> = {
  mjs: 'text/javascript; charset=utf-8',
  js: 'text/javascript; charset=utf-8',
  wasm: 'application/wasm',
};

/** Static files of the signer page: its script and pdf.js (from the `pdfjs-dist` package, served by Kezek). */
@Public()
@ApiExcludeController()
@Controller('assets')
export class SignerAssetsController {
  @Get('signer.js')
  @Header('Content-Type', 'text/javascript; charset=utf-8')
  @Header('Cache-Control', 'public, max-age=300')
  @Header('X-Content-Type-Options', 'nosniff')
  script(): string {
    return SIGNER_PAGE_SCRIPT;
  }

  @Get('pdfjs/:file')
  build(@Param('file') file: string, @Res() response: Response): void {
    this.send(response, 'build', file);
  }

  @Get('pdfjs/:folder/:file')
  data(@Param('folder') folder: string, @Param('file') file: string, @Res() response: Response): void {
    if (folder === 'build') throw new AppError('NOT_FOUND', 'No such file');
    this.send(response, folder, file);
  }

  private send(response: Response, folder: string, file: string): void {
    const entry = Object.hasOwn(PDFJS_FILES, folder) ? PDFJS_FILES[folder] : undefined;
    if (!entry?.files.has(file)) throw new AppError('NOT_FOUND', 'No such file');
    const extension = file.slice(file.lastIndexOf('.') + 1);
    response.setHeader('Content-Type', TYPES[extension] ?? 'application/octet-stream');
    response.setHeader('Cache-Control', 'public, max-age=86400');
    response.setHeader('X-Content-Type-Options', 'nosniff');
    response.sendFile(file, { root: entry.dir, dotfiles: 'deny' });
  }
}
