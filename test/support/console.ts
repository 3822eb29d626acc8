import request from 'supertest';
import type { TestApp } from './app.js';
import { createUserCommand } from '../../src/users/users.cli.js';

export const PASSWORD = 'correct horse battery';

/** A console user made the way `kezek user create` makes one. */
export async function createConsoleUser(t: TestApp, organisationId: string, email: string, role: string): Promise<string> {
  const text = await createUserCommand(t.db, { org: organisationId, email, role, password: PASSWORD });
  return /\(\w+, ([0-9a-f-]{36})\)/.exec(text)![1];
}

/** The hidden `_csrf` value of the first form on a page. */
export function csrfOf(html: string): string {
  const token = /name="_csrf" value="([^"]+)"/.exec(html)?.[1];
  if (!token) throw new Error('no CSRF field on the page');
  return token;
}

/** A supertest agent (it keeps cookies) signed in to the console. */
export async function consoleAgent(t: TestApp, email: string, password = PASSWORD) {
  const agent = request.agent(t.app.getHttpServer());
  const form = await agent.get('/console/login').expect(200);
  const res = await agent.post('/console/login').type('form').send({ _csrf: csrfOf(form.text), email, password });
  if (res.status !== 303) throw new Error(`login failed: ${res.status} ${res.text.slice(0, 300)}`);
  const page = await agent.get('/console/envelopes').expect(200);
  return { agent, csrf: csrfOf(page.text) };
}
