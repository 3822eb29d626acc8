import request from 'supertest';
import { createOrganisation, startTestApp, type TestApp } from './support/app.js';

describe('foundation: health, docs, authentication, organisation scope, errors', () => {
  let t: TestApp;
  let acme: { id: string; key: string };
  let globex: { id: string; key: string };

  beforeAll(async () => {
    t = await startTestApp();
    acme = await createOrganisation(t, 'Acme');
    globex = await createOrganisation(t, 'Globex');
  });
  afterAll(() => t.close());

  const http = () => request(t.app.getHttpServer());

  it('answers liveness and readiness without a key', async () => {
    await http().get('/health').expect(200, { status: 'ok' });
    await http().get('/health/ready').expect(200, { status: 'ready', database: 'up' });
  });

  it('serves the OpenAPI document with described DTOs', async () => {
    const res = await http().get('/docs/openapi.json').expect(200);
    expect(res.body.paths['/v1/api-keys']).toBeDefined();
    expect(res.body.components.schemas.IssuedApiKeyDto.properties.key.description).toMatch(/Shown once/);
    await http().get('/docs').expect(200).expect('content-type', /html/);
  });

  it('refuses a request without a key, with a malformed key and with an unknown key', async () => {
    for (const authorization of [undefined, 'Basic abc', 'Bearer kzk_0000000000_' + 'A'.repeat(43)]) {
      const req = http().get('/v1/organisation');
      if (authorization) req.set('Authorization', authorization);
      const res = await req.expect(401);
      expect(res.body.error.code).toBe('UNAUTHENTICATED');
      expect(res.body.requestId).toEqual(expect.any(String));
    }
  });

  it('accepts a valid key and refuses it once revoked', async () => {
    const created = await http().post('/v1/api-keys').set('Authorization', `Bearer ${acme.key}`).send({ label: 'ci' }).expect(201);
    expect(created.body.key).toMatch(/^kzk_/);
    const extra = created.body.key as string;
    await http().get('/v1/organisation').set('Authorization', `Bearer ${extra}`).expect(200).expect((res) => expect(res.body.name).toBe('Acme'));
    const listed = await http().get('/v1/api-keys').set('Authorization', `Bearer ${acme.key}`).expect(200);
    expect(listed.body).toHaveLength(2);
    expect(JSON.stringify(listed.body)).not.toContain(extra);
    await http().delete(`/v1/api-keys/${created.body.id}`).set('Authorization', `Bearer ${acme.key}`).expect(200);
    const refused = await http().get('/v1/organisation').set('Authorization', `Bearer ${extra}`).expect(401);
    expect(refused.body.error.message).toMatch(/revoked/);
  });

  it("answers 404, not 403, for another organisation's resource", async () => {
    const globexKeys = await http().get('/v1/api-keys').set('Authorization', `Bearer ${globex.key}`).expect(200);
    const globexKeyId = globexKeys.body[0].id as string;
    const res = await http().delete(`/v1/api-keys/${globexKeyId}`).set('Authorization', `Bearer ${acme.key}`).expect(404);
    expect(res.body.error.code).toBe('API_KEY_NOT_FOUND');
    await http().get('/v1/organisation').set('Authorization', `Bearer ${globex.key}`).expect(200);
  });

  it('answers a malformed body with a 400 that names the field', async () => {
    const auth = { Authorization: `Bearer ${acme.key}` };
    const unknown = await http().post('/v1/api-keys').set(auth).send({ label: 'x', colour: 'red' }).expect(400);
    expect(unknown.body.error).toMatchObject({ code: 'VALIDATION_FAILED', message: expect.stringContaining('colour') });
    const wrongType = await http().post('/v1/api-keys').set(auth).send({ label: 42 }).expect(400);
    expect(wrongType.body.error.details.fields[0].field).toBe('label');
    const broken = await http().post('/v1/api-keys').set(auth).set('content-type', 'application/json').send('{"label":').expect(400);
    expect(broken.body.error.code).toBe('MALFORMED_REQUEST');
    expect(broken.body.requestId).toMatch(/.+/);
    const badId = await http().delete('/v1/api-keys/not-a-uuid').set(auth).expect(400);
    expect(badId.body.error.message).toMatch(/id/);
  });

  it('answers unknown routes with a coded 404', async () => {
    const res = await http().get('/v1/nothing-here').set('Authorization', `Bearer ${acme.key}`).expect(404);
    expect(res.body.error.code).toBe('ROUTE_NOT_FOUND');
  });

  it('echoes a sane X-Request-Id', async () => {
    await http().get('/health').set('X-Request-Id', 'abc-123').expect('x-request-id', 'abc-123');
  });
});
