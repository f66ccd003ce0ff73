/* The app page's own script (app.py puts it in the page once, with st.html; our code, no user value in it).

   1. Enter in the date box applies the typed date. Streamlit's date box applies it only when the box loses
      focus with its calendar closed, so a reader who typed a date and pressed Enter saw nothing change. On
      Enter this closes the calendar (Escape) and then moves the focus out of the box, as a click elsewhere does.
   2. A Streamlit width slider (one per side, or the plain one when the live slider is off) reruns the page
      only when released. While it is held away from the width the server drew, the text stating that width
      (the containers matched by FOLLOWS, app.FOLLOWS_CSS) carries data-zones-ahead and the app's CSS greys
      it, as the live slider does (width_slider.js). It goes back to full colour when the rerun the release
      asked for has finished, or at once when the slider is released where it started.
   3. The sidebar's note on the presets' live maps (.zones-presets, data-urls: their ladder files) counts on as
      the files are written in the background, rather than keep the count of the run that drew it: one HEAD
      request at a time for a missing file, which the server holds until the file is written
      (zones/web/runtime_files.py; the files are written one after another too). A request that fails is made
      again only when a run draws the note anew. */
(() => {
  if (window.__zonesPageKeys) { return; }
  window.__zonesPageKeys = true;
  const FOLLOWS = __FOLLOWS__;
  const SLIDER = '.st-key-widths [data-testid="stSlider"]';

  document.addEventListener("keydown", (event) => {
    const box = event.target instanceof Element && event.target.closest('[data-testid="stDateInputField"]');
    if (event.key !== "Enter" || !box) { return; }
    event.preventDefault();
    event.target.dispatchEvent(new KeyboardEvent("keydown", {key: "Escape", code: "Escape", bubbles: true}));
    setTimeout(() => event.target.blur(), 0);
  }, true);

  const mark = (on) => {
    for (const box of document.querySelectorAll(FOLLOWS)) {
      if (box.hasAttribute("data-zones-ahead") !== on) { box.toggleAttribute("data-zones-ahead", on); }
    }
  };
  // Each slider's value: its (visually hidden) range input, which follows the thumb while it is dragged.
  const values = () => [...document.querySelectorAll(SLIDER + ' input[type="range"]')]
    .map((input) => input.value).join(",");
  let held = null;  // the sliders' values when the reader took one (null: none taken)
  let released = false;  // released away from where it started: waiting for the rerun to finish
  let ran = false;  // that rerun has begun
  const take = (event) => {
    if (!(event.target instanceof Element) || !event.target.closest(SLIDER)) { return; }
    if (held === null) { held = values(); }
    released = false;
  };
  document.addEventListener("pointerdown", take, true);
  document.addEventListener("keydown", take, true);
  const release = () => {
    if (held === null) { return; }
    if (values() === held) { mark(false); held = null; return; }
    released = true;
    ran = false;
  };
  document.addEventListener("pointerup", release, true);
  document.addEventListener("keyup", release, true);
  // A moving thumb changes its position (style) and the value written over it: check the values then.
  new MutationObserver(() => { if (held !== null && values() !== held) { mark(true); } })
    .observe(document.body, {subtree: true, childList: true, characterData: true, attributes: true,
      attributeFilter: ["style"]});
  const app = document.querySelector('[data-testid="stApp"]');
  if (app) {
    new MutationObserver(() => {
      if (!released) { return; }
      const state = app.getAttribute("data-test-script-state");
      if (state === "running") { ran = true; }
      if (state === "notRunning" && ran) { mark(false); held = null; released = false; }
    }).observe(app, {attributes: true, attributeFilter: ["data-test-script-state"]});
  }

  const done = new Set();  // ladder files found
  const failed = new Set();  // ladder files not answered (asked again when a run draws the note anew)
  let asking = null;  // the request now, {url, controller} (one at a time: a held request keeps a connection)
  let drawn = null;  // the note the counts are for
  const count = () => {
    const note = document.querySelector(".zones-presets[data-urls]");
    if (!note) { return; }
    if (note !== drawn) {  // a note drawn anew: its own list, from its first file
      drawn = note;
      failed.clear();
      if (asking) { asking.controller.abort(); asking = null; }
    }
    if (asking) { return; }
    const urls = JSON.parse(note.getAttribute("data-urls"));
    const ready = urls.filter((url) => done.has(url)).length;
    if (ready === urls.length) {
      note.removeAttribute("data-urls");
      note.textContent = "The live map is ready for every preset.";
      return;
    }
    const span = note.querySelector("span");
    if (span.textContent !== String(ready)) { span.textContent = String(ready); }  // a change only: it is observed
    const next = urls.find((url) => !done.has(url) && !failed.has(url));
    if (!next) { return; }
    const controller = new AbortController();
    asking = {url: next, controller};
    // "?ready": a probe, not a read (the files are read by the slider and the map, which cache them)
    fetch(new URL(next + "?ready", document.baseURI), {method: "HEAD", cache: "no-store", signal: controller.signal})
      .then((response) => { (response.ok ? done : failed).add(next); })
      .catch(() => { if (!controller.signal.aborted) { failed.add(next); } })
      .finally(() => {
        if (asking && asking.controller === controller) { asking = null; count(); }
      });
  };
  new MutationObserver(count).observe(document.body, {childList: true, subtree: true});  // a note drawn by a run
  count();
})();
