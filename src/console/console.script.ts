/**
 * The console's only script, served from /console/assets/console.js (the CSP allows no inline script).
 * Progressive: every page works without it; it adds "copy link" buttons.
 */
export const CONSOLE_SCRIPT = `'use strict';
document.addEventListener('click', function (event) {
  var button = event.target.closest && event.target.closest('button[data-copy]');
  if (!button) return;
  var input = document.getElementById(button.getAttribute('data-copy'));
  if (!input) return;
  var done = function () { button.textContent = button.getAttribute('data-copied'); };
  if (navigator.clipboard && window.isSecureContext) navigator.clipboard.writeText(input.value).then(done, function () { input.select(); });
  else { input.select(); try { document.execCommand('copy'); done(); } catch (e) { /* the text stays selected for Ctrl+C */ } }
});
`;
