/* The published zone: one page, no server. Reads the JSON in #zone-data (see zones/web/publish.py and
   zones/web/ladder.py) and redraws the zone, the shading, the numbers and the table at every slider step,
   with ladder.js (window.ZonesLadder). Every text comes finished in the data (zones/wording.py) and every
   style in page.styles (zones/web/map_style.py); every text is put in the page with textContent, never as HTML. */
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("zone-data").textContent);
  var page = data.page, ladder = data.ladder, grid = ladder.grid_deg, styles = page.styles;
  var Z = window.ZonesLadder;  // ladder.js
  function el(tag, text, className) {
    var node = document.createElement(tag);
    if (text !== undefined) { node.textContent = text; }
    if (className) { node.className = className; }
    return node;
  }

  var map = L.map("map", {zoomSnap: 0.25, minZoom: 1, maxZoom: 11, attributionControl: false});
  // Never zoomed out beyond one world's width: no place is shown twice (the zone's longitudes run on
  // past 180° across the Bering Strait, see zones/web/map_layers.py). Snapped up to the zoom steps.
  function oneWorld() {
    var width = map.getSize().x;
    if (width >= 100) { map.setMinZoom(Math.ceil(Math.log2(width / 256) * 4) / 4); }
  }
  map.on("resize", oneWorld);
  map.setView([page.center[0], page.center[1]], page.zoom);  // first: layers are added only to a map with a view
  Z.expose("zoneMap", map);  // only when a test asks (ladder.js)
  L.control.scale({imperial: false, maxWidth: page.scale_bar_max_px}).addTo(map);  // long enough for its labels
  var land = map.createPane("basemapLand");
  land.style.zIndex = 250;
  land.style.pointerEvents = "none";

  L.geoJSON(data.basemap, {pane: "basemapLand", interactive: false, style: styles.land}).addTo(map);

  var drawn;
  try {
    drawn = Z.view(map, ladder, {
      colors: page.colors, styles: styles, basemap: data.basemap, basemapCodes: page.basemap_codes
    });
  } catch (error) {  // a ladder of another schema: say so, and draw nothing of it
    document.getElementById("headline").textContent = error.message;
    document.getElementById("width").disabled = true;
    document.body.setAttribute("data-ready", "refused");
    return;
  }
  var cityLayer = L.layerGroup().addTo(map);

  // Legend (collapsible, closed on small screens) and the fit control.
  var legend = L.control({position: "bottomleft"});
  legend.onAdd = function () {
    var box = el("details", undefined, "zone-legend");
    box.open = window.innerWidth > 700;
    box.appendChild(el("summary", "Legend"));
    var words = page.legend;  // zones/colours.py: the app's and the report's wording
    var rows = [["line", "", words.line]];
    ["russia", "nato", "third"].forEach(function (side) { rows.push(["", page.colors[side], words[side]]); });
    rows.push(["", page.colors.all, words.all]);
    rows.push(["city", "", words.city + " (" + page.max_cities + " at most)"]);
    rows.forEach(function (row) {
      var swatch = el("i", undefined, row[0]);
      if (row[1]) { swatch.style.background = row[1]; }
      var line = el("div");
      line.appendChild(swatch);
      line.appendChild(document.createTextNode(row[2]));
      box.appendChild(line);
    });
    box.appendChild(el("small", words.shading));
    L.DomEvent.disableClickPropagation(box);
    return box;
  };
  legend.addTo(map);
  var fit = L.control({position: "topleft"});
  fit.onAdd = function () {
    var button = el("button", "Fit to zone", "zone-fit");
    button.type = "button";
    button.id = "fit-zone";
    L.DomEvent.disableClickPropagation(button);
    L.DomEvent.on(button, "click", function () { fitZone(true); });
    return button;
  };
  fit.addTo(map);
  function fitZone(animate) {
    var bounds = drawn.bounds();
    if (bounds.isValid()) { map.fitBounds(bounds, {padding: [12, 12], animate: animate}); }
  }

  // Credits, as text.
  var credits = document.getElementById("credits");
  page.credits.forEach(function (line, i) {
    if (i) { credits.appendChild(document.createTextNode(" · ")); }
    credits.appendChild(el("span", line));
  });

  var slider = document.getElementById("width");
  var headline = document.getElementById("headline");
  var sideNumbers = document.getElementById("side-numbers");
  var tbody = document.querySelector("#countries tbody");

  function show(index) {
    var step = ladder.steps[index], widthKm = ladder.widths_km[index];
    document.getElementById("width-label").textContent = step.width;
    drawn.show(index);
    // The totals in words, finished by zones/wording.py: plain text and figures in turn, the figures in bold.
    headline.textContent = "";
    step.summary.forEach(function (part, i) {
      if (part) { headline.appendChild(i % 2 ? el("b", part) : document.createTextNode(part)); }
    });
    var parties = headline.querySelector("b");  // the first figure: the parties' land
    parties.id = "total-km2";
    parties.setAttribute("data-km2", String(step.totals.nato.area_km2 + step.totals.russia.area_km2));
    sideNumbers.textContent = "";
    ["nato", "russia", "third"].forEach(function (side) {
      var t = step.totals[side];
      if (!t.words) { return; }  // no country on that side
      var span = el("span", undefined, "side");
      var swatch = el("i");
      swatch.style.background = page.colors[side];
      span.appendChild(swatch);
      span.appendChild(document.createTextNode(t.words + "  "));
      sideNumbers.appendChild(span);
    });
    tbody.textContent = "";
    step.affected.forEach(function (row) {
      var country = ladder.countries[row.country], tr = el("tr");
      tr.appendChild(el("td", country.name));
      tr.appendChild(el("td", page.side_names[country.side]));
      tr.appendChild(el("td", row.area, "n"));
      tr.appendChild(el("td", row.share_text + (page.share_of[country.code] ? " " + page.share_of[country.code] : ""), "n w"));
      tr.appendChild(el("td", row.people, "n w"));
      tbody.appendChild(tr);
    });
    var inside = ladder.cities.filter(function (c) { return c.from_km <= widthKm; });
    cityLayer.clearLayers();
    inside.slice(0, page.max_cities).forEach(function (c) {
      var style = {radius: c.radius_px}, key;
      for (key in styles.city) { style[key] = styles.city[key]; }
      L.circleMarker([c.y * grid, c.x * grid], style)
        .bindTooltip(function () { return el("span", c.label); })
        .addTo(cityLayer);
    });
    document.body.setAttribute("data-width-km", String(widthKm));
  }

  var initial = Math.max(0, ladder.widths_km.indexOf(page.initial_km));
  slider.min = ladder.widths_km[0];
  slider.max = ladder.widths_km[ladder.widths_km.length - 1];
  slider.step = ladder.widths_km[1] - ladder.widths_km[0];
  slider.value = page.initial_km;
  slider.addEventListener("input", function () {
    var index = ladder.widths_km.indexOf(Number(slider.value));
    if (index >= 0) { show(index); }
  });
  show(initial);
  map.invalidateSize();  // the page's layout is final now
  oneWorld();
  fitZone(false);  // no animation: the first view is drawn at once
  document.body.setAttribute("data-ready", "true");
})();
