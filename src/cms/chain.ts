import { verifySignature } from './algorithms.js';
import { publicKeyOf, type ParsedCertificate } from './certificate.js';
import type { CertificatePool } from './certificate-pool.js';
import { asBuffer } from './der/der-reader.js';

/**
 * Path building from a signer certificate to one of the trust anchors, through the certificates at hand
 * (the CMS's, the caller's extra ones, the anchors). Each link: issuer name equal to the parent's subject
 * (and key identifiers equal when both are present), the parent's signature over the child verified,
 * the parent a CA (basicConstraints cA, keyCertSign when keyUsage is present), every certificate valid at
 * the signing time. Bounded: at most MAX_PATH links and MAX_SIGNATURE_CHECKS signature checks.
 */
export type ChainResult =
  | { status: 'trusted'; path: ParsedCertificate[] }
  | { status: 'no-chain'; message: string }
  | { status: 'out-of-bounds'; message: string }
  | { status: 'unsupported'; message: string }
  | { status: 'over-budget'; message: string };

const MAX_PATH = 10;
const MAX_SIGNATURE_CHECKS = 64;

export function sameName(a: Uint8Array, b: Uint8Array): boolean {
  return asBuffer(a).equals(asBuffer(b));
}

/** Key identifiers, when both certificates carry them, must agree (the names were matched by the pool). */
function keyIdsAgree(parent: ParsedCertificate, child: ParsedCertificate): boolean {
  if (child.authorityKeyIdentifier && parent.subjectKeyIdentifier) {
    return asBuffer(child.authorityKeyIdentifier).equals(asBuffer(parent.subjectKeyIdentifier));
  }
  return true;
}

function validAt(cert: ParsedCertificate, at: Date): boolean {
  return cert.notBefore.getTime() <= at.getTime() && at.getTime() <= cert.notAfter.getTime();
}

export function sameCertificate(a: ParsedCertificate, b: ParsedCertificate): boolean {
  return a === b || (a.der.length === b.der.length && a.der.equals(b.der));
}

function isAnchor(cert: ParsedCertificate, anchors: ParsedCertificate[]): boolean {
  return anchors.some((a) => sameCertificate(a, cert) || (sameName(a.subject.der, cert.subject.der) && asBuffer(a.spki).equals(asBuffer(cert.spki))));
}

/**
 * The signature-checking half of path building, independent of time (so a caller may keep it per
 * certificate). `pay(bytes)` asks the caller's budget for one signature check over `bytes`; false stops it.
 */
export function findChainPath(leaf: ParsedCertificate, pool: CertificatePool, anchors: ParsedCertificate[], pay: (bytes: number) => boolean = () => true): ChainResult {
  if (isAnchor(leaf, anchors)) return { status: 'trusted', path: [leaf] };
  let checks = 0;
  let overBudget = false;
  let unsupported: string | null = null;

  const extend = (path: ParsedCertificate[]): ParsedCertificate[] | null => {
    const child = path[path.length - 1];
    if (path.length > MAX_PATH) return null;
    for (const parent of pool.withSubject(child.issuer)) {
      if (path.some((p) => sameCertificate(p, parent)) || !keyIdsAgree(parent, child)) continue;
      if (++checks > MAX_SIGNATURE_CHECKS) return null;
      if (!pay(child.tbs.length)) {
        overBudget = true;
        return null;
      }
      const check = verifySignature(child.signatureAlgorithm, null, publicKeyOf(parent), parent.publicKeyAlgorithm.oid, child.tbs, child.signatureValue);
      if (check.status === 'unsupported') {
        unsupported ??= `certificate ${child.subject.text}: ${check.reason}`;
        continue;
      }
      if (check.status !== 'valid') continue;
      const anchor = isAnchor(parent, anchors);
      if (!anchor) {
        const ca = parent.basicConstraints?.ca === true && (parent.keyUsage === null || parent.keyUsage.has('keyCertSign'));
        if (!ca) continue;
      }
      const next = [...path, parent];
      if (anchor) return next;
      const found = extend(next);
      if (found) return found;
    }
    return null;
  };

  const path = extend([leaf]);
  if (path) return { status: 'trusted', path };
  if (overBudget) return { status: 'over-budget', message: "the certificate chain was not checked: the verification's budget of signature checks ran out" };
  if (unsupported) return { status: 'unsupported', message: unsupported };
  return { status: 'no-chain', message: `no chain from ${leaf.issuer.text} to a trust anchor` };
}

/** A found path judged at `at`: every CA certificate on it must be valid then. */
export function chainAt(found: ChainResult, at: Date): ChainResult {
  if (found.status !== 'trusted') return found;
  for (const cert of found.path.slice(1)) {
    if (!validAt(cert, at)) {
      return { status: 'out-of-bounds', message: `CA certificate ${cert.subject.text} is not valid at ${at.toISOString()} (valid ${cert.notBefore.toISOString()} to ${cert.notAfter.toISOString()})` };
    }
  }
  return found;
}

export function buildChain(leaf: ParsedCertificate, pool: CertificatePool, anchors: ParsedCertificate[], at: Date, pay?: (bytes: number) => boolean): ChainResult {
  return chainAt(findChainPath(leaf, pool, anchors, pay), at);
}
