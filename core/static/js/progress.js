// Progress of background work: a <div data-progress-url="URL"> holds a <progress> and a status
// line ([data-progress-text]); URL answers {"done", "total", "text", "finished"}. Once the work is
// finished the page is loaded again to show the outcome. Without script the page refreshes itself.
"use strict";

const POLL_MS = 2000;

function follow(box) {
  const bar = box.querySelector("progress");
  const line = box.querySelector("[data-progress-text]");

  async function poll() {
    try {
      const response = await fetch(box.dataset.progressUrl, { headers: { Accept: "application/json" } });
      if (response.ok) {
        const status = await response.json();
        bar.max = Math.max(status.total, 1);
        bar.value = status.done;
        line.textContent = status.text;
        if (status.finished) {
          window.location.reload();
          return;
        }
      }
    } catch (error) {
      console.warn("progress unavailable", error);  // a passing network problem: try again
    }
    setTimeout(poll, POLL_MS);
  }

  setTimeout(poll, POLL_MS);
}

document.querySelectorAll("[data-progress-url]").forEach(follow);
