import { Injectable, OnModuleInit } from '@nestjs/common';
import { jest } from '@jest/globals';
import { PgBoss } from 'pg-boss';
import { DataSource } from 'typeorm';
import { JobsService } from '../src/jobs/jobs.service.js';
import { startTestApp, type TestApp } from './support/app.js';

/** A queue that records what it ran, registered like a feature's queue. */
@Injectable()
class Recorder implements OnModuleInit {
  readonly seen: string[] = [];
  failuresLeft = 1;
  /** Jobs run only once this resolves (a test holds them to count wakes while none has finished). */
  gate: Promise<void> = Promise.resolve();
  constructor(private readonly jobs: JobsService) {}
  onModuleInit() {
    this.jobs.register<{ tag: string }>({ name: 'test-record', retryLimit: 3, retryDelaySeconds: 1 }, async ({ tag }, job) => {
      await this.gate;
      if (tag === 'flaky' && this.failuresLeft-- > 0) throw new Error('first run fails');
      this.seen.push(`${tag}#${job.retryCount}`);
    });
  }
}

async function until(check: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 300 && !check(); i++) await new Promise((r) => setTimeout(r, 50));
  if (!check()) throw new Error(`gave up waiting for ${what}`);
}

describe('jobs: transactional outbox on pg-boss', () => {
  let t: TestApp;
  let recorder: Recorder;
  let jobs: JobsService;

  beforeAll(async () => {
    t = await startTestApp({}, { providers: [Recorder] });
    recorder = t.app.get(Recorder);
    jobs = t.app.get(JobsService);
  });
  afterAll(() => t.close());

  it('runs a job sent in a committed transaction and never one sent in a rolled-back one', async () => {
    await t.app.get(DataSource).transaction(async (manager) => {
      await jobs.send(manager, 'test-record', { tag: 'committed' });
    });
    await expect(
      t.app.get(DataSource).transaction(async (manager) => {
        await jobs.send(manager, 'test-record', { tag: 'rolled-back' });
        throw new Error('abort');
      }),
    ).rejects.toThrow('abort');
    jobs.wake('test-record');
    await until(() => recorder.seen.includes('committed#0'), 'the committed job');
    await jobs.send(undefined, 'test-record', { tag: 'marker' });
    jobs.wake('test-record');
    await until(() => recorder.seen.includes('marker#0'), 'the marker job');
    expect(recorder.seen).not.toContain('rolled-back#0');
  });

  it('retries a failing job', async () => {
    await jobs.send(undefined, 'test-record', { tag: 'flaky' });
    jobs.wake('test-record');
    await until(() => recorder.seen.some((s) => s.startsWith('flaky#')), 'the retried job');
    expect(recorder.seen).toContain('flaky#1');
  });

  it('wakes one worker per job sent, and none when nothing was sent (each wake costs a fetch query)', async () => {
    const notified = jest.spyOn(PgBoss.prototype, 'notifyWorker');
    let open = () => {};
    recorder.gate = new Promise((resolve) => (open = resolve));
    try {
      jobs.wake('test-record');
      expect(notified).toHaveBeenCalledTimes(0);

      await jobs.send(undefined, 'test-record', { tag: 'one' });
      jobs.wake('test-record');
      expect(notified).toHaveBeenCalledTimes(1);
      jobs.wake('test-record'); // announced already
      expect(notified).toHaveBeenCalledTimes(1);

      await jobs.send(undefined, 'test-record', { tag: 'later' }, { startAfter: new Date(Date.now() + 60_000) });
      jobs.wake('test-record'); // not due: the poll finds it when it is
      expect(notified).toHaveBeenCalledTimes(1);

      for (const tag of ['a', 'b', 'c']) await jobs.send(undefined, 'test-record', { tag });
      jobs.wake('test-record'); // three jobs, two workers: both, and only once each
      expect(notified).toHaveBeenCalledTimes(3);
      expect(new Set(notified.mock.calls.slice(1).map(([id]) => id)).size).toBe(2);
      open();
      await until(() => ['one', 'a', 'b', 'c'].every((tag) => recorder.seen.includes(`${tag}#0`)), 'the woken jobs');
      // Each worker that ran a job looks for the next at once (a backlog drains without waiting out the
      // polling interval): one more fetch per job run, four here.
      await until(() => notified.mock.calls.length >= 7, 'the workers to look again');
      expect(notified).toHaveBeenCalledTimes(7);
    } finally {
      open();
      notified.mockRestore();
    }
  });
});
