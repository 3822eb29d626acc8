/** Minimal, safe HTML building for Kezek's few server-rendered pages. */
export function escapeHtml(value: unknown): string {
  return String(value ?? '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

/**
 * A complete page with Kezek's small stylesheet; `body` must already be escaped HTML. `styles` adds rules
 * (wider pages such as the console), `scripts` same-origin script paths (the CSP allows no inline script).
 */
export function page(options: { lang: string; title: string; body: string; styles?: string; scripts?: string[] }): string {
  return `<!doctype html>
<html lang="${escapeHtml(options.lang)}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>${escapeHtml(options.title)}</title>
<style>
  body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; max-width: 42rem; margin: 2rem auto; padding: 0 1rem; color: #1d2433; line-height: 1.5; }
  h1 { font-size: 1.5rem; margin-bottom: .25rem; }
  .muted { color: #5c6577; }
  .card { border: 1px solid #d8dde6; border-radius: 10px; padding: 1rem 1.25rem; margin: 1rem 0; }
  .ok { border-color: #2e7d32; background: #f1f8f1; }
  .bad { border-color: #c62828; background: #fdf2f2; }
  .wait { border-color: #b28704; background: #fffaf0; }
  button, .button { font: inherit; padding: .6rem 1.2rem; border-radius: 8px; border: 1px solid #1f4fd1; background: #1f4fd1; color: #fff; cursor: pointer; text-decoration: none; display: inline-block; }
  button.secondary { background: #fff; color: #c62828; border-color: #c62828; }
  textarea { width: 100%; min-height: 4rem; font: inherit; }
  table { border-collapse: collapse; width: 100%; }
  td, th { text-align: left; padding: .35rem .5rem; border-bottom: 1px solid #eceff4; vertical-align: top; }
  code { font-size: .85em; word-break: break-all; }
  nav.lang a { margin-right: .5rem; }
${options.styles ?? ''}
</style>
${(options.scripts ?? []).map((src) => `<script src="${escapeHtml(src)}" defer></script>`).join('\n')}
</head>
<body>
${options.body}
</body>
</html>`;
}
