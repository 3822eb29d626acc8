import type { CmsLimits, VerificationBudget } from '../../cms/index.js';

/**
 * What one public verification of an uploaded CMS may cost: lower than for Kezek's own rounds (the
 * defaults), because anyone may post one. Real Kezek CMS stay far inside: one layer per signing group, one
 * signature per signer, a handful of certificates each.
 */
export function publicCmsLimits(maxUploadBytes: number): { limits: Partial<CmsLimits>; budget: VerificationBudget } {
  return {
    limits: { maxInputBytes: maxUploadBytes, maxDepth: 16, maxSignersPerLayer: 16, maxCertificatesPerLayer: 32 },
    budget: {
      // 16 layers x 16 signers could each need a signature and a few chain links; the chain cache makes
      // repeated certificates free, so 256 checks (about 50 ms of RSA-4096 on one core) is ample.
      maxSignatureChecks: 256,
      // Each layer's content is hashed once per digest algorithm: 8 passes over the largest upload.
      maxHashedBytes: 8 * maxUploadBytes,
    },
  };
}
