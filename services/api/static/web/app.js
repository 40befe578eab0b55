// partnermatch web interface: the little that needs a script. Every page works without it.
'use strict';

// After a form came back with problems, move the focus to the list of them.
const summary = document.querySelector('[data-error-summary]');
if (summary instanceof HTMLElement) summary.focus();

// A running batch: poll its progress, then load the page again to show the results.
const job = document.querySelector('[data-job-status]');
if (job instanceof HTMLElement) {
  const url = job.dataset.jobStatus;
  const bar = job.querySelector('progress');
  const statusText = job.querySelector('[data-job-status-text]');
  const progressText = job.querySelector('[data-job-progress-text]');
  const poll = async () => {
    try {
      const response = await fetch(url, { headers: { accept: 'application/json' }, credentials: 'same-origin' });
      if (response.ok) {
        const state = await response.json();
        if (bar) {
          bar.max = Math.max(state.total, 1);
          bar.value = state.done;
        }
        if (statusText) statusText.textContent = state.statusText;
        if (progressText) progressText.textContent = state.progressText;
        if (state.finished) {
          window.location.reload();
          return;
        }
      }
    } catch {
      // A network hiccup: try again on the next tick.
    }
    window.setTimeout(poll, 400);
  };
  window.setTimeout(poll, 200);
}
