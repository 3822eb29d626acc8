/**
 * The signer page's only script, served from /assets/signer.js as an ES module (the CSP allows no inline
 * script). It draws each PDF with pdf.js, which Kezek serves itself from /assets/pdfjs (no CDN). pdf.js runs
 * with eval off; the page works without this script (the download link stays).
 */
export const SIGNER_PAGE_SCRIPT = `const boxes = Array.from(document.querySelectorAll('[data-pdf-url]'));
if (boxes.length) {
  const pdfjs = await import('/assets/pdfjs/pdf.min.mjs');
  pdfjs.GlobalWorkerOptions.workerSrc = '/assets/pdfjs/pdf.worker.min.mjs';
  for (const box of boxes) {
    const status = box.querySelector('[data-preview-status]');
    try {
      await draw(pdfjs, box, status);
    } catch (error) {
      box.dataset.preview = 'failed';
      if (status) status.textContent = box.dataset.failed;
    }
  }
}

async function draw(pdfjs, box, status) {
  const pdf = await pdfjs.getDocument({
    url: box.dataset.pdfUrl,
    isEvalSupported: false,
    enableXfa: false,
    standardFontDataUrl: '/assets/pdfjs/standard_fonts/',
    cMapUrl: '/assets/pdfjs/cmaps/',
    wasmUrl: '/assets/pdfjs/wasm/',
    iccUrl: '/assets/pdfjs/iccs/',
  }).promise;
  const total = pdf.numPages;
  const shown = Math.min(total, Number(box.dataset.maxPages) || 30);
  const ratio = Math.min(window.devicePixelRatio || 1, 2);
  for (let n = 1; n <= shown; n++) {
    const page = await pdf.getPage(n);
    const width = Math.max(200, box.clientWidth - 16);
    const viewport = page.getViewport({ scale: (width / page.getViewport({ scale: 1 }).width) * ratio });
    const canvas = document.createElement('canvas');
    canvas.width = Math.floor(viewport.width);
    canvas.height = Math.floor(viewport.height);
    canvas.setAttribute('role', 'img');
    canvas.setAttribute('aria-label', box.dataset.pageLabel.replace('{n}', n).replace('{total}', total));
    canvas.dataset.page = String(n);
    box.appendChild(canvas);
    await page.render({ canvas, viewport }).promise;
  }
  box.dataset.preview = 'rendered';
  box.dataset.pages = String(total);
  if (status) {
    if (shown < total) status.textContent = box.dataset.pagesCut.replace('{shown}', shown).replace('{total}', total);
    else status.remove();
  }
}
`;
