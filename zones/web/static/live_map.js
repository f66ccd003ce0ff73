/* The app's map, in the st_folium iframe: the live zone, the first view and the fit control.
   Needs ladder.js. The slider (width_slider.js) hands {type: "width", url, width_km} to
   window.ZonesLive.width at every step (the iframe is the page's origin), or, when it cannot reach this
   frame, posts it on the BroadcastChannel "zones-width"; this draws that step of the ladder at `url` over
   the server's layers (which are hidden meanwhile). The direct call draws the step in the same frame as
   the slider's own change; the channel's hop through the browser process cost a frame of its own. When the server's layers for the released width
   arrive, their script calls ZonesLive.serverDrawn and the live drawing steps aside. serverDrawn also
   names the ladder file (when the app has one): the map takes it from the slider (which has usually read
   it already) or fetches it, and builds its hidden view while the browser is idle, so the first step of a
   drag is drawn as fast as the others (data-live-ready on the map's container names the ladder once it is
   ready). When the slider reads a file later (one written after the first paint), it tells the map.
   Once prepared, the live view also draws the server's width at rest (class zones-rest, see rest()); it has a
   pane of its own, hidden when neither live nor at rest (base_map.css).
   A ladder file is fetched once: the server holds the request until the file is written
   (zones/web/runtime_files.py); a failed read is tried again only on a signal (the next serverDrawn, step or
   slider's read). A ladder of a schema ladder.js does not read is refused (the map follows on release).
   data-live-draws on the map's container counts the live redraws; the map object is on window (zonesMap)
   only when a test asks (ZonesLadder.expose). */
(function () {
  "use strict";
  var CHANNEL = "zones-width";
  var PANE = "zonesLive";  // made by the base map (zones.web.map_style.ZONE_PANES): over the server's zone, under the line

  function attach(map, options) {
    var container = map.getContainer();
    var ladders = {};  // url -> promise of the ladder file
    var basemap = null;
    var current = null;  // {url, view, ladder}
    var serverBounds = null;
    var serverLadder = null;  // the ladder file of the scenario the server has drawn (null: none)
    var serverWidthKm = null;  // the width the server has drawn
    var draws = 0;
    window.ZonesLadder.expose("zonesMap", map);  // for tests and benchmarks, when they ask

    /* The slider's read of the ladder file, if it has begun one (a promise in window.zonesLadders in the page,
       see width_slider.js). */
    function fromSlider(url) {
      try { return (window.parent.zonesLadders || {})[url] || null; } catch (error) { return null; }
    }
    function load(url) {
      var read = ladders[url] ? null : fromSlider(url);
      if (read) { ladders[url] = Promise.resolve(read); }  // no second download and parse of the same file
      if (read) { ladders[url].catch(function () { delete ladders[url]; }); }  // a failed read: the next signal asks again
      if (!ladders[url]) {
        ladders[url] = fetch(url).then(function (r) {  // held by the server until the file is written
          if (!r.ok) { throw new Error("ladder " + r.status); }
          return r.json();
        }).then(function (doc) { window.ZonesLadder.accept(doc.ladder); return doc; });
        ladders[url].catch(function () { delete ladders[url]; });
      }
      if (!basemap) {
        var shared = window.zonesBasemap;  // the base map's own read of the same file (countries.js.jinja)
        basemap = shared && shared.url === options.basemapUrl ? shared.read
          : fetch(options.basemapUrl).then(function (r) { return r.json(); });
        basemap.catch(function () {  // a failed read: the next signal asks again, with a read of its own
          basemap = null;
          if (window.zonesBasemap === shared) { window.zonesBasemap = null; }
        });
      }
      return Promise.all([ladders[url], basemap]);
    }
    /* The ladder at `url` with its view on the map (built once, hidden until a step is shown). */
    function prepare(url) {
      return load(url).then(function (loaded) {
        var doc = loaded[0], land = loaded[1];
        if (!current || current.url !== url) {
          if (current) { current.view.remove(); }
          current = {url: url, ladder: doc.ladder, view: window.ZonesLadder.view(map, doc.ladder, {
            colors: doc.page.colors, styles: doc.page.styles, basemap: land,
            basemapCodes: doc.page.basemap_codes, className: "live", lines: false, pane: PANE
          })};
          container.setAttribute("data-live-ready", url);
          rest();
        }
        return current;
      });
    }
    /* A URL relative to the app's page (as the slider resolves it), not to this iframe. */
    function pageUrl(relative) {
      var base = document.baseURI;
      try { base = window.parent.document.baseURI; } catch (error) { /* another origin: this frame's own */ }
      return new URL(relative, base).href;
    }
    /* At rest the live view draws the server's width, and the server's zone and country fills are
       transparent (their tooltips stay): the first step of a drag then only redraws the live view, as every
       later step does, instead of swapping the server's layers for it (which cost that step about twice a
       later one's renderer CPU). Only when the ladder is the one of the scenario the server has drawn. */
    function rest() {
      if (!current || current.url !== serverLadder || container.classList.contains("zones-live")) { return; }
      var index = current.ladder.widths_km.indexOf(serverWidthKm);
      if (index < 0) { container.classList.remove("zones-rest"); return; }
      current.view.show(index);
      container.classList.add("zones-rest");
    }
    var idle = window.requestIdleCallback || function (callback) { return setTimeout(callback, 200); };
    /* Prepare the ladder when the browser is idle: after the server's layers are painted, never before. */
    function preload(url) {
      idle(function () {
        if (!current || current.url !== url) { prepare(url).catch(function () { /* not read: the next signal tries again */ }); }
      }, {timeout: 3000});
    }

    var pending = null;  // the step waiting for its ladder file
    var latest = null;  // the last step the slider sent, until the server has drawn that width
    function live(url, widthKm) {
      pending = {url: url, widthKm: widthKm};
      latest = pending;
      prepare(url).then(function () {
        if (!pending || pending.url !== url || !current || current.url !== url) { return; }
        var index = current.ladder.widths_km.indexOf(pending.widthKm);
        if (index < 0) { return; }
        current.view.show(index);
        container.classList.add("zones-live");
        container.setAttribute("data-live-width-km", String(pending.widthKm));
        draws += 1;
        container.setAttribute("data-live-draws", String(draws));
        window.ZonesLadder.afterPaint(function () {  // once the step is painted (benchmarks read it, when they ask)
          window.ZonesLadder.expose("zonesLiveDrawnAt", performance.timeOrigin + performance.now());
        });
      }).catch(function () { /* no ladder: the map follows on release */ });
    }
    function width(m) {
      if (m && m.type === "width" && typeof m.url === "string" && typeof m.width_km === "number") { live(m.url, m.width_km); }
    }
    if (window.BroadcastChannel) {
      new BroadcastChannel(CHANNEL).onmessage = function (event) { width(event.data); };
    }

    /* Fit the map to the server's zone. An iframe not laid out yet (or a size changing under it) cannot be fitted:
       the fit then waits for the container's next size change (the ResizeObserver below), not for a timer. */
    var fitWaiting = null;  // the fit asked for while the container had no usable size ({animate}), or null
    function fit(animate) {
      if (!serverBounds || !serverBounds.isValid()) { return; }
      if (container.clientWidth < 100 || container.clientHeight < 100) {  // the iframe is not laid out yet
        fitWaiting = {animate: animate};
        return;
      }
      map.invalidateSize({pan: false});
      var legend = container.querySelector(".zone-legend");
      var left = legend && legend.open && container.clientWidth > 700 ? legend.offsetWidth + 20 : 12;
      var zoom = map.getBoundsZoom(serverBounds, false, L.point(left + 12, 24));
      var size = map.getSize();
      if (!isFinite(zoom) || !size.x || !size.y) {  // a size that is changing under it: at its next change
        fitWaiting = {animate: animate};
        return;
      }
      fitWaiting = null;
      // The bounds' centre, moved right by half the legend's width so that the legend does not cover the zone.
      // The middle in projected pixels (not the middle latitude, which on Mercator lies lower).
      var middle = map.project(serverBounds.getNorthWest(), zoom).add(map.project(serverBounds.getSouthEast(), zoom)).divideBy(2);
      var centre = map.unproject(middle.subtract(L.point((left - 12) / 2, 0)), zoom);
      map.setView(centre, zoom, {animate: animate});
      container.setAttribute("data-fitted", String((Number(container.getAttribute("data-fitted")) || 0) + 1));
    }
    // Until the reader moves the map, the first view follows the map's size (the iframe is sized after it is drawn).
    var untouched = true;
    ["mousedown", "wheel", "touchstart", "keydown"].forEach(function (name) {
      container.addEventListener(name, function () { untouched = false; }, {passive: true});
    });
    map.on("resize", function () { if (untouched) { fit(false); } });
    if (window.ResizeObserver) {
      new ResizeObserver(function () {
        if (fitWaiting) { fit(fitWaiting.animate); }
      }).observe(container);
    }

    var control = L.control({position: "topleft"});
    control.onAdd = function () {
      var button = L.DomUtil.create("button", "zone-fit");
      button.type = "button";
      button.textContent = "Fit to zone";
      button.title = "Show the whole zone";
      L.DomEvent.disableClickPropagation(button);
      L.DomEvent.on(button, "click", function () { fit(true); });
      return button;
    };
    control.addTo(map);

    window.ZonesLive = {
      /* The server's layers are on the map: bounds [[south, west], [north, east]] of the zone and line,
         the scenario's key without the width (the first view of a scenario fits it), and the URL of its
         ladder file or null. */
      serverDrawn: function (info) {
        container.setAttribute("data-server-width-km", String(info.width_km));
        serverLadder = typeof info.ladder === "string" ? pageUrl(info.ladder) : null;
        serverWidthKm = info.width_km;
        if (serverLadder) { preload(serverLadder); }
        serverBounds = info.bounds ? L.latLngBounds(info.bounds) : null;
        var sameScenario = info.fit_key === container.getAttribute("data-fit-key");
        // A rerun for an older width (the slider has moved on since it began): keep drawing the newest
        // step; the rerun for that width hands the map back. Otherwise a step sent while the rerun
        // was running would be dropped, and the map would show the older width.
        if (sameScenario && latest && latest.widthKm !== info.width_km) { return; }
        pending = null;
        latest = null;
        if (current && current.url === serverLadder) {
          container.classList.remove("zones-live");
          rest();  // the live view shows the server's width: nothing to repaint
        } else {
          container.classList.remove("zones-live", "zones-rest");  // another scenario: its ladder rests once prepared
        }
        if (!sameScenario) {
          container.setAttribute("data-fit-key", info.fit_key);
          untouched = true;
          setTimeout(function () { fit(false); }, 0);  // after this script: the layers are drawn first
        }
      },
      /* One step of the slider: {type: "width", url, width_km} (as on the channel). */
      width: width,
      /* The slider has read the ladder file at `url` (as window.zonesLadders[url] in the page): prepare the
         view while idle. Without it, a file written after the first paint waited for the first step. */
      ladder: function (url) { preload(url); },
      fit: fit
    };
  }
  window.ZonesLiveMap = {attach: attach};
})();
