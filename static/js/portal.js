// Small behaviours shared by every page. No inline scripts: the CSP allows only files from here.
document.addEventListener("DOMContentLoaded", () => {
  // Filters and the language picker submit when changed.
  document.querySelectorAll("[data-submit-on-change]").forEach((select) => {
    select.addEventListener("change", () => select.form.submit());
  });

  // Ask before destructive actions.
  document.querySelectorAll("form[data-confirm]").forEach((form) => {
    form.addEventListener("submit", (event) => {
      if (!window.confirm(form.dataset.confirm)) event.preventDefault();
    });
  });

  // A button marked data-once is disabled after the first click, so a slow network does not
  // turn one click into two submissions. The server refuses doubles anyway.
  document.querySelectorAll("form").forEach((form) => {
    form.addEventListener("submit", (event) => {
      if (event.defaultPrevented) return;
      const button = form.querySelector("button[data-once]");
      if (!button) return;
      window.setTimeout(() => {
        button.disabled = true;
        button.dataset.label = button.textContent;
        button.textContent = button.dataset.wait || "Memproses…";
      }, 0);
    });
  });

  // Progress bars take their width from data-value (inline styles are blocked by the CSP).
  document.querySelectorAll("[data-progress]").forEach((bar) => {
    bar.style.width = `${Math.max(0, Math.min(100, Number(bar.dataset.progress)))}%`;
  });
});

// A header checkbox ticks every row checkbox of the same name.
document.addEventListener("DOMContentLoaded", () => {
  document.querySelectorAll("[data-check-all]").forEach((master) => {
    master.addEventListener("change", () => {
      document
        .querySelectorAll(`input[type=checkbox][name="${master.dataset.checkAll}"]`)
        .forEach((box) => { box.checked = master.checked; });
    });
  });
});
