/* The width ladder in the browser: decode it and draw one slider step on a Leaflet map.
   Shared by the published page (publish.js) and the app's live slider (live_map.js); the ladder's
   encoding is described in zones/web/ladder.py. No text from the data is put in the page as HTML. */
(function () {
  "use strict";

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
  function km2(value) { return (value > 0 && value < 0.5) ? "< 1 km²" : Math.round(value).toLocaleString("en-US") + " km²"; }
  function share(value) { return (value > 0 && value < 0.0005) ? "< 0.1 %" : (100 * value).toFixed(1) + " %"; }
  /* An estimated head count, three significant figures written out ("about 2,850,000"; "0"): the form of
     zones.wording.format_people, so that no "about 2.8 M" stands beside "about 85,393". */
  function people(value) {
    if (!(value >= 0.5)) { return "0"; }
    var unit = Math.pow(10, Math.max(0, Math.floor(Math.log10(value)) - 2));
    return "about " + (Math.floor(value / unit + 0.5) * unit).toLocaleString("en-US");
  }

  /* Headline numbers of one step: the parties' land and people, and the cities in the zone. */
  function numbers(ladder, index) {
    var step = ladder.steps[index], widthKm = ladder.widths_km[index], out = {widthKm: widthKm, sides: {}};
    var sum = 0, peopleSum = 0, parties = 0, partyPeople = 0;
    ["nato", "russia", "third"].forEach(function (side) {
      var t = step.totals[side];
      out.sides[side] = {countries: t[0], km2: t[1], share: t[3], people: t[4]};
      sum += t[1]; peopleSum += t[4];
      if (side !== "third") { parties += t[1]; partyPeople += t[4]; }
    });
    out.km2 = sum; out.people = peopleSum; out.partiesKm2 = parties; out.partiesPeople = partyPeople;
    out.cities = ladder.cities.filter(function (c) { return c[4] <= widthKm; }).length;
    return out;
  }

  /* Draw a ladder on a map: the zone per side, the affected countries shaded by share (base-map
     polygons clipped in SVG to the zone), and the border line. Returns {show(index), bounds(), remove()}.
     options: colors (per side), lineColor, basemap (FeatureCollection), basemapCodes (adm0_a3 per
     feature), lines (false: leave the border line out), pane (optional), className (prefix of the paths' classes, "zone" by default). */
  function view(map, ladder, options) {
    var grid = ladder.grid_deg, prefix = options.className || "zone";
    var renderer = L.svg({padding: 0.5, pane: options.pane || "overlayPane"});
    var group = L.layerGroup().addTo(map);
    var byCode = {};
    options.basemap.features.forEach(function (feature, i) {
      var code = options.basemapCodes[i];
      (byCode[code] = byCode[code] || []).push(feature);
    });
    var shading = ladder.countries.map(function (row) {
      return L.geoJSON({type: "FeatureCollection", features: byCode[row[0]] || []}, {
        renderer: renderer, interactive: false,
        style: {fillColor: options.colors[row[2]], fillOpacity: 0, stroke: false, className: prefix + "-country"}
      }).addTo(group);
    });
    var zones = {};
    ladder.sides.forEach(function (side) {
      zones[side] = L.polygon([], {
        renderer: renderer, fillColor: options.colors[side], fillOpacity: side === "all" ? 0.16 : 0.12,
        color: side === "all" ? "#333333" : options.colors[side], weight: 1.5, dashArray: "6 4",
        className: prefix + "-strip", interactive: false
      }).addTo(group);
    });
    var lines = (options.lines === false ? [] : ladder.line).map(function (pair) {
      var rings = pair[2].map(function (r) { return ring(r, grid); });
      L.polyline(rings, {renderer: renderer, color: "#ffffff", weight: 7, opacity: 0.9, interactive: false}).addTo(group);
      var line = L.polyline(rings, {renderer: renderer, color: options.lineColor, weight: 3.5, className: prefix + "-line"});
      line.bindTooltip(function () {
        var span = document.createElement("span");
        span.textContent = pair[0] + ": " + pair[1];
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
      var step = ladder.steps[index], drawn = {}, shares = {};
      step.zone.forEach(function (piece) { drawn[piece[0]] = polygons(piece[1], grid); });
      Object.keys(zones).forEach(function (side) { zones[side].setLatLngs(drawn[side] || []); });
      step.affected.forEach(function (row) { shares[row[0]] = row[2]; });
      shading.forEach(function (layer, i) {
        var value = shares[i], opacity = value === undefined ? 0 : Math.round((0.18 + 0.5 * value) * 100) / 100;
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

  window.ZonesLadder = {
    ring: ring, polygons: polygons, view: view, numbers: numbers, km2: km2, share: share, people: people,
    afterPaint: afterPaint
  };
})();
