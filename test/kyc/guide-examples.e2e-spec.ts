/**
 * The JavaScript request examples of the identity guides (001 Flow Remote, 004 E-Document), run against the
 * sandbox with only the host changed (https://kyc.biometric.kz → http://127.0.0.1:<port>/sandbox/kyc) and the
 * placeholders (YOUR_FLOW_API_KEY, <session_id>, <organization_api_key>, …) filled in. The snippets are kept
 * as the guides print them, including the session-create example that sends its JSON without a Content-Type.
 */
import { writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { facePhotoPng } from '../../src/sandbox/kyc/domain/images.js';
import type { TestApp } from '../support/app.js';
import { freshIin, PHONE, startSandboxApp, workDir } from '../sandbox/support.js';
import { completeFlow, otpOf, sandboxFlow } from './support.js';

const CREATE_JS = `const apiKey = 'YOUR_FLOW_API_KEY' // flow api key

fetch('https://kyc.biometric.kz/api/v1/flows/session/create/', {
    method: 'POST',
    body: JSON.stringify({
        api_key: apiKey
    })
})
.then(response => response.json())
.then(data => {
    const { session_id, technologies } = data
})`;

const CREATE_PHOTO_JS = `const apiKey = 'YOUR_FLOW_API_KEY';
const imageFilePath = 'path/to/your/image.jpg'; // Path to your image

const fs = require('fs');
const path = require('path');

const imageBase64 = fs.readFileSync(path.resolve(imageFilePath), { encoding: 'base64' });

const payload = {
    api_key: apiKey,
    metadata: {
        face2face: {
            photo1: imageBase64
        }
    }
};

fetch('https://kyc.biometric.kz/api/v1/flows/session/create/', {
    method: 'POST',
    headers: {
        'Content-Type': 'application/json'
    },
    body: JSON.stringify(payload)
})
.then(response => response.json())
.then(data => {
    const { session_id, technologies } = data;
})`;

const CREATE_EDOCUMENT_JS = `const apiKey = 'YOUR_FLOW_API_KEY'; // Your flow API key
const subjectsIIN = '123456789012'; // Example user's IIN
const subjectsPhone = '77*********'; // Example user's phone number

fetch('https://kyc.biometric.kz/api/v1/flows/session/create/', {
    method: 'POST',
    headers: {
        'Content-Type': 'application/json'
    },
    body: JSON.stringify({
        api_key: apiKey,
        metadata: {
            edocument: {
                iin: {
                    value: subjectsIIN,
                    changeable: false,
                },
                phone: {
                    value: subjectsPhone,
                    changeable: false,
                },
                skip_input: true
            }
        }
    })
})
    .then(response => response.json())
    .then(data => {
        const { session_id, technologies } = data;
    })`;

const CREATE_EXTRA_JS = `const apiKey = 'YOUR_FLOW_API_KEY';

const payload = {
   api_key: apiKey,
   metadata: {
       extra: {
           iin: '<iin>'
       }
   }
};

fetch('https://kyc.biometric.kz/api/v1/flows/session/create/', {
   method: 'POST',
   headers: {
       'Content-Type': 'application/json'
   },
   body: JSON.stringify(payload)
})
.then(response => response.json())
.then(data => console.log(data))
.catch(error => console.error(error));`;

const VIDEO_JS = `fetch("https://kyc.biometric.kz/api/v1/liveness/video/download/?session_id=<session_id>&flow_api_key=<flow_api_key>")
.then(response => response.text())
.then(result => console.log(result))
.catch(error => console.log('error', error));`;

const REPORT_JS = `const sessionId = '<session_id>';
const apiKey = '<YOUR_FLOW_API_KEY>';

fetch(\`https://kyc.biometric.kz/api/v1/flows/session/\${sessionId}/report/?technology=F2F\`, {
   method: 'POST',
   headers: {
       'Content-Type': 'application/json'
   },
   body: JSON.stringify({
       api_key: apiKey
   })
})
.then(response => response.json())
.then(data => console.log(data))
.catch(error => console.error(error));`;

const EDOCUMENT_REQUEST_JS = `const url = 'https://kyc.biometric.kz/api/v1/backend/e-document/online-access/request/{document_type}/';

const apiKey = '<organization_api_key>';

const headers = {
    'Accept': 'application/json',
    'Content-Type': 'application/json'
};

const data = {
    api_key: apiKey,
    iin: '<subjects_iin>',
    phone: '<subjects_phone>'
};

fetch(url, {
    method: 'POST',
    headers: headers,
    body: JSON.stringify(data)
})
.then(response => response.json())
.then(data => console.log(data))
.catch(error => console.error(error));`;

const EDOCUMENT_APPROVE_JS = `const url = 'https://kyc.biometric.kz/api/v1/backend/e-document/online-access/approve/';

const headers = {
    'accept': 'application/json',
    'Content-Type': 'application/json',
};

const data = {
    'backend_session_id': '<backend_session_id>',
    'code': '<otp_code>',
    'file': true,
    'file_type': 'pdf',
};

fetch(url, {
    method: 'POST',
    headers: headers,
    body: JSON.stringify(data)
})
.then(response => response.json())
.then(data => console.log(data))
.catch(error => console.error(error));`;

const require = createRequire(import.meta.url);

describe('the identity guides\' JavaScript examples against the sandbox', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startSandboxApp();
  });
  afterAll(() => t.close());

  /**
   * Runs a snippet with the host and placeholders replaced; returns what it logged and the answer of its
   * fetch (status and body), which the snippets that only destructure the answer never print.
   */
  async function run(snippet: string, values: Record<string, string>): Promise<{ logged: unknown[]; errors: unknown[]; status: number; body: string; contentType: string | null }> {
    let code = snippet.replaceAll('https://kyc.biometric.kz', `${t.baseUrl}/sandbox/kyc`);
    for (const [placeholder, value] of Object.entries(values)) code = code.replaceAll(placeholder, value);
    const logged: unknown[] = [];
    const errors: unknown[] = [];
    const answers: Promise<Response>[] = [];
    const recordingFetch = (...args: Parameters<typeof fetch>) => {
      const response = fetch(...args);
      answers.push(response.then((r) => r.clone()));
      return response;
    };
    let settle!: () => void;
    const settled = new Promise<void>((resolve) => (settle = resolve));
    const fakeConsole = { log: (...args: unknown[]) => (logged.push(args), settle()), error: (...args: unknown[]) => (errors.push(args), settle()) };
    (new Function('fetch', 'console', 'require', code) as (...args: unknown[]) => void)(recordingFetch, fakeConsole, require);
    const answer = await answers[0]!;
    const body = await answer.text();
    // Snippets that print wait for their print; the others have nothing more to do once the body is read.
    if (/console\.(log|error)/.test(snippet)) await settled;
    return { logged, errors, status: answer.status, body, contentType: answer.headers.get('content-type') };
  }

  it('creates a session without a Content-Type header (the body is JSON all the same)', async () => {
    const flow = await sandboxFlow(t, 'LD,F2F');
    const { status, body } = await run(CREATE_JS, { YOUR_FLOW_API_KEY: flow.apiKey });
    expect(status).toBe(200);
    expect(JSON.parse(body)).toEqual({ session_id: expect.any(String), technologies: ['LDHP', 'F2F'] });
  });

  it('creates a session with photo1 read from a file (Node)', async () => {
    const flow = await sandboxFlow(t, 'LD,F2F');
    const file = join(workDir(), 'image.jpg');
    writeFileSync(file, facePhotoPng(freshIin()));
    const { status, body } = await run(CREATE_PHOTO_JS, { YOUR_FLOW_API_KEY: flow.apiKey, 'path/to/your/image.jpg': file });
    expect(status).toBe(200);
    expect(JSON.parse(body).technologies).toEqual(['LDHP', 'F2F']);
  });

  it('creates a session with E-Document metadata that skips the input step', async () => {
    const flow = await sandboxFlow(t, 'LD,ED,F2F');
    const { status, body } = await run(CREATE_EDOCUMENT_JS, { YOUR_FLOW_API_KEY: flow.apiKey, '123456789012': freshIin(), '77*********': PHONE });
    expect(status).toBe(200);
    const { session_id: sessionId } = JSON.parse(body) as { session_id: string };
    // The person lands on the code step at once: the OTP was sent on opening the page.
    const page = await (await fetch(`${t.baseUrl}/sandbox/remote/flow/${sessionId}?locale=en`)).text();
    expect(page).toContain('Step 1 of 3');
    await completeFlow(t, flow.apiKey, sessionId, { outcome: 'fail', technology: 'LD', reason: 'NO_CAMERA' });
  });

  it('creates a session with extra.iin, then fetches the liveness video and the F2F report', async () => {
    const flow = await sandboxFlow(t, 'LD,F2F');
    const created = await run(CREATE_EXTRA_JS, { YOUR_FLOW_API_KEY: flow.apiKey, '<iin>': freshIin() });
    expect(created.errors).toEqual([]);
    const { session_id: sessionId } = (created.logged[0] as [{ session_id: string }])[0];
    expect((await completeFlow(t, flow.apiKey, sessionId, { outcome: 'pass' })).status).toBe(200);

    const video = await run(VIDEO_JS, { '<session_id>': sessionId, '<flow_api_key>': flow.apiKey });
    expect(video.status).toBe(200);
    expect(String((video.logged[0] as [string])[0]).startsWith('YUV4MPEG2')).toBe(true);

    const report = await run(REPORT_JS, { '<session_id>': sessionId, '<YOUR_FLOW_API_KEY>': flow.apiKey });
    expect(report.errors).toEqual([]);
    const { pdf } = (report.logged[0] as [{ pdf: string }])[0];
    expect(Buffer.from(pdf, 'base64').subarray(0, 5).toString('latin1')).toBe('%PDF-');
  }, 120_000);

  it('requests an E-Document and approves it with the OTP', async () => {
    const flow = await sandboxFlow(t, 'ED');
    const iin = freshIin();
    const requested = await run(EDOCUMENT_REQUEST_JS, { '{document_type}': 'driver_license', '<organization_api_key>': flow.backendApiKey, '<subjects_iin>': iin, '<subjects_phone>': PHONE });
    expect(requested.errors).toEqual([]);
    const { backend_session_id: backendSessionId } = (requested.logged[0] as [{ backend_session_id: string }])[0];
    const code = await otpOf(t, flow.backendApiKey, backendSessionId);
    const approved = await run(EDOCUMENT_APPROVE_JS, { '<backend_session_id>': backendSessionId, '<otp_code>': code });
    expect(approved.status).toBe(200);
    const document = (approved.logged[0] as [Record<string, unknown>])[0];
    expect(document).toMatchObject({ document_type: 'driver_license', result_json: { common: { docOwner: { iin } } }, document_pdf: expect.any(String) });
    expect(Object.keys(document).sort()).toEqual(['barcode', 'document_image', 'document_pdf', 'document_type', 'face_photo', 'gender', 'qrcode', 'result_json']);
  }, 120_000);
});
