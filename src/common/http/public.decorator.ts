import { SetMetadata } from '@nestjs/common';

/** Metadata key the API key guard reads: routes marked with it need no key. */
export const PUBLIC_ROUTE = 'kezek:public';

/** Marks a route (or controller) reachable without an API key: health, docs, public pages, provider webhooks. */
export const Public = () => SetMetadata(PUBLIC_ROUTE, true);
