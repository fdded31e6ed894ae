// Progress bars take their width from data-progress (inline styles are blocked by the CSP),
// on load and whenever htmx swaps in new content (a job's progress panel).
function aturProgres(root) {
  root.querySelectorAll("[data-progress]").forEach((bar) => {
    bar.style.width = `${Math.max(0, Math.min(100, Number(bar.dataset.progress)))}%`;
  });
}
document.addEventListener("htmx:afterSettle", () => aturProgres(document));

// Every write is sent once. Each POST form carries a one-time key (kla_portal/kirim_sekali.py):
// pressing Save again after a lost answer, re-posting on reload or after "back" sends the same
// key, and the portal answers "sudah tersimpan" instead of saving a second copy. The key is
// added here rather than in 80 templates, so no form (nor one htmx swaps in) is forgotten.
// A form whose data changed since its key was sent gets a new key: that is a new write.
const KUNCI = "kunci_kirim";

function kunciBaru() {
  // crypto.randomUUID needs a secure context (https); the portal may run on plain http.
  const bytes = new Uint8Array(16);
  crypto.getRandomValues(bytes);
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

function pasangKunci(form) {
  if (form.method !== "post") return null;
  let field = form.querySelector(`input[name="${KUNCI}"]`);
  if (!field) {
    field = document.createElement("input");
    field.type = "hidden";
    field.name = KUNCI;
    field.value = kunciBaru();
    form.appendChild(field);
  }
  return field;
}

function pasangSemuaKunci(root) {
  if (root.matches && root.matches("form")) pasangKunci(root);
  if (root.querySelectorAll) root.querySelectorAll("form").forEach(pasangKunci);
}

// What the form sends (files by name, size and date), to tell a repeat from a changed write.
function isiForm(form, submitter) {
  let data;
  try { data = new FormData(form, submitter || undefined); } catch (e) { data = new FormData(form); }
  const parts = [form.getAttribute("action") || "", (submitter && submitter.formAction) || ""];
  for (const [name, value] of data) {
    if (name === KUNCI) continue;
    // An empty file input gives a nameless file dated "now": only a chosen file has a date.
    const file = value instanceof File && `${value.name}:${value.size}:${value.name ? value.lastModified : ""}`;
    parts.push(`${name}=${file || value}`);
  }
  return JSON.stringify(parts);
}

// Typing or choosing makes a new write (and covers forms sent by script on change). Back to a
// page kept by the browser (pageshow, persisted) keeps the key on purpose: sending that same
// form again unchanged is the repeat this guards against; a change gets a new key below.
["input", "change"].forEach((type) => {
  document.addEventListener(type, (event) => {
    const form = event.target.form;
    const field = form && form.method === "post" && event.target.name !== KUNCI && pasangKunci(form);
    if (field && form.dataset.kunciIsi !== undefined) {
      field.value = kunciBaru();
      delete form.dataset.kunciIsi;
    }
  }, true);
});
// Before any other handler (the upload script, htmx) reads the form: the data at sending time
// decides, whatever events the browser did or did not fire (restored form fields fire none).
document.addEventListener("submit", (event) => {
  const field = pasangKunci(event.target);
  if (!field) return;
  const isi = isiForm(event.target, event.submitter);
  if (event.target.dataset.kunciIsi !== undefined && event.target.dataset.kunciIsi !== isi) {
    field.value = kunciBaru();
  }
  event.target.dataset.kunciIsi = isi;
}, true);
document.addEventListener("htmx:load", (event) => pasangSemuaKunci(event.detail.elt));

// Small behaviours shared by every page. No inline scripts: the CSP allows only files from here.
// Each takes the element to set up: the whole page once it is loaded, or the content an upload
// put in place of the old (siapkan, at the end).

// Filters and the language picker submit when changed.
function pasangKirimSaatBerubah(root) {
  root.querySelectorAll("[data-submit-on-change]").forEach((select) => {
    // requestSubmit, not submit: the form's one-time key sees it was sent (above).
    select.addEventListener("change", () => select.form.requestSubmit());
  });
}

// Ask before destructive actions.
function pasangKonfirmasi(root) {
  root.querySelectorAll("form[data-confirm]").forEach((form) => {
    form.addEventListener("submit", (event) => {
      if (!window.confirm(form.dataset.confirm)) event.preventDefault();
    });
  });
}

// A button marked data-once is disabled after the first click, so a slow network does not
// turn one click into two submissions. The server refuses doubles anyway.
function pasangSekaliKlik(root) {
  root.querySelectorAll("form").forEach((form) => {
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
}

// A header checkbox ticks every row checkbox of the same name.
function pasangCentangSemua(root) {
  root.querySelectorAll("[data-check-all]").forEach((master) => {
    master.addEventListener("change", () => {
      document
        .querySelectorAll(`input[type=checkbox][name="${master.dataset.checkAll}"]`)
        .forEach((box) => { box.checked = master.checked; });
    });
  });
}

// Uploads on slow networks: a form marked data-unggah is sent in the background with a
// progress bar. If the connection drops, the person is told and everything typed stays.
function pasangUnggah(root) {
  root.querySelectorAll("form[data-unggah]").forEach((form) => {
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
      if (failed) {
        failed.classList.add("d-none");
        if (failed.dataset.asli) failed.textContent = failed.dataset.asli;
      }
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
        // The portal answers 200 (saved, or saved already by an earlier try: the page it
        // redirected to), 400 (refused: the form again, with what was typed and the reason) or
        // 409 (an earlier try of this same save is still being stored: said as it is). Anything
        // else came from elsewhere (an expired session, a proxy limit, a server error): keep the
        // form and say so.
        if (request.status === 409 && failed) {
          restore();
          failed.dataset.asli = failed.dataset.asli || failed.textContent;
          failed.textContent = request.responseText;
          failed.classList.remove("d-none");
          return;
        }
        if (request.status !== 200 && request.status !== 400) {
          restore();
          if (failed) failed.classList.remove("d-none");
          return;
        }
        if (request.status === 400 && showErrors(form, request.responseText)) {
          restore();
          return;
        }
        // The page the save led to (the XHR followed the redirect, so its messages are in
        // this answer and would be gone from a second request) replaces the form's page.
        gantiKonten(request.responseText, request.responseURL);
      });
      request.addEventListener("error", () => { restore(); if (failed) failed.classList.remove("d-none"); });
      request.addEventListener("timeout", () => { restore(); if (failed) failed.classList.remove("d-none"); });
      request.send(new FormData(form));
    });
  });
}

// Put the page the portal sent (its body and title) in place of this one, at its address, and
// set it up as on load: the menu, the notification count and the messages all come from the
// new page. Focus goes to the first message or error (a screen reader reads it) or else to
// the page's heading, so nobody is left on a button that is gone.
function gantiKonten(html, url) {
  const doc = new DOMParser().parseFromString(html, "text/html");
  if (!doc.body || !doc.querySelector("main")) {
    window.location.assign(url || window.location.href);
    return;
  }
  document.title = doc.title;
  if (url) window.history.replaceState(null, "", url);
  const badan = document.adoptNode(doc.body);
  document.body.replaceWith(badan);
  siapkan(badan);
  if (window.htmx) window.htmx.process(badan);
  const konten = badan.querySelector("main");
  const fokus = konten.querySelector(".alert:not(.d-none)") || konten.querySelector("h1") || konten;
  fokus.setAttribute("tabindex", "-1");
  fokus.focus({ preventScroll: true });
  window.scrollTo({ top: 0, behavior: "instant" });  // not smooth: the new page starts at its top
}

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
  const alerts = ".alert-danger:not([data-unggah-gagal]):not([data-unggah-besar])";
  fresh.querySelectorAll(alerts).forEach((alert) => {
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
  // The copied alerts are not announced as inserted ones would be: focus the first error.
  const galat = form.querySelector("[data-salinan-galat], .is-invalid");
  if (galat) {
    if (galat.matches("[data-salinan-galat]")) galat.setAttribute("tabindex", "-1");
    galat.focus({ preventScroll: true });
  }
  return true;
}

// The year picker of the score pages opens the same page for the chosen year.
function pasangPindahTahun(root) {
  root.querySelectorAll("[data-pindah-tahun]").forEach((select) => {
    select.addEventListener("change", () => {
      const lama = `/${select.dataset.pindahTahun}/`;
      window.location.assign(window.location.pathname.replace(lama, `/${select.value}/`));
    });
  });
}

// A graded question: a quick choice writes its points into the points box, which holds the
// answer; points typed in the box tick the choice worth them, or none (off the choices).
function pasangPoin(root) {
  const isian = root.querySelector("[data-poin-isian]");
  if (!isian) return;
  const pilihan = Array.from(root.querySelectorAll("input[type=radio][data-poin]"));
  pilihan.forEach((radio) => {
    radio.addEventListener("change", () => { if (radio.checked) isian.value = radio.dataset.poin; });
  });
  isian.addEventListener("input", () => {
    pilihan.forEach((radio) => { radio.checked = radio.dataset.poin === isian.value.trim(); });
  });
}

// An agency box (clusters.forms.PilihOpd) becomes a searchable select: typing asks the portal
// for matching agencies (agencies:opd-pilihan, at most 20, only those the person may see), so a
// page never carries the whole list. Without the script the box still takes abbreviations.
// A list to choose several from (kla_portal.forms.PilihBanyak, a <select multiple> whose
// data-pilih-cari names no address) becomes the same searchable select over its own options,
// all of them listed; without the script it stays the plain list.
function pasangPilihCari(root) {
  if (!window.TomSelect) return;
  root.querySelectorAll("[data-pilih-cari]").forEach((input) => {
    if (input.tomselect) return;
    const banyak = input.multiple || input.dataset.banyak !== undefined;
    const dariPortal = Boolean(input.dataset.pilihCari);
    const teks = (kelas, isi) => {
      const div = document.createElement("div");
      div.className = kelas;
      div.textContent = isi;
      return div;
    };
    const muat = (query, callback) => {
      const alamat = `${input.dataset.pilihCari}?q=${encodeURIComponent(query)}`;
      fetch(alamat, { headers: { Accept: "application/json" } })
        .then((response) => response.json())
        .then((data) => callback(data.hasil || []))
        .catch(() => callback());
    };
    new window.TomSelect(input, {
      // A <select> brings its own options and chosen items, filtered at once as one types (no
      // late refresh reopening a list one has just left).
      ...(dariPortal
        ? { options: JSON.parse(input.dataset.pilihan || "[]"), maxItems: banyak ? null : 1 }
        : { maxOptions: null, refreshThrottle: 0 }),
      delimiter: ",",
      create: false,
      persist: false,
      clearAfterSelect: true,  // the next agency is searched afresh
      preload: dariPortal && "focus",
      dropdownParent: "body",  // not clipped by a scrolling table
      loadThrottle: 250,
      // One agency: the search box opens in the list, so the box keeps its height while one
      // types (a box that shrinks on leaving it moves the button one is about to press).
      plugins: {
        remove_button: { title: input.dataset.hapus },
        ...(banyak ? {} : { dropdown_input: {} }),
      },
      shouldLoad: () => true,
      load: dariPortal ? muat : null,
      render: {
        no_results: () => teks("no-results", input.dataset.kosong),
        loading: () => teks("p-2 small text-body-secondary", input.dataset.memuat),
      },
    });
    // The original stays only to be sent with the form: a screen reader meets the new box once.
    input.setAttribute("aria-hidden", "true");
  });
}

// Everything a page needs once loaded; run again on content put in place of the old.
function siapkan(root) {
  pasangSemuaKunci(root);
  pasangKirimSaatBerubah(root);
  pasangKonfirmasi(root);
  pasangSekaliKlik(root);
  pasangCentangSemua(root);
  pasangUnggah(root);
  pasangPindahTahun(root);
  pasangPoin(root);
  pasangPilihCari(root);
  aturProgres(root);
}
document.addEventListener("DOMContentLoaded", () => siapkan(document));
