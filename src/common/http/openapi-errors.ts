import type { OpenAPIObject } from '@nestjs/swagger';

const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options'] as const;

/** The one shape of every error answer (see GlobalExceptionFilter), as an OpenAPI schema. */
const ERROR_RESPONSE_SCHEMA = {
  type: 'object',
  required: ['error', 'requestId'],
  properties: {
    error: {
      type: 'object',
      required: ['code', 'message'],
      properties: {
        code: { type: 'string', description: 'Stable machine-readable code, e.g. `ENVELOPE_NOT_FOUND`', example: 'VALIDATION_FAILED' },
        message: { type: 'string', description: 'What went wrong and what to fix, for people' },
        details: { type: 'object', additionalProperties: true, description: 'Extra facts for some codes (e.g. `fields` for VALIDATION_FAILED)' },
      },
    },
    requestId: { type: 'string', description: 'Quote it when reporting a problem; also sent as the X-Request-Id header' },
  },
};

/**
 * Every route answers errors in the same shape, which decorators per route would only repeat: the document
 * gets it once as `ErrorResponse` and every operation a `4XX` and `5XX` answer of that shape, so generated
 * clients type their `error` (openapi-fetch's `{ data, error }`).
 */
export function describeErrorResponses(document: OpenAPIObject): OpenAPIObject {
  document.components = { ...document.components, schemas: { ...document.components?.schemas, ErrorResponse: ERROR_RESPONSE_SCHEMA } };
  const content = { 'application/json': { schema: { $ref: '#/components/schemas/ErrorResponse' } } };
  for (const path of Object.values(document.paths)) {
    for (const method of METHODS) {
      const operation = path[method];
      if (!operation) continue;
      operation.responses = {
        '4XX': { description: 'The request cannot be served as sent: the code and message say what to fix', content },
        '5XX': { description: 'The service or its provider is unavailable; retry later', content },
        ...operation.responses,
      };
    }
  }
  return document;
}
