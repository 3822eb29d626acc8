import { ValidationPipe, type ValidationError } from '@nestjs/common';
import { AppError } from '../errors/app-error.js';

interface FieldProblem {
  field: string;
  problems: string[];
}

function flatten(errors: ValidationError[], parent = ''): FieldProblem[] {
  return errors.flatMap((error) => {
    const field = parent ? `${parent}.${error.property}` : error.property;
    const own = error.constraints ? [{ field, problems: Object.values(error.constraints) }] : [];
    return [...own, ...flatten(error.children ?? [], field)];
  });
}

/** Request validation: unknown fields are refused, and the 400 names each field and what is wrong with it. */
export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    stopAtFirstError: false,
    exceptionFactory: (errors) => {
      const fields = flatten(errors);
      const summary = fields.map((f) => `${f.field}: ${f.problems.join(', ')}`).join('; ');
      return new AppError('VALIDATION_FAILED', `Invalid request: ${summary}`, { fields });
    },
  });
}

/** Validates a body that did not arrive as plain JSON (e.g. the JSON field of a multipart request). */
export async function validateBody<T extends object>(dto: new () => T, plain: unknown): Promise<T> {
  return createValidationPipe().transform(plain, { type: 'body', metatype: dto }) as Promise<T>;
}
