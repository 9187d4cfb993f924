/* iadsim report viewer: a map with a time slider over one run's data (no network).
 * Reads the JSON in <script id="run-data">; draws with the vendored Leaflet.
 * Identity symbols follow APP-6 / MIL-STD-2525 conventions for air tracks: frame shape
 * and fill by standard identity (friend dome, hostile half-diamond, neutral half-square,
 * unknown half-quatrefoil; pending, assumed friend and suspect with dashed frames). */
(function () {
  "use strict";
  const DATA = JSON.parse(document.getElementById("run-data").textContent);
  const layout = DATA.layout || { posts: [], defended_assets: [], no_fire_zones: [], safe_corridors: [] };
  const [lonMin, lonMax, latMin, latMax] = DATA.map.extent_deg;
  const cosLat = Math.cos(((latMin + latMax) / 2) * Math.PI / 180);

  // Equirectangular plane with its standard parallel at the centre (as the base image).
  const crs = L.extend({}, L.CRS.Simple, { transformation: new L.Transformation(cosLat, 0, -1, 0) });
  const map = L.map("map", { crs: crs, zoomSnap: 0.25, preferCanvas: false, attributionControl: false });
  const bounds = [[latMin, lonMin], [latMax, lonMax]];
  L.imageOverlay(DATA.map.image, bounds).addTo(map);
  // Open on where the posts see (their footprints), not on the farthest route start.
  const seen = [];
  for (const post of layout.posts) {
    seen.push([post.lat_deg, post.lon_deg]);
    for (const radar of post.radars) for (const ring of Object.values(radar.footprints)) seen.push(...ring);
  }
  map.fitBounds(seen.length > 1 ? L.latLngBounds(seen).pad(0.05) : bounds);

  const IDENTITY = {
    P: { name: "pending", fill: "#FFFF80", frame: "unknown", dashed: true },
    U: { name: "unknown", fill: "#FFFF80", frame: "unknown", dashed: false },
    A: { name: "assumed friend", fill: "#80E0FF", frame: "friend", dashed: true },
    F: { name: "friend", fill: "#80E0FF", frame: "friend", dashed: false },
    N: { name: "neutral", fill: "#AAFFAA", frame: "neutral", dashed: false },
    S: { name: "suspect", fill: "#FF8080", frame: "hostile", dashed: true },
    H: { name: "hostile", fill: "#FF8080", frame: "hostile", dashed: false },
  };
  const FRAMES = {
    friend: "M3,19 L3,13 A9,9 0 0 1 21,13 L21,19 Z",
    hostile: "M3,19 L3,12 L12,3 L21,12 L21,19 Z",
    neutral: "M3,19 L3,4 L21,4 L21,19 Z",
    unknown: "M3,19 L3,12 A4.5,4.5 0 0 1 7.5,7.5 A4.5,4.5 0 0 1 16.5,7.5 A4.5,4.5 0 0 1 21,12 L21,19 Z",
  };
  const SIDE_COLOURS = DATA.side_colours;
  const PALETTE = ["#9467bd", "#8c564b", "#e377c2", "#bcbd22", "#2ca02c"];
  function sideColour(side) {
    if (!(side in SIDE_COLOURS)) {
      SIDE_COLOURS[side] = PALETTE[Object.keys(SIDE_COLOURS).length % PALETTE.length];
    }
    return SIDE_COLOURS[side];
  }
  function identitySvg(code) {
    const id = IDENTITY[code] || IDENTITY.U;
    const dash = id.dashed ? ' stroke-dasharray="3,2"' : "";
    return '<svg width="24" height="22" viewBox="0 0 24 22"><path d="' + FRAMES[id.frame] +
      '" fill="' + id.fill + '" stroke="#000" stroke-width="1.5"' + dash + "/></svg>";
  }
  function icon(html, size, className) {
    return L.divIcon({ html: html, className: "map-icon " + (className || ""), iconSize: size, iconAnchor: [size[0] / 2, size[1] / 2] });
  }
  const OUTCOME_SYMBOLS = {
    kill: '<svg width="16" height="16"><path d="M3,3 L13,13 M13,3 L3,13" stroke="#000" stroke-width="3"/></svg>',
    loss: '<svg width="18" height="18"><path d="M9,1 L17,16 L1,16 Z" fill="#ff9800" stroke="#000" stroke-width="1.5"/><path d="M9,6 L9,11 M9,13 L9,14" stroke="#000" stroke-width="2"/></svg>',
    leak: '<svg width="18" height="18"><path d="M9,1 L11.3,6.6 L17,7 L12.6,10.8 L14,16.5 L9,13.4 L4,16.5 L5.4,10.8 L1,7 L6.7,6.6 Z" fill="#d62728" stroke="#000" stroke-width="1"/></svg>',
    route_end: '<svg width="12" height="12"><rect x="2" y="2" width="8" height="8" fill="#fff" stroke="#444" stroke-width="1.5"/></svg>',
  };
  const OUTCOME_WORDS = { kill: "kill (threat)", loss: "allied or civil aircraft lost", leak: "leak", route_end: "route ended" };

  // ---------------------------------------------------------------- time helpers
  function lastIndexAtOrBefore(times, t) {
    let lo = 0, hi = times.length - 1;
    if (hi < 0 || times[0] > t) return -1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (times[mid] <= t) lo = mid; else hi = mid - 1;
    }
    return lo;
  }
  function positionAt(entity, t) {
    const i = lastIndexAtOrBefore(entity.t, t);
    if (i < 0) return null;
    if (i === entity.t.length - 1) return t - entity.t[i] <= DATA.record_interval_s ? [entity.lat[i], entity.lon[i]] : null;
    const f = (t - entity.t[i]) / (entity.t[i + 1] - entity.t[i]);
    return [entity.lat[i] + f * (entity.lat[i + 1] - entity.lat[i]), entity.lon[i] + f * (entity.lon[i + 1] - entity.lon[i])];
  }
  function destination(lat, lon, azDeg, rangeM) {
    // Spherical destination (mean earth radius), for drawing range circles only.
    const R = 6371008.8, d = rangeM / R, az = azDeg * Math.PI / 180;
    const p1 = lat * Math.PI / 180, l1 = lon * Math.PI / 180;
    const p2 = Math.asin(Math.sin(p1) * Math.cos(d) + Math.cos(p1) * Math.sin(d) * Math.cos(az));
    const l2 = l1 + Math.atan2(Math.sin(az) * Math.sin(d) * Math.cos(p1), Math.cos(d) - Math.sin(p1) * Math.sin(p2));
    return [p2 * 180 / Math.PI, l2 * 180 / Math.PI];
  }
  function circle(lat, lon, rangeM) {
    const ring = [];
    for (let az = 0; az < 360; az += 3) ring.push(destination(lat, lon, az, rangeM));
    return ring;
  }

  // ---------------------------------------------------------------- explain panel
  const explainTitle = document.getElementById("explain-title");
  const chainBox = document.getElementById("chain");
  function showChain(name, note) {
    const lines = DATA.chains[name];
    explainTitle.textContent = name;
    chainBox.textContent = (note ? note + "\n\n" : "") + (lines ? lines.join("\n") : "(no chain: not an aircraft or missile of this run)");
    chainBox.setAttribute("data-entity", name);
  }

  // ---------------------------------------------------------------- static layers
  const assetLayer = L.layerGroup().addTo(map);
  for (const a of layout.defended_assets) {
    L.circleMarker([a.lat_deg, a.lon_deg], { radius: 4, color: "#000", fillColor: "#000", fillOpacity: 1, weight: 1 })
      .bindTooltip(a.name + " (defended asset, value " + a.value + ")").addTo(assetLayer);
    // Asset names below right of their dot, post names above right: a post on an asset
    // (a battery on its air base) keeps both names legible.
    L.marker([a.lat_deg, a.lon_deg], { icon: L.divIcon({ className: "map-label", html: a.name, iconSize: null, iconAnchor: [-6, -2] }), interactive: false, keyboard: false }).addTo(assetLayer);
  }
  for (const z of layout.no_fire_zones) {
    L.polygon(z.polygon, { color: "#555", weight: 1, dashArray: "2,4", fill: false }).bindTooltip("no-fire zone " + z.name).addTo(assetLayer);
  }
  for (const z of layout.safe_corridors) {
    L.polygon(z.polygon, { color: "#2e7d32", weight: 1, dashArray: "6,3", fill: false }).bindTooltip("safe corridor " + z.name).addTo(assetLayer);
  }

  const routeLayer = L.layerGroup().addTo(map);
  const truthLayer = L.layerGroup().addTo(map);
  const truthMarkers = {};
  for (const [name, entity] of Object.entries(DATA.truth)) {
    const colour = sideColour(entity.side);
    const line = L.polyline(entity.lat.map((lat, i) => [lat, entity.lon[i]]), { color: colour, weight: 1.2, opacity: 0.55 });
    line.on("click", () => showChain(name));
    line.addTo(routeLayer);
    const html = '<svg width="12" height="12"><circle cx="6" cy="6" r="4.5" fill="' + colour + '" stroke="#000" stroke-width="1"/></svg>';
    const marker = L.marker([entity.lat[0], entity.lon[0]], { icon: icon(html, [12, 12], "truth-marker"), title: name, keyboard: false });
    marker.on("click", () => showChain(name));
    truthMarkers[name] = marker;
  }

  const coverageLayers = {};
  const airborneCoverage = [];
  for (const post of layout.posts) {
    const group = L.layerGroup();
    for (const radar of post.radars) {
      const heights = Object.keys(radar.footprints);
      heights.forEach((height, k) => {
        L.polygon(radar.footprints[height], {
          color: "#333", weight: 1, dashArray: k === 0 ? null : "5,4", fillOpacity: k === 0 ? 0.08 : 0.0, fillColor: "#000",
        }).bindTooltip(radar.name + ": " + radar.sector_deg + " deg sector facing " + radar.facing_deg +
          " deg, target " + height + " m above ground (terrain and horizon)").addTo(group);
      });
      if (post.carrier) {
        const poly = L.polygon(circle(post.lat_deg, post.lon_deg, radar.max_range_m), { color: "#333", weight: 1, dashArray: "1,4", fill: false })
          .bindTooltip(radar.name + ": instrumented range around its carrier " + post.carrier);
        poly.addTo(group);
        airborneCoverage.push({ poly: poly, carrier: post.carrier, range: radar.max_range_m });
      }
    }
    for (const weapon of post.interceptors) {
      L.polygon(circle(post.lat_deg, post.lon_deg, weapon.max_range_m), { color: "#8b0000", weight: 1, dashArray: "8,4", fill: false })
        .bindTooltip(post.name + ": " + weapon.type + " maximum range " + (weapon.max_range_m / 1000).toFixed(0) + " km").addTo(group);
    }
    const site = '<svg width="16" height="16"><path d="M8,1 L15,15 L1,15 Z" fill="#222" stroke="#fff" stroke-width="1"/></svg>';
    if (!post.carrier) {
      L.marker([post.lat_deg, post.lon_deg], { icon: icon(site, [16, 16], "post-marker"), title: post.name }).addTo(map);
      L.marker([post.lat_deg, post.lon_deg], { icon: L.divIcon({ className: "map-label", html: post.name, iconSize: null, iconAnchor: [-10, 16] }), interactive: false, keyboard: false }).addTo(map);
    }
    coverageLayers[post.name] = group;
    group.addTo(map);
  }

  // Detection boundaries from `iadsim coverage`, when the report was given its folder.
  const productLayer = L.layerGroup();
  for (const b of DATA.coverage_boundaries) {
    L.polygon(b.ring, { color: "#006d77", weight: 1.2, fill: false })
      .bindTooltip(b.radar + ": Pd >= " + b.pd_threshold + " against " + b.target + " at " + b.altitude_m + " m (iadsim coverage)")
      .addTo(productLayer);
  }
  if (DATA.coverage_boundaries.length) productLayer.addTo(map);

  // ---------------------------------------------------------------- pictures per post
  const pictureLayers = {};
  const pictureMarkers = {};
  for (const post of Object.keys(DATA.pictures)) {
    pictureLayers[post] = L.layerGroup();
    pictureMarkers[post] = {};
  }
  const firstPost = Object.keys(DATA.pictures)[0];
  if (firstPost) pictureLayers[firstPost].addTo(map);

  // ---------------------------------------------------------------- flyouts and outcomes
  const flyoutLayer = L.layerGroup().addTo(map);
  // The flown path up to time t: the recorded points so far, then the place between the
  // last and the next point (linear in time), so the line grows as the slider moves.
  function flownTo(path, t) {
    const out = [[path.lat[0], path.lon[0]]];
    for (let i = 1; i < path.t.length; i++) {
      if (path.t[i] <= t) {
        out.push([path.lat[i], path.lon[i]]);
        continue;
      }
      const frac = (t - path.t[i - 1]) / Math.max(path.t[i] - path.t[i - 1], 1e-6);
      out.push([path.lat[i - 1] + frac * (path.lat[i] - path.lat[i - 1]), path.lon[i - 1] + frac * (path.lon[i] - path.lon[i - 1])]);
      break;
    }
    return out;
  }
  const flyouts = DATA.flyouts.map((f) => {
    const line = L.polyline([f.from, f.from], { color: "#8b0000", weight: 1.5, opacity: 0.9 });
    line.bindTooltip(f.unit + " interceptor " + f.interceptor + " (engagement " + f.engagement + ") at " + (f.truth || "a false target") + ": " + f.end);
    if (f.truth) line.on("click", () => showChain(f.truth));
    return { data: f, line: line };
  });
  const lossNames = new Set((DATA.summary.fratricide || []).filter((r) => r.result === "kill").map((r) => r.truth));
  const outcomeLayer = L.layerGroup().addTo(map);
  const outcomes = [];
  for (const e of DATA.events) {
    if (!["kill", "leak", "route_end"].includes(e.kind) || e.lat === null) continue;
    const what = e.kind === "kill" && lossNames.has(e.truth) ? "loss" : e.kind;
    const size = what === "route_end" ? [12, 12] : [18, 18];
    const marker = L.marker([e.lat, e.lon], { icon: icon(OUTCOME_SYMBOLS[what], size, "outcome-" + what), title: e.truth + ": " + OUTCOME_WORDS[what] });
    marker.on("click", () => showChain(e.truth, OUTCOME_WORDS[what] + " at " + e.t.toFixed(1) + " s"));
    outcomes.push({ t: e.t, marker: marker });
  }

  // ---------------------------------------------------------------- time
  const slider = document.getElementById("time-slider");
  const clock = document.getElementById("clock");
  const duration = DATA.summary.duration_s;
  slider.max = String(duration);
  let now = 0;
  function setTime(t) {
    now = Math.max(0, Math.min(duration, t));
    slider.value = String(now);
    const minutes = Math.floor(now / 60), seconds = Math.floor(now % 60);
    clock.textContent = "t = " + now.toFixed(0) + " s (" + minutes + " min " + String(seconds).padStart(2, "0") + " s)";
    for (const [name, entity] of Object.entries(DATA.truth)) {
      const marker = truthMarkers[name];
      const where = positionAt(entity, now);
      if (where) {
        marker.setLatLng(where);
        if (!truthLayer.hasLayer(marker)) truthLayer.addLayer(marker);
      } else if (truthLayer.hasLayer(marker)) truthLayer.removeLayer(marker);
    }
    for (const item of airborneCoverage) {
      const carrier = DATA.truth[item.carrier];
      const where = carrier && positionAt(carrier, now);
      if (where) item.poly.setLatLngs(circle(where[0], where[1], item.range));
    }
    for (const [post, tracks] of Object.entries(DATA.pictures)) {
      if (!map.hasLayer(pictureLayers[post])) continue;
      for (const [id, track] of Object.entries(tracks)) {
        const i = lastIndexAtOrBefore(track.t, now);
        let marker = pictureMarkers[post][id];
        const held = i >= 0 && now - track.t[i] <= DATA.record_interval_s && !(i === track.t.length - 1 && now > track.t[i] + DATA.record_interval_s);
        if (!held) {
          if (marker) pictureLayers[post].removeLayer(marker);
          continue;
        }
        const code = track.id[i];
        if (!marker) {
          marker = L.marker([track.lat[i], track.lon[i]], { title: post + " track " + id, keyboard: false });
          marker.on("click", () => {
            const j = lastIndexAtOrBefore(track.t, now);
            const on = track.truth[Math.max(j, 0)];
            const note = post + " track " + id + ", held " + (IDENTITY[track.id[Math.max(j, 0)]] || IDENTITY.U).name + ", then on " + (on || "a false target");
            if (on) showChain(on, note); else { explainTitle.textContent = post + " track " + id; chainBox.textContent = note; }
          });
          pictureMarkers[post][id] = marker;
        }
        if (marker.code !== code) {
          marker.setIcon(icon(identitySvg(code), [24, 22], "track-marker identity-" + code));
          marker.code = code;
        }
        marker.setLatLng([track.lat[i], track.lon[i]]);
        if (!pictureLayers[post].hasLayer(marker)) pictureLayers[post].addLayer(marker);
      }
    }
    for (const f of flyouts) {
      const d = f.data;
      if (now < d.t0) {
        if (flyoutLayer.hasLayer(f.line)) flyoutLayer.removeLayer(f.line);
        continue;
      }
      f.line.setLatLngs(flownTo(d.path, now));
      const flying = now < d.t1;
      f.line.setStyle({ opacity: flying ? 0.95 : 0.35, dashArray: flying ? null : "3,3" });
      if (!flyoutLayer.hasLayer(f.line)) flyoutLayer.addLayer(f.line);
    }
    for (const o of outcomes) {
      const shown = now >= o.t;
      if (shown && !outcomeLayer.hasLayer(o.marker)) outcomeLayer.addLayer(o.marker);
      if (!shown && outcomeLayer.hasLayer(o.marker)) outcomeLayer.removeLayer(o.marker);
    }
    markTimeline();
  }
  slider.addEventListener("input", () => setTime(parseFloat(slider.value)));

  let timer = null;
  const playButton = document.getElementById("play");
  const speed = document.getElementById("speed");
  playButton.addEventListener("click", () => {
    if (timer) {
      clearInterval(timer);
      timer = null;
      playButton.textContent = "Play";
      return;
    }
    playButton.textContent = "Pause";
    timer = setInterval(() => {
      setTime(now + parseFloat(speed.value) * 0.1);
      if (now >= duration) playButton.click();
    }, 100);
  });

  // ---------------------------------------------------------------- layer switches
  const layerBox = document.getElementById("layers");
  function addSwitch(fieldset, label, layer, checked, onChange) {
    const row = document.createElement("label");
    row.className = "legend-row";
    const box = document.createElement("input");
    box.type = "checkbox";
    box.checked = checked;
    box.addEventListener("change", () => {
      if (box.checked) layer.addTo(map); else map.removeLayer(layer);
      if (onChange) onChange();
    });
    row.appendChild(box);
    const span = document.createElement("span");
    span.innerHTML = label;
    row.appendChild(span);
    fieldset.appendChild(row);
    return box;
  }
  function fieldset(title) {
    const f = document.createElement("fieldset");
    const legend = document.createElement("legend");
    legend.textContent = title;
    f.appendChild(legend);
    layerBox.appendChild(f);
    return f;
  }
  const truthSet = fieldset("Truth (scoring only)");
  addSwitch(truthSet, "aircraft and missiles", truthLayer, true);
  addSwitch(truthSet, "routes, by side: " + Object.keys(SIDE_COLOURS).map((s) => '<span style="color:' + SIDE_COLOURS[s] + '">&#9632; ' + s + "</span>").join(" "), routeLayer, true);
  const pictureSet = fieldset("Each post's picture (its tracks and identities)");
  for (const post of Object.keys(DATA.pictures)) {
    addSwitch(pictureSet, post, pictureLayers[post], post === firstPost, () => setTime(now)).setAttribute("data-post", post);
  }
  const idLegend = document.createElement("div");
  idLegend.innerHTML = Object.keys(IDENTITY).map((c) => identitySvg(c).replace('width="24" height="22"', 'width="16" height="15"') + " " + IDENTITY[c].name).join(" &nbsp;");
  pictureSet.appendChild(idLegend);
  const coverageSet = fieldset("Coverage per post (sector and horizon footprint, " + (layout.footprint_target_agl_m || []).join(" m solid / ") + " m dashed above ground; interceptor range in dark red)");
  for (const post of Object.keys(coverageLayers)) addSwitch(coverageSet, post, coverageLayers[post], true);
  if (DATA.coverage_boundaries.length) addSwitch(coverageSet, "Pd boundaries of iadsim coverage (teal)", productLayer, true);
  const eventSet = fieldset("Engagements");
  addSwitch(eventSet, "interceptor flyouts (flown path, launch to end)", flyoutLayer, true);
  addSwitch(eventSet, Object.keys(OUTCOME_SYMBOLS).map((k) => OUTCOME_SYMBOLS[k] + " " + OUTCOME_WORDS[k]).join(" "), outcomeLayer, true);
  addSwitch(eventSet, "defended assets and zones", assetLayer, true);

  // ---------------------------------------------------------------- timeline
  const timelineBody = document.querySelector("#timeline tbody");
  const kindFilter = document.getElementById("filter-kind");
  const postFilter = document.getElementById("filter-post");
  const entityFilter = document.getElementById("filter-entity");
  const kinds = [...new Set(DATA.events.map((e) => e.kind))].sort();
  const units = [...new Set(DATA.events.map((e) => e.unit).filter((u) => u))].sort();
  for (const k of kinds) kindFilter.add(new Option(k, k));
  for (const u of units) postFilter.add(new Option(u, u));
  function describe(e) {
    return Object.entries(e.detail).map(([k, v]) => k + " " + (Array.isArray(v) ? v.join(",") : v)).join("; ");
  }
  const rows = DATA.events.map((e) => {
    const tr = document.createElement("tr");
    const cells = [e.t.toFixed(1), e.kind, e.unit, e.track >= 0 ? String(e.track) : "", e.truth, e.engagement >= 0 ? String(e.engagement) : "", describe(e)];
    cells.forEach((text, k) => {
      const td = document.createElement("td");
      td.textContent = text;
      if (k > 0) td.className = "text";
      tr.appendChild(td);
    });
    tr.addEventListener("click", () => {
      setTime(e.t);
      if (e.truth) showChain(e.truth, e.kind + " at " + e.t.toFixed(1) + " s");
    });
    timelineBody.appendChild(tr);
    return { event: e, row: tr };
  });
  function applyFilters() {
    const kind = kindFilter.value, post = postFilter.value, entity = entityFilter.value.trim().toLowerCase();
    let shown = 0;
    for (const r of rows) {
      const e = r.event;
      const ok = (!kind || e.kind === kind) && (!post || e.unit === post) && (!entity || e.truth.toLowerCase().includes(entity));
      r.row.style.display = ok ? "" : "none";
      if (ok) shown += 1;
    }
    document.getElementById("timeline-count").textContent = shown + " of " + rows.length + " events";
  }
  function markTimeline() {
    for (const r of rows) r.row.classList.toggle("future", r.event.t > now);
  }
  kindFilter.addEventListener("change", applyFilters);
  postFilter.addEventListener("change", applyFilters);
  entityFilter.addEventListener("input", applyFilters);
  applyFilters();

  window.iadsimReport = { setTime: setTime, showChain: showChain, now: () => now };
  setTime(0);
})();
