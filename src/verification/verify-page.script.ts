/**
 * The script of the verification pages, served as /assets/verify.js (a file of its own, so the pages' CSP
 * allows no inline script). A dropped or chosen file is sent to POST /v1/verify and the answer is drawn
 * with DOM calls only (textContent, never innerHTML), so nothing in a report can inject markup.
 * Plain ES2017 for any current browser; its texts come from the page (`#verify-config`).
 */
export const VERIFY_PAGE_SCRIPT = `'use strict';
(function () {
  var config = JSON.parse(document.getElementById('verify-config').textContent);
  var T = config.text;
  var drop = document.getElementById('drop');
  var input = document.getElementById('file');
  var out = document.getElementById('result');

  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (key) {
      if (key === 'text') node.textContent = attrs[key];
      else node.setAttribute(key, attrs[key]);
    });
    (children || []).forEach(function (child) { if (child) node.appendChild(child); });
    return node;
  }

  function time(iso) {
    return iso ? iso.slice(0, 19).replace('T', ' ') + ' UTC' : '\\u2014';
  }

  function commonName(dn) {
    var match = /(?:^|,\\s*)CN=((?:\\\\.|[^,\\\\])+)/.exec(dn || '');
    return match ? match[1].replace(/\\\\(.)/g, '$1') : (dn || '\\u2014');
  }

  function verdictOf(v) {
    if (v.match === 'none') return 'unknown';
    if (v.match === 'cms') return v.report.indication === 'TOTAL_PASSED' ? 'valid' : v.report.indication === 'TOTAL_FAILED' ? 'invalid' : 'indeterminate';
    return v.intact ? 'intact' : 'altered';
  }

  function explanation(v, verdict) {
    if (verdict === 'unknown') return T.explain.unknown;
    if (verdict === 'altered') return T.explain.altered;
    if (v.match === 'original') return T.explain.original;
    if (v.match === 'archive-copy') return T.explain.copy;
    return T.explain.cms;
  }

  function fill(template, values) {
    return template.replace(/\\{(\\w+)\\}/g, function (_, key) { return values[key] || ''; });
  }

  // The same sentences as signerNotes() in verification-pages.view.ts.
  function notes(s) {
    var n = T.notes;
    var list = [];
    var at = time(s.validityTime.time);
    if (s.validityTime.source === 'timestamp' && s.timestamp) list.push(fill(n.timeProven, { tsa: s.timestamp.tsa ? commonName(s.timestamp.tsa) : 'TSA', time: at, serial: s.timestamp.serialNumber || '\u2014' }));
    else if (s.validityTime.source === 'signingTime') list.push(fill(n.timeClaimed, { time: at }));
    else list.push(fill(n.timeNow, { time: at }));
    if (s.timestamp && s.timestamp.status === 'failed') list.push(n.timestampBad);
    var source = s.revocation.source === 'crl' ? 'CRL' : 'OCSP';
    if (s.revocation.status === 'good') list.push(fill(n.revGood, { source: source }));
    else if (s.revocation.status === 'revoked') list.push(fill(n.revRevoked, { time: time(s.revocation.revokedAt), source: source }));
    else if (s.revocation.status === 'unknown') list.push(n.revUnknown);
    else list.push(n.revOff);
    (s.warnings || []).forEach(function (w) { list.push(fill(n.warning, { text: w })); });
    return list;
  }

  function signersTable(signers) {
    var head = el('tr', {}, T.columns.map(function (c) { return el('th', { text: c }); }));
    var rows = [];
    signers.forEach(function (s) {
      var result = s.indication === 'TOTAL_PASSED' ? '\\u2713' : s.indication + (s.subIndication ? ' (' + s.subIndication + ')' : '');
      rows.push(el('tr', { 'data-signer': '', 'data-iin': s.iin || '' }, [
        el('td', { text: String(s.order) }),
        el('td', { 'data-name': '', text: (s.name || '\\u2014') + (s.organization ? ', ' + s.organization : '') }),
        el('td', { style: 'white-space: nowrap;' }, [el('code', { text: s.iin || '\\u2014' })]),
        el('td', { 'data-signing-time': s.signingTime || '', style: 'white-space: nowrap;', text: time(s.signingTime) }),
        el('td', { title: s.certificate ? s.certificate.issuer : '', text: s.certificate ? commonName(s.certificate.issuer) : '\\u2014' }),
        el('td', { 'data-indication': s.indication, text: result }),
      ]));
      var lines = [];
      notes(s).forEach(function (line, i) {
        if (i > 0) lines.push(el('br'));
        lines.push(document.createTextNode(line));
      });
      rows.push(el('tr', { 'data-signer-notes': '', 'data-validity-source': s.validityTime.source, 'data-revocation': s.revocation.status }, [el('td'), el('td', { colspan: '5', class: 'muted' }, lines)]));
    });
    return el('table', {}, [el('thead', {}, [head]), el('tbody', {}, rows)]);
  }

  function clear() {
    while (out.firstChild) out.removeChild(out.firstChild);
  }

  function showError(message) {
    clear();
    out.setAttribute('data-verdict', 'error');
    out.appendChild(el('div', { class: 'card bad', role: 'alert' }, [el('strong', { text: T.failed }), el('div', { text: message })]));
  }

  function render(v) {
    var verdict = verdictOf(v);
    // On a session page, a genuine copy of another session is not the answer to "is this my session's copy".
    var elsewhere = Boolean(config.checkId) && !(v.session && v.session.checkId === config.checkId);
    var good = (verdict === 'intact' || verdict === 'valid') && !elsewhere;
    var bad = verdict === 'altered' || verdict === 'invalid';
    clear();
    out.setAttribute('data-verdict', verdict);
    var card = el('div', { class: 'card ' + (good ? 'ok' : bad ? 'bad' : 'wait'), 'data-match': v.match }, [
      el('h2', { style: 'font-size: 1.15rem; margin-top: 0;', 'data-verdict-title': '', text: T.verdict[verdict] }),
      el('p', { text: explanation(v, verdict) }),
    ]);
    if (config.checkId) {
      var same = Boolean(v.session && v.session.checkId === config.checkId);
      card.appendChild(el('p', { 'data-session-match': same ? 'same' : 'other' }, [el('strong', { text: same ? T.sameSession : T.otherSession })]));
    }
    if (v.envelope) {
      var status = (T.status[v.envelope.status] || {})[config.language] || v.envelope.status;
      card.appendChild(el('p', {}, [document.createTextNode(T.envelopeStatus + ': '), el('strong', { 'data-envelope-status': v.envelope.status, text: status })]));
    }
    if (v.signers && v.signers.length) {
      card.appendChild(el('p', {}, [el('strong', { text: T.signers })]));
      card.appendChild(signersTable(v.signers));
    }
    if (v.session && v.session.checkId !== config.checkId) {
      card.appendChild(el('p', { class: 'muted' }, [document.createTextNode(T.checkId + ': '), el('a', { href: '/verify/' + encodeURIComponent(v.session.checkId), 'data-session-link': '', text: v.session.checkId })]));
    }
    card.appendChild(el('p', { class: 'muted' }, [document.createTextNode(T.fileHash + ': '), el('code', { 'data-file-sha256': '', text: v.file.sha256 })]));
    out.appendChild(card);
  }

  function check(file) {
    if (file.size > config.maxBytes) return showError(T.tooLarge);
    clear();
    out.setAttribute('data-verdict', 'checking');
    out.appendChild(el('p', { class: 'muted', text: T.checking }));
    var form = new FormData();
    form.append('file', file, file.name || 'document');
    fetch('/v1/verify', { method: 'POST', body: form, credentials: 'omit' })
      .then(function (response) {
        return response.json().then(function (body) { return { ok: response.ok, body: body }; });
      })
      .then(function (answer) {
        if (answer.ok) render(answer.body);
        else showError(answer.body && answer.body.error ? answer.body.error.message : String(answer.body));
      })
      .catch(function (error) { showError(String(error)); });
  }

  ['dragenter', 'dragover'].forEach(function (type) {
    drop.addEventListener(type, function (event) {
      event.preventDefault();
      drop.style.background = '#eef3ff';
    });
  });
  drop.addEventListener('dragleave', function () { drop.style.background = ''; });
  drop.addEventListener('drop', function (event) {
    event.preventDefault();
    drop.style.background = '';
    var files = event.dataTransfer && event.dataTransfer.files;
    if (files && files.length) check(files[0]);
  });
  drop.addEventListener('keydown', function (event) {
    if (event.key === 'Enter' || event.key === ' ') input.click();
  });
  input.addEventListener('change', function () {
    if (input.files && input.files.length) check(input.files[0]);
    input.value = '';
  });
})();
`;
