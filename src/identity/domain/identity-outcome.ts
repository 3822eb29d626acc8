import type { FlowSessionResult } from '../../kyc/flows/flow.types.js';

/**
 * Judging a finished flow session against what the signer must pass. Pure: no Nest, no database.
 * The provider's result API is the only source: a redirect or a webhook only says "go and ask".
 */

export type IdentityCheckStatus = 'STARTED' | 'PASSED' | 'FAILED' | 'EXPIRED';

/** Why an identity attempt failed, as Kezek names it (texts per language in identity-texts.ts). */
export type IdentityFailure =
  | 'LIVENESS_FAILED'
  | 'FACE_MISMATCH'
  | 'EDOCUMENT_FAILED'
  | 'EDOCUMENT_OWNER_MISMATCH'
  | 'EDOCUMENT_TYPE_MISMATCH'
  | 'CHECK_MISSING'
  | 'SESSION_EXPIRED';

/**
 * What is kept of a result: verdicts and scores, never the IIN, names, phone, photos or document data
 * (PII-minimised; the envelope view, evidence and webhooks show this).
 */
export interface IdentityResults {
  passed: boolean;
  providerReasons: string[];
  liveness?: { passed: boolean; score: number | null; failure: string | null };
  face2face?: { passed: boolean; similarityPercent: number | null; reference: 'photo' | 'edocument' };
  edocument?: { passed: boolean; documentType: string | null; ownerIinMatches: boolean; namesMatch: boolean | null };
}

export interface IdentityVerdict {
  status: 'PASSED' | 'FAILED' | 'EXPIRED';
  failureReason: IdentityFailure | null;
  results: IdentityResults;
}

export interface JudgeInput {
  checks: readonly string[];
  edocumentType: string | null;
  /** Whether the integrator gave the face photo (else face2face compared with the E-Document photo). */
  hasPhoto: boolean;
  signer: { iin: string; fullName: string };
}

const letters = (value: string) =>
  value
    .toLocaleLowerCase('ru')
    .replaceAll('ё', 'е')
    .split(/[^\p{L}]+/u)
    .filter(Boolean);

/** The document owner's surname and given name both appear in the signer's full name (order and patronymic aside). */
export function namesMatch(fullName: string, owner: { firstName: string | null; lastName: string | null }): boolean | null {
  if (!owner.firstName || !owner.lastName) return null;
  const signer = new Set(letters(fullName));
  return [...letters(owner.lastName), ...letters(owner.firstName)].every((part) => signer.has(part));
}

/** The verdict on a finished session; the first failing required check names the failure. */
export function judgeIdentity(input: JudgeInput, result: FlowSessionResult): IdentityVerdict {
  const results: IdentityResults = { passed: false, providerReasons: result.failureReasons.slice(0, 10).map((r) => r.slice(0, 60)) };
  const failures: IdentityFailure[] = [];
  if (input.checks.includes('liveness')) {
    const live = result.liveness;
    results.liveness = { passed: live?.result === true, score: live?.prediction ?? null, failure: live?.failureReason?.type?.slice(0, 60) || null };
    if (!live) failures.push('CHECK_MISSING');
    else if (!live.result) failures.push('LIVENESS_FAILED');
  }
  if (input.checks.includes('edocument')) {
    const ed = result.edocument;
    const ownerIinMatches = Boolean(ed?.owner?.iin) && ed!.owner!.iin === input.signer.iin;
    const typeMatches = !input.edocumentType || !ed?.documentType || ed.documentType === input.edocumentType;
    results.edocument = {
      passed: Boolean(ed) && ownerIinMatches && typeMatches,
      documentType: ed?.documentType ?? null,
      ownerIinMatches,
      namesMatch: ed?.owner ? namesMatch(input.signer.fullName, ed.owner) : null,
    };
    if (!ed) failures.push(result.failureReasons.includes('EDOCUMENT') ? 'EDOCUMENT_FAILED' : 'CHECK_MISSING');
    else if (!ownerIinMatches) failures.push('EDOCUMENT_OWNER_MISMATCH');
    else if (!typeMatches) failures.push('EDOCUMENT_TYPE_MISMATCH');
  }
  if (input.checks.includes('face2face')) {
    const f2f = result.face2face;
    const percent = f2f?.predictionPercent ?? (f2f?.prediction != null ? Math.round(f2f.prediction * 1000) / 10 : null);
    results.face2face = { passed: f2f?.result === true, similarityPercent: percent, reference: input.hasPhoto ? 'photo' : 'edocument' };
    if (!f2f) failures.push(result.failureReasons.includes('FACE2FACE') ? 'FACE_MISMATCH' : 'CHECK_MISSING');
    else if (!f2f.result) failures.push('FACE_MISMATCH');
  }
  // A session the person left unfinished: the provider says EXPIRED and no required check failed on its own.
  const expired = result.failureReasons.includes('EXPIRED') && failures.every((f) => f === 'CHECK_MISSING');
  if (expired) return { status: 'EXPIRED', failureReason: 'SESSION_EXPIRED', results };
  // The provider's own verdict counts too: a flow it failed is never a pass here.
  if (failures.length === 0 && result.passed === false) failures.push('CHECK_MISSING');
  results.passed = failures.length === 0;
  return { status: results.passed ? 'PASSED' : 'FAILED', failureReason: failures[0] ?? null, results };
}

/** One line for people (certificate of completion): "liveness passed (99.1 %), face match 97.3 % against the E-Document photo, …". */
export function describeIdentityResults(results: IdentityResults | null, failureReason: IdentityFailure | null): string {
  if (!results) return failureReason === 'SESSION_EXPIRED' ? 'session expired unfinished' : 'no result';
  const parts: string[] = [];
  const percent = (value: number | null) => (value === null ? '' : ` ${Math.round(value * 10) / 10} %`);
  if (results.liveness) parts.push(`liveness ${results.liveness.passed ? 'passed' : `failed${results.liveness.failure ? ` (${results.liveness.failure})` : ''}`}${results.liveness.score !== null ? ` (score${percent(results.liveness.score * 100)})` : ''}`);
  if (results.face2face) {
    parts.push(`face match${percent(results.face2face.similarityPercent)} ${results.face2face.passed ? 'passed' : 'failed'} against ${results.face2face.reference === 'photo' ? 'the photo given' : 'the E-Document photo'}`);
  }
  if (results.edocument) {
    const e = results.edocument;
    parts.push(
      `E-Document${e.documentType ? ` ${e.documentType}` : ''} ${e.passed ? 'received' : 'failed'}${e.documentType ? `, owner IIN ${e.ownerIinMatches ? 'matches' : 'does not match'}` : ''}${e.namesMatch === false ? ', names differ' : e.namesMatch ? ', names match' : ''}`,
    );
  }
  if (!results.passed && failureReason) parts.push(`failure: ${failureReason}`);
  return parts.join('; ') || (results.passed ? 'passed' : 'failed');
}
