// Progressive enhancement only: every page works without JavaScript.
import { initAll } from "../build/govuk-frontend.min.js";

initAll();

// WCAG 2.2.1: warn at least two minutes before the session ends, and let the resident extend it.
const body = document.body;
const seconds = Number(body.dataset.sessionSeconds || 0);
const warning = document.querySelector("[data-timeout-warning]");
const stay = document.querySelector("[data-timeout-stay]");
const WARN_BEFORE = 120;
let timer;

function schedule() {
  clearTimeout(timer);
  if (!seconds || !warning) return;
  timer = setTimeout(() => {
    warning.hidden = false;
    stay.focus();
  }, Math.max(seconds - WARN_BEFORE, 0) * 1000);
}

if (stay) {
  stay.addEventListener("click", async () => {
    await fetch(body.dataset.keepAliveUrl, {
      method: "POST",
      headers: { "X-CSRFToken": body.dataset.csrfToken },
      credentials: "same-origin",
    });
    warning.hidden = true;
    schedule();
  });
}
schedule();
