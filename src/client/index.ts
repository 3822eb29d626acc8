import createClient, { type Client, type ClientOptions } from 'openapi-fetch';
import type { components, paths } from './kezek-api.js';

export type { components, paths };

/** A request or answer body by its schema name in the OpenAPI document, e.g. `KezekSchema<'EnvelopeDto'>`. */
export type KezekSchema<Name extends keyof components['schemas']> = components['schemas'][Name];

export type KezekClient = Client<paths>;

export interface KezekClientOptions {
  /** Where Kezek answers, e.g. `https://kezek.example.kz`. */
  baseUrl: string;
  /** The organisation's API key (`kzk_…`); omitted for the public routes only. */
  apiKey?: string;
  /** Headers sent with every request (for example an `X-Request-Id` of the caller's own). */
  headers?: Record<string, string>;
  /** A fetch of the caller's own (a proxy agent, retries, tests); the global fetch otherwise. */
  fetch?: ClientOptions['fetch'];
}

/**
 * A typed client for Kezek's HTTP API: paths, parameters, bodies and answers come from the OpenAPI document
 * (`kezek-api.ts` is generated from it; a test regenerates it and fails when the two drift apart).
 *
 *   const kezek = createKezekClient({ baseUrl: 'http://localhost:3000', apiKey: process.env.KEY });
 *   const { data, error } = await kezek.GET('/v1/envelopes/{id}', { params: { path: { id } } });
 */
export function createKezekClient({ baseUrl, apiKey, headers, fetch }: KezekClientOptions): KezekClient {
  return createClient<paths>({
    baseUrl: baseUrl.replace(/\/+$/, ''),
    headers: { ...(apiKey ? { Authorization: `Bearer ${apiKey}` } : {}), ...headers },
    ...(fetch ? { fetch } : {}),
  });
}
