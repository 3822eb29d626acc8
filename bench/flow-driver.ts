/**
 * bench:flow's load driver, in a process of its own (forked by flow.bench.ts with an IPC channel), so that the
 * CPU it spends making requests is not counted as Kezek's. It plays the integrator (creates envelopes), each
 * signer (opens the link, presses sign, comes back) and the signer's phone (completes the sandbox session).
 *
 * Messages: → parent `warm` after the warm-up; ← parent `go`; → parent `done` (rounds, handoffs) after the
 * measured run; `failed` on any error. `warm` and `done` carry the driver's own CPU time.
 */
import { PDFDocument, StandardFonts } from 'pdf-lib';
import { isValidIin } from '../src/cms/iin.js';

export interface DriverSettings {
  base: string;
  providerBase: string;
  providerKey: string;
  apiKey: string;
  envelopes: number;
  concurrency: number;
  signers: number;
}

/** `cpuMs`: this process's own CPU time so far (user + system). */
export type DriverMessage = { type: 'warm'; cpuMs: number } | { type: 'done'; rounds: number; handoffs: number[]; cpuMs: number } | { type: 'failed'; message: string };

function cpuMs(): number {
  const usage = process.cpuUsage();
  return (usage.user + usage.system) / 1000;
}

/** Valid IINs, cycled: the sandbox issues each one certificate once, as the real CA would. */
const IIN_POOL = Array.from({ length: 30 }, (_, i) => validIin(`90010130${String(i * 7).padStart(3, '0')}`));

function validIin(first11: string): string {
  const d = first11.split('').map(Number);
  for (let bump = 0; bump < 10; bump++) {
    d[10] = (Number(first11[10]) + bump) % 10;
    let sum = d.reduce((acc, digit, i) => acc + digit * (i + 1), 0) % 11;
    if (sum === 10) sum = d.reduce((acc, digit, i) => acc + digit * [3, 4, 5, 6, 7, 8, 9, 10, 11, 1, 2][i], 0) % 11;
    if (sum !== 10 && isValidIin(d.join('') + String(sum))) return d.join('') + String(sum);
  }
  throw new Error(`no valid IIN from ${first11}`);
}

function send(message: DriverMessage): Promise<void> {
  return new Promise((resolve, reject) => process.send!(message, (error: Error | null) => (error ? reject(error) : resolve())));
}

function nextMessage(): Promise<{ type: string }> {
  return new Promise((resolve) => process.once('message', resolve));
}

async function drive(settings: DriverSettings): Promise<void> {
  const { base, providerBase, providerKey, signers } = settings;
  const auth = { Authorization: `Bearer ${settings.apiKey}`, 'Content-Type': 'application/json' };
  const pdf = await PDFDocument.create();
  pdf.addPage([595, 842]).drawText('Bench contract', { x: 50, y: 780, size: 16, font: await pdf.embedFont(StandardFonts.Helvetica) });
  const document = Buffer.from(await pdf.save()).toString('base64');

  const handoffs: number[] = [];
  let rounds = 0;

  async function runEnvelope(index: number): Promise<void> {
    const body = {
      title: `Bench ${index}`,
      documents: [{ name: 'contract.pdf', contentBase64: document }],
      signers: Array.from({ length: signers }, (_, i) => ({
        fullName: `Signer ${i}`,
        iin: IIN_POOL[(((index * signers + i) % IIN_POOL.length) + IIN_POOL.length) % IIN_POOL.length],
        phone: '77011234567',
        routingOrder: i + 1,
      })),
      send: true,
    };
    const created = await fetch(`${base}/v1/envelopes`, { method: 'POST', headers: auth, body: JSON.stringify(body) });
    if (created.status !== 201) throw new Error(`create: ${created.status} ${await created.text()}`);
    const envelope = (await created.json()) as { id: string; signers: { link: string }[] };
    let finishedAt: number | undefined;
    for (let i = 0; i < signers; i++) {
      const link = envelope.signers[i].link;
      const sign = await fetch(`${link}/sign`, { method: 'POST', redirect: 'manual' });
      if (sign.status !== 303) throw new Error(`sign: ${sign.status} ${await sign.text()}`);
      if (finishedAt !== undefined) handoffs.push(performance.now() - finishedAt);
      const signPage = new URL(sign.headers.get('location')!);
      const sessionId = signPage.searchParams.get('session')!;
      const completed = await fetch(`${providerBase}/sandbox/automation/sessions/${sessionId}/complete`, {
        method: 'POST',
        headers: { 'x-api-key': providerKey, 'Content-Type': 'application/json' },
        body: JSON.stringify({ outcome: 'sign', redirectUrl: signPage.searchParams.get('redirect_url') }),
      });
      if (completed.status !== 200) throw new Error(`complete: ${completed.status} ${await completed.text()}`);
      finishedAt = performance.now();
      const { redirect_url: redirectUrl } = (await completed.json()) as { redirect_url: string };
      const returned = await fetch(redirectUrl);
      if (returned.status !== 200) throw new Error(`return: ${returned.status}`);
      rounds++;
    }
    const final = (await (await fetch(`${base}/v1/envelopes/${envelope.id}`, { headers: auth })).json()) as { status: string };
    if (final.status !== 'COMPLETED') throw new Error(`envelope ${envelope.id} ended ${final.status}`);
  }

  // Warm-up: issue every certificate of the pool once, outside the measurement.
  for (let i = 0; i < IIN_POOL.length / signers; i++) await runEnvelope(-1 - i);
  handoffs.length = 0;
  rounds = 0;
  await send({ type: 'warm', cpuMs: cpuMs() });
  await nextMessage();

  let next = 0;
  await Promise.all(
    Array.from({ length: settings.concurrency }, async () => {
      while (next < settings.envelopes) await runEnvelope(next++);
    }),
  );
  await send({ type: 'done', rounds, handoffs, cpuMs: cpuMs() });
}

drive(JSON.parse(process.env.BENCH_DRIVER_SETTINGS ?? '{}') as DriverSettings)
  .then(() => process.exit(0))
  .catch(async (error: unknown) => {
    await send({ type: 'failed', message: error instanceof Error ? (error.stack ?? error.message) : String(error) }).catch(() => undefined);
    process.exit(1);
  });
