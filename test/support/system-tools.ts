import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const execFileAsync = promisify(execFile);
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Tests that need a system program (Chromium, poppler's pdftoppm/pdftotext): where it is missing they are
 * skipped with a line saying they did not run and how to enable them; with CI=true they fail instead.
 * `.ci/run` installs everything they need.
 */
export interface SystemTool {
  /** Shown in messages. */
  name: string;
  path: string;
  /** The Debian package that provides it. */
  debianPackage: string;
}

/** Debian's Chromium; CHROMIUM_PATH points elsewhere (another install, or a missing path to see the skip). */
export const CHROMIUM: SystemTool = { name: 'Chromium', path: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', debianPackage: 'chromium' };
export const PDFTOPPM: SystemTool = { name: 'pdftoppm', path: '/usr/bin/pdftoppm', debianPackage: 'poppler-utils' };
export const PDFTOTEXT: SystemTool = { name: 'pdftotext', path: '/usr/bin/pdftotext', debianPackage: 'poppler-utils' };

export function missingTools(tools: SystemTool[]): SystemTool[] {
  return tools.filter((tool) => !existsSync(tool.path));
}

/** `describe` when every tool is there; otherwise a plain notice and a skip, or a failing test under CI=true. */
export function describeWithTools(tools: SystemTool[], name: string, body: () => void): void {
  const missing = missingTools(tools);
  if (!missing.length) {
    describe(name, body);
    return;
  }
  const install = `apt-get install -y ${[...new Set(missing.map((t) => t.debianPackage))].join(' ')}`;
  const what = missing.map((t) => `${t.name} (${t.path})`).join(', ');
  if (process.env.CI === 'true') {
    describe(name, () => {
      it(`needs ${what}`, () => {
        throw new Error(`${what} missing and CI=true: these tests must run in CI. Install with: ${install}`);
      });
    });
    return;
  }
  process.stderr.write(`\n[kezek tests] NOT RUN: "${name}": ${what} missing on this machine. Enable these tests with: ${install}\n`);
  describe.skip(name, body);
}

/**
 * Renders each page of a PDF to PNG with pdftoppm; returns the PNGs in page order. Asynchronous: the app under
 * test runs in this process and must keep serving (and keep its sockets' timers honest) meanwhile.
 */
export async function pdfToPngs(pdf: Uint8Array, resolution = 72): Promise<Buffer[]> {
  const dir = mkdtempSync(join(tmpdir(), 'kezek-pdftoppm-'));
  try {
    writeFileSync(join(dir, 'in.pdf'), pdf);
    await execFileAsync(PDFTOPPM.path, ['-png', '-r', String(resolution), join(dir, 'in.pdf'), join(dir, 'page')]);
    return readdirSync(dir)
      .filter((f) => f.startsWith('page') && f.endsWith('.png'))
      .sort((a, b) => Number(/(\d+)\.png$/.exec(a)![1]) - Number(/(\d+)\.png$/.exec(b)![1]))
      .map((f) => readFileSync(join(dir, f)));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The text of a PDF as poppler extracts it (what a reader copies out of it). */
export async function pdfToText(pdf: Uint8Array): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'kezek-pdftotext-'));
  try {
    writeFileSync(join(dir, 'in.pdf'), pdf);
    return (await execFileAsync(PDFTOTEXT.path, ['-enc', 'UTF-8', '-layout', join(dir, 'in.pdf'), '-'], { encoding: 'utf8' })).stdout;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
