import { createParamDecorator, type ExecutionContext } from '@nestjs/common';

/**
 * The organisation the request's API key belongs to (set by the organisations' API key guard): the scope of
 * every query the handler makes. Handlers type the parameter as the Organisation entity.
 */
export const CurrentOrganisation = createParamDecorator((_data: unknown, context: ExecutionContext): unknown => {
  return context.switchToHttp().getRequest<{ organisation?: unknown }>().organisation;
});
