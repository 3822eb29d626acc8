/**
 * The port through which an optional part of Kezek (the local provider sandbox) contributes trust anchors.
 * Production code defines it; the composition root (app.module.ts) plugs implementations in.
 */
export interface TrustAnchorSource {
  /** Says where the anchors come from, in logs. */
  readonly name: string;
  /** PEM certificates to trust now; empty when the source must not be trusted (e.g. it is not the provider in use). */
  anchorsPem(): Promise<string[]>;
}

/** Injection token of the list of contributed sources (TrustAnchorSource[]). */
export const TRUST_ANCHOR_SOURCES = Symbol('TRUST_ANCHOR_SOURCES');
