// Progress bars take their width from data-progress (inline styles are blocked by the CSP),
// on load and whenever htmx swaps in new content (a job's progress panel).
function aturProgres(root) {
  root.querySelectorAll("[data-progress]").forEach((bar) => {
    bar.style.width = `${Math.max(0, Math.min(100, Number(bar.dataset.progress)))}%`;
  });
}
document.addEventListener("htmx:afterSettle", () => aturProgres(document));

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

  aturProgres(document);
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

// Uploads on slow networks: a form marked data-unggah is sent in the background with a
// progress bar. If the connection drops, the person is told and everything typed stays.
document.addEventListener("DOMContentLoaded", () => {
  document.querySelectorAll("form[data-unggah]").forEach((form) => {
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      // A file over the limit is refused here, before a slow line spends minutes sending it.
      const besar = form.querySelector("[data-unggah-besar]");
      if (besar) {
        besar.classList.add("d-none");
        const batas = Number(besar.dataset.batasMb) * 1024 * 1024;
        const terlalu = [...form.querySelectorAll("input[type=file]")]
          .flatMap((input) => [...input.files])
          .find((file) => batas && file.size > batas);
        if (terlalu) {
          const mb = (terlalu.size / 1024 / 1024).toLocaleString("id-ID", { maximumFractionDigits: 1 });
          besar.textContent = besar.dataset.pesan.replace("{nama}", terlalu.name).replace("{mb}", mb);
          besar.classList.remove("d-none");
          const button = form.querySelector("button[data-once]");
          if (button) window.setTimeout(() => {
            button.disabled = false;
            if (button.dataset.label) button.textContent = button.dataset.label;
          }, 0);
          return;
        }
      }
      const progress = form.querySelector("[data-unggah-progress]");
      const bar = progress && progress.querySelector(".progress-bar");
      const failed = form.querySelector("[data-unggah-gagal]");
      const button = form.querySelector("button[type=submit]");
      const request = new XMLHttpRequest();
      request.open("POST", form.action || window.location.href);
      request.timeout = 15 * 60 * 1000;  // large files on a slow line take a while
      request.setRequestHeader("X-Requested-With", "XMLHttpRequest");
      if (failed) failed.classList.add("d-none");
      if (progress) progress.classList.remove("d-none");
      request.upload.addEventListener("progress", (e) => {
        if (e.lengthComputable && bar) bar.style.width = `${Math.round((e.loaded / e.total) * 100)}%`;
      });
      const restore = () => {
        if (button) {
          button.disabled = false;
          if (button.dataset.label) button.textContent = button.dataset.label;
        }
        if (progress) progress.classList.add("d-none");
      };
      request.addEventListener("load", () => {
        // The portal answers 200 (saved: the page it redirected to) or 400 (refused: the form
        // again, with what was typed and the reason). Anything else came from elsewhere (an
        // expired session, a proxy limit, a server error): keep the form and say so.
        if (request.status !== 200 && request.status !== 400) {
          restore();
          if (failed) failed.classList.remove("d-none");
          return;
        }
        if (request.status === 400 && showErrors(form, request.responseText)) {
          restore();
          return;
        }
        const url = request.responseURL;
        document.open();
        document.write(request.responseText);
        document.close();
        if (url) window.history.replaceState(null, "", url);
      });
      request.addEventListener("error", () => { restore(); if (failed) failed.classList.remove("d-none"); });
      request.addEventListener("timeout", () => { restore(); if (failed) failed.classList.remove("d-none"); });
      request.send(new FormData(form));
    });
  });
});


// A refused save comes back as the page with its errors. Rather than replacing the page (which
// would empty the chosen files), copy the errors and the answer's newer version into the form
// the person is looking at, so files and typing stay as they are.
function showErrors(form, html) {
  // A page may hold several upload forms (one per facility): take the one that was sent.
  const doc = new DOMParser().parseFromString(html, "text/html");
  const action = form.getAttribute("action");
  const fresh = (action && doc.querySelector(`form[data-unggah][action="${CSS.escape(action)}"]`))
    || doc.querySelector("form[data-unggah]");
  if (!fresh) return false;
  form.querySelectorAll(".invalid-feedback, [data-salinan-galat]").forEach((node) => node.remove());
  form.querySelectorAll(".is-invalid").forEach((node) => node.classList.remove("is-invalid"));
  fresh.querySelectorAll(".alert-danger:not([data-unggah-gagal])").forEach((alert) => {
    const copy = document.importNode(alert, true);
    copy.setAttribute("data-salinan-galat", "");
    form.prepend(copy);
  });
  fresh.querySelectorAll(".invalid-feedback").forEach((feedback) => {
    const field = feedback.parentElement.querySelector("input, select, textarea");
    const mine = field && field.id ? form.querySelector(`#${CSS.escape(field.id)}`) : null;
    if (!mine) return;
    mine.classList.add("is-invalid");
    mine.closest(".mb-3, fieldset, .form-check").appendChild(document.importNode(feedback, true));
  });
  const versi = fresh.querySelector("input[name=versi]");
  const mineVersi = form.querySelector("input[name=versi]");
  if (versi && mineVersi) mineVersi.value = versi.value;
  form.scrollIntoView({ behavior: "smooth", block: "start" });
  return true;
}

// The year picker of the score pages opens the same page for the chosen year.
document.addEventListener("DOMContentLoaded", () => {
  document.querySelectorAll("[data-pindah-tahun]").forEach((select) => {
    select.addEventListener("change", () => {
      const lama = `/${select.dataset.pindahTahun}/`;
      window.location.assign(window.location.pathname.replace(lama, `/${select.value}/`));
    });
  });
});

// A graded question: a quick choice writes its points into the points box, which holds the
// answer; points typed in the box tick the choice worth them, or none (off the choices).
document.addEventListener("DOMContentLoaded", () => {
  const isian = document.querySelector("[data-poin-isian]");
  if (!isian) return;
  const pilihan = Array.from(document.querySelectorAll("input[type=radio][data-poin]"));
  pilihan.forEach((radio) => {
    radio.addEventListener("change", () => { if (radio.checked) isian.value = radio.dataset.poin; });
  });
  isian.addEventListener("input", () => {
    pilihan.forEach((radio) => { radio.checked = radio.dataset.poin === isian.value.trim(); });
  });
});
