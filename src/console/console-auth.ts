import { CallHandler, CanActivate, createParamDecorator, ExecutionContext, Injectable, NestInterceptor, SetMetadata } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { parseCookie, stringifySetCookie } from 'cookie';
import type { Request, Response } from 'express';
import { timingSafeEqual } from 'node:crypto';
import type { Observable } from 'rxjs';
import { AppError } from '../common/errors/app-error.js';
import { hasRole, type Role } from '../users/domain/roles.js';
import { SESSION_MAX_MS, UsersService, type ConsoleIdentity } from '../users/users.service.js';

/**
 * Console sessions ride on one cookie. Behind https it is `__Host-` prefixed (Secure, Path=/, no Domain:
 * the browser refuses it from any other origin or over plain http); on a plain-http development setup the
 * Secure flag would make browsers drop it, so the plain name is used there.
 */
const SESSION_COOKIE = 'kezek_session';
const SECURE_SESSION_COOKIE = '__Host-kezek_session';
export const LOGIN_CSRF_COOKIE = 'kezek_login_csrf';
export const LANGUAGE_COOKIE = 'kezek_lang';
const MIN_ROLE = 'kezek:console-role';
const MULTIPART_FORM = 'kezek:console-multipart';

export type ConsoleRequest = Request & { consoleUser?: ConsoleIdentity; consoleSessionId?: string };

export function isSecure(request: Request): boolean {
  return request.secure;
}

export function cookiesOf(request: Request): Record<string, string | undefined> {
  const header = request.headers.cookie;
  return typeof header === 'string' ? parseCookie(header) : {};
}

export function sessionIdOf(request: Request): string | undefined {
  const cookies = cookiesOf(request);
  return isSecure(request) ? cookies[SECURE_SESSION_COOKIE] : cookies[SESSION_COOKIE];
}

export function setCookie(request: Request, response: Response, name: string, value: string, maxAgeSeconds: number, httpOnly = true): void {
  response.append(
    'Set-Cookie',
    stringifySetCookie({ name, value, httpOnly, secure: isSecure(request), sameSite: 'lax', path: '/', maxAge: maxAgeSeconds }),
  );
}

export function setSessionCookie(request: Request, response: Response, sessionId: string | null): void {
  const name = isSecure(request) ? SECURE_SESSION_COOKIE : SESSION_COOKIE;
  // SameSite=Lax: links from mail into the console keep the session; cross-site form posts never carry it.
  setCookie(request, response, name, sessionId ?? '', sessionId ? SESSION_MAX_MS / 1000 : 0);
}

/** Constant-time equality of two tokens (false when either is missing). */
export function tokensMatch(presented: unknown, expected: string | undefined): boolean {
  if (typeof presented !== 'string' || !expected) return false;
  const a = Buffer.from(presented);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** The least role a console route needs (default: viewer, i.e. any signed-in user of the organisation). */
export const MinRole = (role: Role) => SetMetadata(MIN_ROLE, role);

/**
 * Every /console route except login and invitations: a live session, the route's role, and on every
 * state-changing request the session's CSRF token in the form's `_csrf` field (or `X-CSRF-Token`).
 * No session → 401 (pages redirect to the login form, see the filter); wrong token → 403; role → 403.
 */
@Injectable()
export class ConsoleSessionGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly users: UsersService,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<ConsoleRequest>();
    const sessionId = sessionIdOf(request);
    const identity = sessionId ? await this.users.resolveSession(sessionId) : undefined;
    if (!identity || !sessionId) throw new AppError('SESSION_REQUIRED', 'Sign in to the console first');
    request.consoleUser = identity;
    request.consoleSessionId = sessionId;
    if (!['GET', 'HEAD'].includes(request.method)) {
      if (request.is('multipart/form-data')) {
        // The body is parsed after guards: a route that takes uploads checks the token with MultipartCsrfCheck.
        if (!this.reflector.getAllAndOverride<boolean>(MULTIPART_FORM, [context.getHandler(), context.getClass()])) {
          throw new AppError('UNSUPPORTED_MEDIA_TYPE', 'This form takes no files');
        }
      } else {
        assertCsrf(request, identity);
      }
    }
    const required = this.reflector.getAllAndOverride<Role | undefined>(MIN_ROLE, [context.getHandler(), context.getClass()]) ?? 'viewer';
    if (!hasRole(identity.role, required)) throw new AppError('FORBIDDEN', `This needs the ${required} role; you are ${identity.role}`);
    return true;
  }
}

function assertCsrf(request: Request, identity: ConsoleIdentity): void {
  const body = request.body as Record<string, unknown> | undefined;
  const presented = body?._csrf ?? request.headers['x-csrf-token'];
  if (!tokensMatch(presented, identity.csrfToken)) throw new AppError('CSRF_FAILED', 'The form has expired or did not come from the console: reload the page and try again');
}

/** Marks a route that takes a multipart upload; it must list MultipartCsrfCheck after the files interceptor. */
export const MultipartForm = () => SetMetadata(MULTIPART_FORM, true);

/** The CSRF check of a multipart form, once the upload is parsed (interceptors run after guards). */
@Injectable()
export class MultipartCsrfCheck implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const request = context.switchToHttp().getRequest<ConsoleRequest>();
    if (!request.consoleUser) throw new AppError('SESSION_REQUIRED', 'Sign in to the console first');
    assertCsrf(request, request.consoleUser);
    return next.handle();
  }
}

export const CurrentUser = createParamDecorator((_data: unknown, context: ExecutionContext): ConsoleIdentity => {
  const user = context.switchToHttp().getRequest<ConsoleRequest>().consoleUser;
  if (!user) throw new AppError('SESSION_REQUIRED', 'Sign in to the console first');
  return user;
});

export const CurrentSessionId = createParamDecorator((_data: unknown, context: ExecutionContext): string => {
  return context.switchToHttp().getRequest<ConsoleRequest>().consoleSessionId ?? '';
});
