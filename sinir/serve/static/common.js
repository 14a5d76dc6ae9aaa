// sinir serve: what the three pages share: the language switch and calling the JSON API.
"use strict";

const Sinir = {
  // The page's language: the one chosen before (kept in the browser), else the server's guess from
  // the browser's Accept-Language (Turkish when it asks for Turkish first), else English.
  language() {
    const chosen = localStorage.getItem("sinir-language");
    if (chosen === "tr" || chosen === "en") return chosen;
    return document.documentElement.lang === "tr" ? "tr" : "en";
  },

  // strings: {en: {key: text}, tr: {key: text}}. Every element with data-i18n="key" gets the text;
  // onChange(language) runs after each switch so the page can redraw what it wrote itself.
  setupLanguage(strings, onChange) {
    const apply = (lang) => {
      document.documentElement.lang = lang;
      document.querySelectorAll("[data-i18n]").forEach((element) => {
        const text = strings[lang][element.dataset.i18n];
        if (text !== undefined) element.textContent = text;
      });
      document.querySelectorAll(".languages button").forEach((button) => {
        button.classList.toggle("current", button.dataset.lang === lang);
      });
      Sinir.strings = strings[lang];
      if (onChange) onChange(lang);
    };
    document.querySelectorAll(".languages button").forEach((button) => {
      button.addEventListener("click", () => {
        localStorage.setItem("sinir-language", button.dataset.lang);
        apply(button.dataset.lang);
      });
    });
    apply(Sinir.language());
  },

  t(key) {
    return (Sinir.strings && Sinir.strings[key]) || key;
  },

  // POST (or GET without a body) to the JSON API; throws an Error with the server's one-line message.
  async api(path, body) {
    const options = body === undefined ? {} : {
      method: "POST",
      headers: {"Content-Type": "application/json"},
      body: JSON.stringify(body),
    };
    const response = await fetch(path, options);
    const answer = await response.json().catch(() => ({error: response.statusText}));
    if (!response.ok) throw new Error(answer.error || response.statusText);
    return answer;
  },

  // A number for display: fixed decimals, a real minus sign kept plain for reading back.
  format(value, decimals = 4) {
    return Number(value).toFixed(decimals);
  },
};
