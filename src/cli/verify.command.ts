import type { Command } from 'commander';
import { DEFAULT_LIMITS, EXIT_CODE, verifyCms, type SignatureReport, type VerificationReport } from '../cms/index.js';
import { formatFailureReport } from '../cms/verify-cms.js';
import { collect, type CommandIo, readTrustAnchors, readUserFile, withUsageErrors } from './command-files.js';

export type { CommandIo };


export interface VerifyCommandOptions {
  content?: string;
  trust?: string[];
  json?: boolean;
}


const day = (iso: string) => iso.slice(0, 10);
const time = (iso: string | null) => (iso ? iso.replace('T', ' ').slice(0, 19) : '-');

function result(s: { indication: string; subIndication?: string }): string {
  return s.subIndication ? `${s.indication} (${s.subIndication})` : s.indication;
}

function signerCell(s: SignatureReport): string {
  if (!s.signer) return '(certificate not found)';
  const name = s.signer.commonName ?? s.certificate?.subject ?? '?';
  const org = s.signer.organization ? `, ${s.signer.organization}` : '';
  const bin = s.signer.bin ? ` BIN ${s.signer.bin}` : '';
  return `${name}${org}${bin}`;
}

function certificateCell(s: SignatureReport): string {
  if (!s.certificate) return '-';
  const issuer = /CN=([^,]+)/.exec(s.certificate.issuer)?.[1] ?? s.certificate.issuer;
  return `${s.certificate.serialNumber} by ${issuer}, ${day(s.certificate.notBefore)}..${day(s.certificate.notAfter)}`;
}

/** The report as a readable table: who, when, which certificate, what result; then why, for failures. */
export function formatReportTable(report: VerificationReport): string {
  const lines: string[] = [];
  const c = report.content;
  const document = c.sha256
    ? `${c.type === 'unknown' ? 'content of unknown type' : c.type.toUpperCase()}, ${c.size} bytes, ${c.detached ? 'detached' : 'attached'}, SHA-256 ${c.sha256}`
    : 'content not available (detached and not supplied)';
  lines.push(`Result:    ${result(report)}`);
  lines.push(`Document:  ${document}`);
  if (report.depth > 1) lines.push(`Nesting:   ${report.depth} levels (1 = over the document)`);
  lines.push(`Summary:   ${report.message}`);
  if (report.signatures.length === 0) return `${lines.join('\n')}\n`;
  const header = ['#', 'Signer', 'IIN', 'Signed at (UTC)', 'Certificate (serial, issuer, validity)', 'Result'];
  const rows = report.signatures.map((s) => [`${s.depth}.${s.index + 1}`, signerCell(s), s.signer?.iin ?? '-', time(s.signingTime), certificateCell(s), result(s)]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const format = (cells: string[]) => cells.map((cell, i) => (i === cells.length - 1 ? cell : cell.padEnd(widths[i]))).join('  ');
  lines.push('', format(header), format(widths.map((w) => '-'.repeat(w))), ...rows.map(format));
  const problems = report.signatures.filter((s) => s.indication !== 'TOTAL_PASSED');
  if (problems.length) {
    lines.push('', 'Why:');
    for (const s of problems) lines.push(`  ${s.depth}.${s.index + 1}: ${s.message}`);
  }
  if (!report.chainChecked) lines.push('', 'No trust anchors, so no signature can pass: pass --trust <ca.pem> (NCA: trust/nca/nca-bundle.pem).');
  return `${lines.join('\n')}\n`;
}

/**
 * `kezek verify`: verifies a CMS file and prints the report; resolves to the exit code (0 TOTAL_PASSED,
 * 1 TOTAL_FAILED, 2 INDETERMINATE, 64 wrong usage).
 */
export async function runVerify(file: string, options: VerifyCommandOptions, io: CommandIo): Promise<number> {
  return withUsageErrors('verify', io, async () => {
    const maxBytes = DEFAULT_LIMITS.maxInputBytes;
    const cms = await readUserFile(file, 'file', maxBytes);
    const content = options.content ? await readUserFile(options.content, 'content file', maxBytes) : undefined;
    const trustAnchors = await readTrustAnchors(options.trust);
    const report =
      cms === null || content === null
        ? formatFailureReport(`${cms === null ? 'file' : 'content file'} is larger than ${maxBytes} bytes`)
        : await verifyCms(cms, { detachedContent: content, trustAnchors });
    io.out(options.json ? `${JSON.stringify(report, null, 2)}\n` : formatReportTable(report));
    return EXIT_CODE[report.indication];
  });
}

/** `kezek verify <file> [--content <original>] [--trust <ca.pem>]... [--json]` (no database needed). */
export function registerVerifyCommand(program: Command, io: CommandIo, setExitCode: (code: number) => void): void {
  program
    .command('verify')
    .description('Verify a CMS signature file (nested and co-signed), print who signed, when, with which certificate')
    .argument('<file>', 'the CMS: DER, PEM or base64 (.p7s, .cms, .sig)')
    .option('--content <original>', 'the signed document, for a detached signature')
    .option('--trust <ca.pem>', 'trusted CA certificate(s), PEM or DER; repeatable', collect, [])
    .option('--json', 'print the verification report as JSON')
    .action(async (file: string, options: VerifyCommandOptions) => {
      setExitCode(await runVerify(file, options, io));
    });
}
