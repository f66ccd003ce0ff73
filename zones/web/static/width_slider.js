/* The app's width slider (a Streamlit component, st.components.v2): the zone follows the thumb.
   While the thumb is dragged or a key held, every step is handed to the map (live_map.js draws it from
   the width ladder) and the headline numbers below the slider follow, with no request to the server.
   The step reaches the map by a call into the map's iframe (the page's origin), so it is drawn in the
   frame that moves the thumb; if no frame can be reached, over the BroadcastChannel "zones-width".
   When the thumb is released, or the keys rest for a second after the step they moved to is drawn
   (a frame after the key, or later on a busy device), the width is sent to Streamlit once,
   which updates the tables, downloads and link: arrow keys tapped in a row (or one held down) are one
   rerun, not one per step. Until the server has drawn the slider's width, the containers whose text
   states the server's width (data.follows: the headline numbers, the claims, the map's notes, the chart)
   carry data-zones-ahead, and the app's CSS greys their text (on <body>, the attribute's first toggle
   restyled the whole page).
   It leaves its read of the ladder file in window.zonesLadders (a promise) and tells the map once read (ZonesLive.ladder),
   which prepares its view from it rather than read the file again, even for a file written after the
   first paint. The file is fetched once: the server holds the request until the file is written
   (zones/web/runtime_files.py); a failed read is tried again only when the app draws the slider again (its
   next run). A ladder of a schema ladder.js does not read is refused with a note, and the slider stays the
   plain one (the map follows on release). Needs ladder.js (window.ZonesLadder), which the app loads in the
   page with this script.
   While the file is awaited, the note under the slider says how far the server has got writing it: the
   page asks data.progress (the ladder's progress, zones/web/runtime_files.py) every PROGRESS_POLL_MS and
   shows its text ("… preparing, 40 of 101 widths …", zones/web/app_text.py), until the file is read.
   data: {width_km, width, ends, max_km, step_km, label, ladder, follows, progress, notes}: width and ends are
   in words (zones/wording.py), ladder is the ladder file's name (see zones/web/live.py) or null, progress the
   URL of its progress, notes the notes' words (app_text.LIVE_NOTES: preparing, released). */
const CHANNEL = "zones-width";
const COMMIT_DELAY_MS = 300;  // after the thumb is released
const KEY_COMMIT_DELAY_MS = 1000;  // after the last key press: arrows tapped in a row, each step looked at, are one commit
const PROGRESS_POLL_MS = 1000;  // how often the page asks how far the ladder has got, while it waits for the file

function el(tag, className, text) {
  const node = document.createElement(tag);
  if (className) { node.className = className; }
  if (text !== undefined) { node.textContent = text; }
  return node;
}

export default function (component) {
  const { data, parentElement, setStateValue } = component;
  let root = parentElement.querySelector(".zw");
  if (!root) {
    root = el("div", "zw");
    const label = el("label", "", data.label);
    const row = el("div", "row");
    const input = el("input");
    input.type = "range";
    input.id = "zones-width-input";
    label.htmlFor = input.id;
    const output = el("output");
    row.append(input, output);
    const ends = el("div", "ends");
    ends.append(el("span", "", data.ends[0]), el("span", "", data.ends[1]));  // zones/wording.py's words
    const live = el("div", "live");
    const note = el("div", "note");
    root.append(label, row, ends, live, note);
    parentElement.appendChild(root);
    const s = {input, output, live, note, committed: null, timer: null, url: null, ladder: null, data, byKey: false,
      loading: false, refused: null, progress: null, poll: null, channel: window.BroadcastChannel ? new BroadcastChannel(CHANNEL) : null};
    root.zw = s;
    input.addEventListener("keydown", () => { s.byKey = true; });
    input.addEventListener("pointerdown", () => { s.byKey = false; });
    input.addEventListener("input", () => {
      step(s);
      if (s.byKey && window.ZonesLadder) {  // the keys' rest counts from when the step is painted, however late
        window.ZonesLadder.afterPaint(() => { if (s.timer) { schedule(s, setStateValue); } });
      }
    });
    input.addEventListener("change", () => schedule(s, setStateValue));
    input.addEventListener("pointerup", () => schedule(s, setStateValue));
    input.addEventListener("keyup", () => schedule(s, setStateValue));
  }
  const s = root.zw;
  s.data = data;
  s.input.min = 0;
  s.input.max = data.max_km;
  s.input.step = data.step_km;
  s.input.setAttribute("aria-valuetext", data.width);
  if (s.committed === null || (!s.timer && Number(s.input.value) === s.committed)) {  // not in the middle of a move
    s.input.value = data.width_km;
    s.committed = data.width_km;
  }
  ahead(s, Number(s.input.value) !== data.width_km);  // false once the server has caught up
  show(s, Number(s.input.value));
  const url = data.ladder ? new URL(data.ladder, document.baseURI).href : null;
  if (url !== s.url) { s.url = url; s.ladder = null; s.refused = null; s.progress = null; load(s, url); }
  else if (!s.ladder && !s.loading && !s.refused) { load(s, url); }  // a read that failed: this run is the signal
}

function show(s, widthKm) {
  const index = s.ladder ? s.ladder.widths_km.indexOf(widthKm) : -1;
  const width = index >= 0 ? s.ladder.steps[index].width : widthKm.toLocaleString("en-US") + " km";  // zones/wording.py's, once read
  s.output.textContent = width;
  s.input.setAttribute("aria-valuetext", width);
  const Z = window.ZonesLadder;
  if (!s.ladder || !Z) {
    s.live.textContent = "";
    const notes = s.data.notes || {};  // app_text.LIVE_NOTES's words
    s.note.textContent = s.refused || (s.url ? s.progress || notes.preparing || "" : notes.released || "");
    s.note.toggleAttribute("data-progress", Boolean(s.url && s.progress && !s.refused));
    return;
  }
  s.note.textContent = "";
  s.note.removeAttribute("data-progress");
  if (index < 0) { return; }
  s.live.textContent = s.ladder.steps[index].live;  // finished by zones/wording.py: the app's and the page's words
  s.live.setAttribute("data-width-km", String(widthKm));
}

/* Mark (or unmark) the containers whose text states the server's width: data.follows, a CSS selector (app.FOLLOWS_CSS). */
function ahead(s, on) {
  for (const box of document.querySelectorAll(s.data.follows || ".st-key-headline")) {
    if (box.hasAttribute("data-zones-ahead") !== on) { box.toggleAttribute("data-zones-ahead", on); }
  }
}

function step(s) {
  const widthKm = Number(s.input.value);
  show(s, widthKm);
  ahead(s, widthKm !== s.data.width_km);
  if (s.ladder) { send(s, {type: "width", url: s.url, width_km: widthKm}); }
}

/* Call `name` on every map in the page's frames that has it (live_map.js's window.ZonesLive); return
   how many took the call. */
function toMaps(name, ...args) {
  let taken = 0;
  for (const frame of document.querySelectorAll("iframe")) {
    try {
      const map = frame.contentWindow && frame.contentWindow.ZonesLive;
      if (map && typeof map[name] === "function") { map[name](...args); taken += 1; }
    } catch (error) { /* another origin, or the map's own error: the channel, or the release, follows */ }
  }
  return taken;
}

/* Hand a step to every map that can take it; the channel if none can. */
function send(s, message) {
  if (!toMaps("width", message) && s.channel) { s.channel.postMessage(message); }
}

function schedule(s, setStateValue) {
  clearTimeout(s.timer);
  s.timer = setTimeout(() => {
    s.timer = null;
    const widthKm = Number(s.input.value);
    if (widthKm !== s.committed) {
      s.committed = widthKm;
      setStateValue("width_km", widthKm);
    }
  }, s.byKey ? KEY_COMMIT_DELAY_MS : COMMIT_DELAY_MS);
}

/* Read the ladder file once (the server answers when it is written); refuse a schema ladder.js does not read.
   The read is left in window.zonesLadders[url] as a promise from its start, so the map, which prepares its view
   while idle, takes it from there and does not download the file a second time. */
function load(s, url) {
  if (!url || url !== s.url) { return; }
  s.loading = true;
  const read = fetch(url).then((r) => {
    if (!r.ok) { throw new Error(String(r.status)); }
    return r.json();
  }).then((doc) => { window.ZonesLadder.accept(doc.ladder); return doc; });
  window.zonesLadders = {[url]: read};  // the map takes it from here rather than read the file again
  read.then((doc) => {
    if (url !== s.url) { return; }
    s.ladder = doc.ladder;
    toMaps("ladder", url);
    show(s, Number(s.input.value));
  }, (error) => {
    if (url !== s.url || !(error instanceof Error) || !error.message.startsWith("The live map is off")) { return; }
    s.refused = error.message;  // another schema: the plain slider, and the reason on the page
    show(s, Number(s.input.value));
  }).finally(() => { if (url === s.url) { s.loading = false; } });
  // A read that fails (the server gave up waiting, or the network) is tried again on the next run.
  poll(s, url);
}

/* While the ladder file at `url` is awaited, ask how far the server has got writing it, every PROGRESS_POLL_MS,
   and show its words under the slider (a failed or empty answer keeps the note as it was). */
function poll(s, url) {
  clearTimeout(s.poll);
  if (!s.data.progress || url !== s.url || !s.loading || s.ladder) { return; }
  const progressUrl = new URL(s.data.progress, document.baseURI).href;
  fetch(progressUrl, {cache: "no-store"}).then((r) => (r.ok ? r.json() : {})).then((report) => {
    if (url !== s.url || !s.loading || s.ladder || typeof report.text !== "string") { return; }
    s.progress = report.text;
    show(s, Number(s.input.value));
  }).catch(() => {}).finally(() => {
    if (url === s.url && s.loading && !s.ladder) { s.poll = setTimeout(() => poll(s, url), PROGRESS_POLL_MS); }
  });
}
