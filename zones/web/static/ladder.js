/* The width ladder in the browser: check it, decode it and draw one slider step on a Leaflet map.
   Shared by the published page (publish.js) and the app's live slider (width_slider.js, live_map.js); the
   ladder's fields are described in zones/web/ladder.py. It formats no number and holds no style: every text
   comes finished in the ladder (zones/wording.py), and every style in the page's options (options.styles,
   zones/web/map_style.py via zones/web/publish.py map_styles). No text from the data is put in the page as HTML. */
(function () {
  "use strict";
  var SCHEMA = 2;  // zones.web.ladder.SCHEMA_VERSION: the one ladder schema this file reads

  /* Return the ladder if this file reads its schema; throw an Error whose message says why not, in words
     for the reader (the page shows it and falls back to the plain slider). */
  function accept(ladder) {
    var schema = ladder && ladder.schema;
    if (schema !== SCHEMA) {
      throw new Error("The live map is off: its data has schema " + (schema === undefined ? "none" : String(schema)) +
        " and this page reads schema " + SCHEMA + ". Reload the page; the map follows the slider when it is released.");
    }
    return ladder;
  }

  function ring(flat, grid) {  // delta-encoded integers on the display grid -> [[lat, lon], ...]
    var out = [], x = 0, y = 0;
    for (var i = 0; i < flat.length; i += 2) {
      x += flat[i]; y += flat[i + 1];
      out.push([y * grid, x * grid]);
    }
    return out;
  }
  function polygons(encoded, grid) {
    return encoded.map(function (p) { return p.map(function (r) { return ring(r, grid); }); });
  }
  function merged(style, extra) {  // a copy of a style from the page's options, with this drawing's own options
    var out = {}, key;
    for (key in style) { out[key] = style[key]; }
    for (key in extra) { out[key] = extra[key]; }
    return out;
  }

  /* Draw a ladder on a map: the zone per side, the affected countries shaded by share (base-map
     polygons clipped in SVG to the zone), and the border line. Returns {show(index), bounds(), remove()}.
     options: colors (per side), styles (the page's options.styles: strip per side, line, casing), basemap
     (FeatureCollection), basemapCodes (adm0_a3 per feature), lines (false: leave the border line out), pane
     (optional), className (prefix of the paths' classes, "zone" by default). */
  function view(map, ladder, options) {
    accept(ladder);
    var grid = ladder.grid_deg, prefix = options.className || "zone", styles = options.styles;
    var renderer = L.svg({padding: 0.5, pane: options.pane || "overlayPane"});
    var group = L.layerGroup().addTo(map);
    var byCode = {};
    options.basemap.features.forEach(function (feature, i) {
      var code = options.basemapCodes[i];
      (byCode[code] = byCode[code] || []).push(feature);
    });
    var shading = ladder.countries.map(function (country) {
      return L.geoJSON({type: "FeatureCollection", features: byCode[country.code] || []}, {
        renderer: renderer, interactive: false,
        style: {fillColor: options.colors[country.side], fillOpacity: 0, stroke: false, className: prefix + "-country"}
      }).addTo(group);
    });
    var zones = {};
    ladder.sides.forEach(function (side) {
      zones[side] = L.polygon([], merged(styles.strip[side], {
        renderer: renderer, className: prefix + "-strip", interactive: false
      })).addTo(group);
    });
    var lines = (options.lines === false ? [] : ladder.line).map(function (pair) {
      var rings = pair.rings.map(function (r) { return ring(r, grid); });
      L.polyline(rings, merged(styles.casing, {renderer: renderer, interactive: false})).addTo(group);
      var line = L.polyline(rings, merged(styles.line, {renderer: renderer, className: prefix + "-line"}));
      line.bindTooltip(function () {
        var span = document.createElement("span");
        span.textContent = pair.pair + ": " + pair.length;
        return span;
      }, {sticky: true});
      return line.addTo(group);
    });

    // The clip path: the zone's own outlines, by reference.
    var svg = renderer._container;
    var defs = L.SVG.create("defs");
    var clip = L.SVG.create("clipPath");
    var clipId = prefix + "-clip-" + L.Util.stamp(renderer);
    clip.setAttribute("id", clipId);
    Object.keys(zones).forEach(function (side) {
      var path = zones[side].getElement();
      path.setAttribute("id", clipId + "-" + side);
      path.style.clipRule = "evenodd";
      var use = L.SVG.create("use");
      use.setAttribute("href", "#" + clipId + "-" + side);
      clip.appendChild(use);
    });
    defs.appendChild(clip);
    svg.insertBefore(defs, svg.firstChild);
    // The shading in one group clipped once, not each country clipped on its own: a step repaints one clip,
    // where a clip per path cost raster time per country.
    var shade = L.SVG.create("g");
    shade.setAttribute("clip-path", "url(#" + clipId + ")");
    shading.forEach(function (layer) {
      layer.eachLayer(function (l) {
        var path = l.getElement();
        if (!shade.parentNode) { path.parentNode.insertBefore(shade, path); }  // where the first country was
        shade.appendChild(path);
      });
    });

    var shaded = shading.map(function () { return 0; });  // each country's fill opacity now (0 when added)
    function show(index) {
      var step = ladder.steps[index], drawn = {}, opacities = {};
      step.zone.forEach(function (piece) { drawn[piece.side] = polygons(piece.polygons, grid); });
      Object.keys(zones).forEach(function (side) { zones[side].setLatLngs(drawn[side] || []); });
      step.affected.forEach(function (row) { opacities[row.country] = row.opacity; });
      shading.forEach(function (layer, i) {
        var opacity = opacities[i] === undefined ? 0 : opacities[i];
        if (shaded[i] !== opacity) {  // restyle only what changed: countries out of reach keep 0 from step to step
          shaded[i] = opacity;
          layer.setStyle({fillOpacity: opacity});
        }
      });
    }
    function bounds() {
      var b = L.latLngBounds([]);
      Object.keys(zones).forEach(function (side) {
        if (zones[side].getLatLngs().flat(3).length) { b.extend(zones[side].getBounds()); }
      });
      lines.forEach(function (line) { b.extend(line.getBounds()); });
      return b;
    }
    function remove() { group.remove(); renderer.remove(); }
    return {show: show, bounds: bounds, remove: remove, group: group};
  }

  /* Call `callback` once the next frame has been painted: a task queued from that frame's animation callback. */
  function afterPaint(callback) {
    requestAnimationFrame(function () { setTimeout(callback, 0); });
  }

  /* Whether a test or a benchmark has asked for the hooks (window.ZONES_TEST = true, set before the page's
     scripts, e.g. by Playwright's add_init_script): only then do the pages put objects such as the map on window. */
  function testing() {
    try { return window.ZONES_TEST === true || (window.parent !== window && window.parent.ZONES_TEST === true); }
    catch (error) { return false; }  // a parent of another origin
  }
  /* Put `value` on window as `name`, only when a test asked for it (see testing). */
  function expose(name, value) {
    if (testing()) { window[name] = value; }
  }

  window.ZonesLadder = {
    SCHEMA: SCHEMA, accept: accept, ring: ring, polygons: polygons, view: view, afterPaint: afterPaint, expose: expose
  };
})();
