// Suggestions while typing: an <input list="…" data-suggest="URL"> asks URL?q=<text> for
// {"suggestions": [...]} and offers them in its <datalist>. Without script the field still works
// as a plain text filter.
"use strict";

const DELAY_MS = 200;
const MIN_LENGTH = 2;

function attach(input) {
  const list = document.getElementById(input.getAttribute("list"));
  let timer = null;
  let pending = null;

  async function suggest() {
    const text = input.value.trim();
    if (text.length < MIN_LENGTH) {
      list.replaceChildren();
      return;
    }
    pending?.abort();
    pending = new AbortController();
    const url = new URL(input.dataset.suggest, window.location.href);
    url.searchParams.set("q", text);
    try {
      const response = await fetch(url, { headers: { Accept: "application/json" }, signal: pending.signal });
      if (!response.ok) return;
      const { suggestions } = await response.json();
      list.replaceChildren(...suggestions.map((value) => Object.assign(document.createElement("option"), { value })));
    } catch (error) {
      if (error.name !== "AbortError") console.warn("suggestions unavailable", error);
    }
  }

  input.addEventListener("input", () => {
    clearTimeout(timer);
    timer = setTimeout(suggest, DELAY_MS);
  });
}

document.querySelectorAll("input[data-suggest][list]").forEach(attach);
