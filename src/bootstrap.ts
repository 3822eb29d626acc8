import type { INestApplication } from '@nestjs/common';
import type { Server } from 'node:http';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { Logger } from 'nestjs-pino';
import type { AppConfig } from './config/app-config.js';
import { GlobalExceptionFilter } from './common/errors/global-exception.filter.js';
import { installBodyParsers } from './common/http/body-limits.js';
import { describeErrorResponses } from './common/http/openapi-errors.js';
import { createValidationPipe } from './common/http/validation.js';
import { OrganisationsService } from './organisations/organisations.service.js';
import { MetricsService } from './metrics/metrics.service.js';

/** Everything an app instance needs besides its modules; used by main.ts and by the e2e tests alike. */
/** How long a stopping server lets requests in flight finish before it closes their connections. */
const SHUTDOWN_GRACE_MS = 5_000;

export function configureApp(app: INestApplication, config: AppConfig): INestApplication {
  const express = app as NestExpressApplication;
  express.useLogger(app.get(Logger));
  express.set('trust proxy', config.TRUST_PROXY);
  express.disable('x-powered-by');
  express.use(app.get(MetricsService).httpMiddleware());
  const organisations = app.get(OrganisationsService);
  installBodyParsers(express, { maxDocumentBytes: config.MAX_DOCUMENT_BYTES, authenticate: (key) => organisations.authenticateKey(key) });
  // Idle keep-alive connections outlive the clients' own idle timeouts (and a proxy's usual 60 s), so a
  // client never sends a request on a socket the server is closing at that moment (Node 24's fetch was seen
  // to reuse a socket past the default 5 s and get ECONNRESET).
  const server = app.getHttpServer() as Server;
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;
  // A stopping server must not wait that long: close() ends only the connections idle at that moment, so the
  // ones that finish their request afterwards are closed as they go idle, and whatever is still open after a
  // grace period (a client that never finishes its request) is closed outright.
  const close = server.close.bind(server);
  server.close = ((callback?: (error?: Error) => void) => {
    const sweep = setInterval(() => server.closeIdleConnections(), 100);
    const deadline = setTimeout(() => server.closeAllConnections(), SHUTDOWN_GRACE_MS);
    sweep.unref();
    deadline.unref();
    server.once('close', () => {
      clearInterval(sweep);
      clearTimeout(deadline);
    });
    return close(callback);
  }) as Server['close'];
  app.useGlobalPipes(createValidationPipe());
  app.useGlobalFilters(new GlobalExceptionFilter());

  const document = describeErrorResponses(SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('Kezek')
      .setDescription('Multi-signer document signing over Cloud EDS. Authenticate with `Authorization: Bearer <API key>`.')
      .setVersion('1')
      .addBearerAuth()
      .build(),
  ));
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs/openapi.json' });
  return app;
}
