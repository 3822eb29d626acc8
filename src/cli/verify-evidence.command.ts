import type { Command } from 'commander';
import { checkEvidencePack, type EvidenceCheckResult } from '../evidence/domain/check-evidence-pack.js';
import { collect, type CommandIo, readTrustAnchors, readUserFile, UsageError, withUsageErrors } from './command-files.js';

export interface VerifyEvidenceOptions {
  trust?: string[];
  seal?: string[];
  json?: boolean;
}

/** The largest pack read into memory: far above any real envelope's (10 documents, their rounds' archives). */
const MAX_PACK_BYTES = 2 * 1024 * 1024 * 1024 - 1;

export function formatEvidenceResult(result: EvidenceCheckResult, pack: string): string {
  const lines: string[] = [];
  if (result.envelope) lines.push(`Evidence pack ${pack}: envelope ${result.envelope.id} “${result.envelope.title}” (${result.envelope.status})`, '');
  for (const line of result.passed) lines.push(`  ok    ${line}`);
  for (const warning of result.warnings) lines.push(`  note  ${warning}`);
  for (const p of result.problems) lines.push(`  FAIL  ${p.file}: ${p.message}`);
  lines.push('', result.ok ? 'PASSED: every file, signature and the audit chain check out.' : `FAILED: ${result.problems.length} problem(s) in ${[...new Set(result.problems.map((p) => p.file))].join(', ')}`);
  return `${lines.join('\n')}\n`;
}

/** `kezek verify-evidence`: exit 0 when the pack checks out, 1 when anything is wrong, 64 for wrong usage. */
export async function runVerifyEvidence(pack: string, options: VerifyEvidenceOptions, io: CommandIo): Promise<number> {
  return withUsageErrors('verify-evidence', io, async () => {
    const zip = await readUserFile(pack, 'evidence pack', MAX_PACK_BYTES);
    if (!zip) throw new UsageError(`evidence pack ${pack} is larger than ${MAX_PACK_BYTES} bytes`);
    const result = await checkEvidencePack(zip, { trustAnchors: await readTrustAnchors(options.trust), seal: await readTrustAnchors(options.seal, '--seal') });
    io.out(options.json ? `${JSON.stringify(result, null, 2)}\n` : formatEvidenceResult(result, pack));
    return result.ok ? 0 : 1;
  });
}

/** `kezek verify-evidence <evidence.zip> [--trust <ca.pem>]... [--seal <seal.pem>] [--json]` (no server, no database). */
export function registerVerifyEvidenceCommand(program: Command, io: CommandIo, setExitCode: (code: number) => void): void {
  program
    .command('verify-evidence')
    .description('Check an evidence pack offline: every file hash, every CMS, the audit chain, the provider archives and the certificate')
    .argument('<evidence.zip>', 'the pack from GET /v1/envelopes/{id}/evidence.zip')
    .option('--trust <ca.pem>', 'trusted CA certificate(s), PEM or DER; repeatable', collect, [])
    .option('--seal <seal.pem>', 'the instance seal certificate (GET /v1/evidence/seal-certificate.pem), kept apart from the pack: fails when the pack was rewritten', collect, [])
    .option('--json', 'print the result as JSON')
    .action(async (pack: string, options: VerifyEvidenceOptions) => {
      setExitCode(await runVerifyEvidence(pack, options, io));
    });
}
