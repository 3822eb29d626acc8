/**
 * The request examples of the provider guide (003), run against the sandbox with only the host changed
 * (https://dev.b-key.kz → http://127.0.0.1:<port>/sandbox) and the placeholders (API_KEY, <subjects_iin>,
 * <session_id>, <base64_string>) filled in. The snippets are kept as the guide prints them; where the guide's
 * own text has a typo that no JavaScript engine accepts (`"API_KEY".` and an extra `)`), the fix is noted.
 */
import { execFile, spawnSync } from 'node:child_process';
import { promisify } from 'node:util';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { TestApp } from '../support/app.js';
import { freshIin, makePdf, sandboxOrganisation, startSandboxApp, workDir } from './support.js';

// Asynchronous on purpose: the server answering these tools runs in this same process.
const run$ = promisify(execFile);

const CREATE_JS = `const url = "https://dev.b-key.kz/api/v1/session/create/";
const headers = {
"Content-Type": "application/json",
"x-api-key": "API_KEY"
};
const data = {
iin: "<subjects_iin>",
phone: "7*********",
document_type: "pdf"
};
fetch(url, {
method: "POST",
headers: headers,
body: JSON.stringify(data)
})
.then(response => response.json())
.then(result => console.log("Session created:", result))
.catch(error => console.error("Error:", error));`;

const UPLOAD_FORM_JS = `const url = "https://dev.b-key.kz/api/v1/session/documents/upload/";
const headers = {
"x-api-key": "API_KEY"
};
const formData = new FormData();
formData.append("session_id", "<session_id>");
formData.append("name", "example_file.pdf");
formData.append("file", document.querySelector('input[type="file"]').files[0]);
fetch(url, {
method: "POST",
headers: headers,
body: formData
})
.then(response => response.json())
.then(result => console.log("File uploaded successfully:", result))
.catch(error => console.error("Error:", error));`;

const UPLOAD_BASE64_JS = `const url = "https://dev.b-key.kz/api/v1/session/documents/upload/base64/";
const headers = {
"x-api-key": "API_KEY",
"accept": "application/json",
"Content-Type": "application/json"
};
fetch('https://dev.b-key.kz/api/v1/session/documents/upload/base64/', {
method: 'POST',
headers: headers,
body: JSON.stringify({
'session_id': '<session_id>',
'name': 'example_file.pdf',
'base64_file': '<base64_string>'
})
})
.then(response => response.json())
.then(result => console.log("File uploaded successfully:", result))
.catch(error => console.error("Error:", error));`;

const UPLOAD_BASE64_CURL = `curl --request POST \\
--url https://dev.b-key.kz/api/v1/session/documents/upload/base64/ \\
--header 'x-api-key: API_KEY' \\
--header 'accept: application/json' \\
--header 'Content-Type: application/json' \\
-d '{
"session_id": "<session_id>",
"name": "example_file.pdf",
"base64_file": "<base64_string>"
}'`;

// Guide typos fixed: `"x-api-key": "API_KEY".` → `"API_KEY"`, and `console.log(...)))` → `console.log(...))`.
const RESULT_JS = `const url = "https://dev.b-key.kz/api/v1/session/result/";
const headers = {
"x-api-key": "API_KEY"
};
const params = new URLSearchParams({
session_id: "<session_id>"
});
fetch(\`\${url}?\${params.toString()}\`, {
method: "GET",
headers: headers
})
.then(response => response.json())
.then(result => console.log("Session result:", result))
.catch(error => console.error("Error:", error));`;

const STATUS_JS = RESULT_JS.replace('/result/', '/status/').replace('"Session result:"', '"Session status:"');

// Guide typo fixed: `"API_KEY".` → `"API_KEY"`.
const DOWNLOAD_JS = `const url = "https://dev.b-key.kz/api/v1/session/result/download/";
const headers = {
"x-api-key": "API_KEY"
};
const params = new URLSearchParams({
session_id: "<session_id>"
});
fetch(\`\${url}?\${params.toString()}\`, {
method: "GET",
headers: headers
})
.then(response => response.blob())
.then(blob => {
const link = document.createElement("a");
link.href = URL.createObjectURL(blob);
link.download = "documents.zip";
link.click();
})
.catch(error => console.error("Error:", error));`;

// Guide typo fixed: `ffetch(` → `fetch(`.
const DOWNLOAD_BASE64_JS = `const url = "https://dev.b-key.kz/api/v1/session/result/download/";
const headers = {
"x-api-key": "API_KEY"
};
const params = new URLSearchParams({
session_id: "<session_id>",
in_base64: true,
});
fetch(\`\${url}?\${params.toString()}\`, {
method: "GET",
headers: headers
})
.then(response => response.json())
.then(result => console.log("Session result:", result))
.catch(error => console.error("Error:", error));`;

const UPLOAD_PY = `import requests
import json
url = "https://dev.b-key.kz/api/v1/session/documents/upload/"
headers = {
"x-api-key": "API_KEY"
}
files = {
"session_id": ("<session_id>"),
"name": ("example_file.pdf"),
"file": open("path/to/example_file.pdf", "rb")
}
response = requests.post(url, headers=headers, files=files)
if response.status_code == 200:
    print("File uploaded successfully:", response.json())
else:
    print("Error:", response.status_code, response.text)`;

describe('the guide request examples, host changed to the sandbox', () => {
  let t: TestApp;
  let apiKey: string;
  let pdf: Uint8Array;

  beforeAll(async () => {
    t = await startSandboxApp();
    apiKey = (await sandboxOrganisation(t, { name: 'Guide Co' })).apiKey;
    pdf = await makePdf('Guide example');
  });
  afterAll(() => t.close());

  function fill(snippet: string, values: Record<string, string>): string {
    let code = snippet.replaceAll('https://dev.b-key.kz', `${t.baseUrl}/sandbox`).replaceAll('API_KEY', apiKey);
    for (const [placeholder, value] of Object.entries(values)) code = code.replaceAll(placeholder, value);
    return code;
  }

  /** Runs a browser snippet with a console that captures what it logs, and a minimal DOM where it needs one. */
  async function run(snippet: string, values: Record<string, string>, dom: Record<string, unknown> = {}): Promise<{ logged: unknown[]; errors: unknown[] }> {
    const logged: unknown[] = [];
    const errors: unknown[] = [];
    let done!: () => void;
    const finished = new Promise<void>((resolve) => (done = resolve));
    const fakeConsole = {
      log: (...args: unknown[]) => {
        logged.push(args);
        done();
      },
      error: (...args: unknown[]) => {
        errors.push(args);
        done();
      },
    };
    const fakeUrl = Object.assign(function (this: unknown, ...args: ConstructorParameters<typeof URL>) {
      return new URL(...args);
    }, { createObjectURL: (dom.createObjectURL as ((blob: Blob) => string) | undefined) ?? (() => 'blob:x') });
    const body = fill(snippet, values);
    const fn = new Function('fetch', 'FormData', 'URLSearchParams', 'console', 'document', 'URL', body) as (...args: unknown[]) => void;
    fn(fetch, FormData, URLSearchParams, fakeConsole, dom.document, fakeUrl);
    if (dom.waitFor) await (dom.waitFor as Promise<void>);
    else await finished;
    return { logged, errors };
  }

  async function createSession(): Promise<string> {
    const { logged, errors } = await run(CREATE_JS, { '<subjects_iin>': freshIin(), '7*********': '77011234567' });
    expect(errors).toEqual([]);
    const [label, result] = logged[0] as [string, { session_id: string; created_at: string; check_id: string }];
    expect(label).toBe('Session created:');
    expect(Object.keys(result).sort()).toEqual(['check_id', 'created_at', 'session_id']);
    return result.session_id;
  }

  async function signSession(sessionId: string): Promise<void> {
    const res = await fetch(`${t.baseUrl}/sandbox/automation/sessions/${sessionId}/complete`, { method: 'POST', headers: { 'x-api-key': apiKey, 'content-type': 'application/json' }, body: JSON.stringify({ outcome: 'sign' }) });
    expect(res.status).toBe(200);
  }

  it('JavaScript: create session, upload as form-data, upload as base64, result, status, download (zip and base64)', async () => {
    const sessionId = await createSession();

    const file = new File([pdf], 'example_file.pdf', { type: 'application/pdf' });
    const document = { querySelector: (selector: string) => (selector === 'input[type="file"]' ? { files: [file] } : null) };
    const form = await run(UPLOAD_FORM_JS, { '<session_id>': sessionId }, { document });
    expect(form.errors).toEqual([]);
    expect(form.logged[0]).toEqual(['File uploaded successfully:', expect.objectContaining({ name: 'example_file.pdf', sign: null })]);

    const base64 = await run(UPLOAD_BASE64_JS, { '<session_id>': sessionId, '<base64_string>': Buffer.from(pdf).toString('base64') });
    expect(base64.logged[0]).toEqual(['File uploaded successfully:', expect.objectContaining({ name: 'example_file.pdf', sign: null })]);

    await signSession(sessionId);
    const result = await run(RESULT_JS, { '<session_id>': sessionId });
    const [, resultBody] = result.logged[0] as [string, { session_id: string; docs: { id: string; name: string; sign: string }[] }];
    expect(resultBody.session_id).toBe(sessionId);
    expect(resultBody.docs).toHaveLength(2);
    expect(resultBody.docs.every((d) => typeof d.sign === 'string' && d.sign.length > 100)).toBe(true);

    const status = await run(STATUS_JS, { '<session_id>': sessionId });
    expect(status.logged[0]).toEqual(['Session status:', { session_id: sessionId, status: 'FINISHED', failure_reason: null }]);

    let clicked!: () => void;
    const clickedPromise = new Promise<void>((resolve) => (clicked = resolve));
    let downloaded: Blob | undefined;
    const link: Record<string, unknown> = { click: () => clicked() };
    const download = await run(DOWNLOAD_JS, { '<session_id>': sessionId }, {
      document: { createElement: () => link },
      createObjectURL: (blob: Blob) => {
        downloaded = blob;
        return 'blob:documents';
      },
      waitFor: clickedPromise,
    });
    expect(download.errors).toEqual([]);
    expect(link.download).toBe('documents.zip');
    const zip = Buffer.from(await downloaded!.arrayBuffer());
    expect(zip.subarray(0, 2).toString()).toBe('PK');

    const inBase64 = await run(DOWNLOAD_BASE64_JS, { '<session_id>': sessionId });
    const [, copies] = inBase64.logged[0] as [string, { docs: { name: string; base64_file: string }[] }];
    expect(copies.docs.map((d) => d.name)).toEqual(['example_file.pdf', 'example_file (2).pdf']);
    expect(Buffer.from(copies.docs[0].base64_file, 'base64').subarray(0, 5).toString()).toBe('%PDF-');
  });

  const hasCurl = spawnSync('curl', ['--version']).status === 0;
  (hasCurl ? it : it.skip)(`curl: upload as base64${hasCurl ? '' : ' (SKIPPED: curl is not installed)'}`, async () => {
    const sessionId = await createSession();
    const command = fill(UPLOAD_BASE64_CURL, { '<session_id>': sessionId, '<base64_string>': Buffer.from(pdf).toString('base64') });
    const { stdout: out } = await run$('sh', ['-c', `${command} --silent --show-error`], { encoding: 'utf8' });
    expect(JSON.parse(out)).toMatchObject({ name: 'example_file.pdf', sign: null, id: expect.any(String) });
  });

  const hasRequests = spawnSync('python3', ['-c', 'import requests']).status === 0;
  (hasRequests ? it : it.skip)(`Python requests: upload as form-data, session_id and name sent as file parts${hasRequests ? '' : ' (SKIPPED: python3 with requests is not installed)'}`, async () => {
    const sessionId = await createSession();
    const dir = workDir();
    writeFileSync(join(dir, 'example_file.pdf'), pdf);
    const script = fill(UPLOAD_PY, { '<session_id>': sessionId, 'path/to/example_file.pdf': join(dir, 'example_file.pdf') });
    const { stdout: out } = await run$('python3', ['-c', script], { encoding: 'utf8' });
    expect(out).toMatch(/^File uploaded successfully: \{'id': '[0-9a-f-]{36}', 'name': 'example_file.pdf', 'sign': None/);
  });

  it('paths answer with and without the trailing slash', async () => {
    const sessionId = await createSession();
    for (const path of ['/api/v1/session/status', '/api/v1/session/status/']) {
      const res = await fetch(`${t.baseUrl}/sandbox${path}?session_id=${sessionId}`, { headers: { 'x-api-key': apiKey } });
      expect(res.status).toBe(200);
    }
    for (const path of ['/api/v1/session/result/download', '/api/v1/session/result/download/']) {
      const res = await fetch(`${t.baseUrl}/sandbox${path}?session_id=${sessionId}`, { headers: { 'x-api-key': apiKey } });
      expect([res.status, await res.json()]).toEqual([404, { detail: 'Document file(s) not found' }]);
    }
  });
});
