import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import { AppError } from '../common/errors/app-error.js';
import { AUTHENTICATED_BEFORE_BODY } from '../common/http/body-limits.js';
import { PUBLIC_ROUTE } from '../common/http/public.decorator.js';
import type { Organisation } from './organisation.entity.js';
import { OrganisationsService } from './organisations.service.js';

export type AuthenticatedRequest = Request & { organisation: Organisation; apiKeyId?: string };

/** Every route requires `Authorization: Bearer <key>` unless marked @Public(). */
@Injectable()
export class ApiKeyGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly organisations: OrganisationsService,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const isPublic = this.reflector.getAllAndOverride<boolean>(PUBLIC_ROUTE, [context.getHandler(), context.getClass()]);
    if (isPublic) return true;
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const header = request.headers.authorization;
    const match = typeof header === 'string' ? /^Bearer\s+(\S+)$/i.exec(header) : null;
    if (!match) {
      throw new AppError('UNAUTHENTICATED', 'Send your API key as "Authorization: Bearer <key>"');
    }
    // A document route's key was checked before its body was read (installBodyParsers): not asked again.
    const early = (request as AuthenticatedRequest & { [AUTHENTICATED_BEFORE_BODY]?: { key: string; authenticated: Awaited<ReturnType<OrganisationsService['authenticateKey']>> } })[
      AUTHENTICATED_BEFORE_BODY
    ];
    const authenticated = early?.key === match[1] ? early.authenticated : await this.organisations.authenticateKey(match[1]);
    if (!authenticated) throw new AppError('UNAUTHENTICATED', 'The API key is unknown or revoked');
    request.organisation = authenticated.organisation;
    request.apiKeyId = authenticated.apiKeyId;
    return true;
  }
}
