import type { SignerOutcome } from '../verify-cms.js';
import type { RevocationOptions } from './revocation-port.js';

/** Most signing certificates asked about in one verification by default (each may cost a fetch). */
export const DEFAULT_MAX_REVOCATION_CHECKS = 8;

/**
 * Revocation of each signing certificate whose chain to an anchor passed, judged at the signature's
 * validity time: revoked before it → TOTAL_FAILED/REVOKED; revoked after a time a timestamp proves → passes
 * with a warning; revoked after a time only claimed → INDETERMINATE/REVOKED_NO_POE. Unknown is a warning
 * (soft) or INDETERMINATE/TRY_LATER (hard). A certificate that is itself an anchor has nobody to ask.
 */
export async function judgeRevocation(outcomes: SignerOutcome[], options: RevocationOptions): Promise<void> {
  const max = options.maxCertificates ?? DEFAULT_MAX_REVOCATION_CHECKS;
  const checked = outcomes.filter((o) => o.path && o.path.length >= 2);
  await Promise.all(
    checked.map(async (outcome, n) => {
      const [cert, issuer] = outcome.path!;
      const unknown = (message: string) => {
        outcome.report.revocation = { status: 'unknown', source: null, url: null, thisUpdate: null, revokedAt: null, reason: null, message };
        if (options.policy === 'hard') outcome.findings.push({ indication: 'INDETERMINATE', subIndication: 'TRY_LATER', message });
        else outcome.warnings.push(message);
      };
      if (n >= max) return unknown(`revocation not checked: this verification may ask about ${max} certificates`);
      const answer = await options.checker.status(cert, issuer);
      outcome.report.revocation = {
        status: answer.status,
        source: answer.source,
        url: answer.url,
        thisUpdate: answer.thisUpdate?.toISOString() ?? null,
        revokedAt: answer.revokedAt?.toISOString() ?? null,
        reason: answer.reason,
        message: answer.message,
      };
      if (answer.status === 'unknown') return unknown(answer.message);
      if (answer.status !== 'revoked') return;
      const revokedAt = answer.revokedAt!;
      if (revokedAt.getTime() <= outcome.at.getTime()) {
        outcome.findings.push({ indication: 'TOTAL_FAILED', subIndication: 'REVOKED', message: `the signing certificate was revoked at ${revokedAt.toISOString()}, before ${outcome.at.toISOString()}` });
      } else if (outcome.proven) {
        outcome.warnings.push(`the signing certificate was revoked at ${revokedAt.toISOString()}, after the timestamp proves the signature existed`);
      } else {
        outcome.findings.push({
          indication: 'INDETERMINATE',
          subIndication: 'REVOKED_NO_POE',
          message: `the signing certificate was revoked at ${revokedAt.toISOString()}; only the claimed signing time (${outcome.at.toISOString()}) says the signature came before, and no timestamp proves it`,
        });
      }
    }),
  );
}
