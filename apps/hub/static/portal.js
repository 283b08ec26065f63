// Distr portal: the one hand-written script (HS §4.1). Every page works
// without it; it adds live refresh, copy buttons and confirmations.
(function () {
  "use strict";

  // Copy buttons: <button class="copy" data-copy="element-id">.
  document.addEventListener("click", function (event) {
    var button = event.target.closest("button.copy");
    if (!button) { return; }
    var source = document.getElementById(button.getAttribute("data-copy"));
    if (!source || !navigator.clipboard) { return; }
    navigator.clipboard.writeText(source.textContent.trim()).then(function () {
      button.textContent = "Copied";
    });
  });

  // Confirmations: <form data-confirm="question">.
  document.addEventListener("submit", function (event) {
    var question = event.target.getAttribute("data-confirm");
    if (question && !window.confirm(question)) { event.preventDefault(); }
  });

  // Live append (HS §4.1; contract in src/portal/live_rows.rs): every
  // <tbody data-live-rows="URL" data-after="time"> polls URL?after=time every
  // 10 s for newer <tr data-row-id> rows; a row already shown is replaced in
  // place, the others are prepended.
  function liveRows(body) {
    var period = 10000;
    var delay = period;
    var table = body.closest("table") || body;
    var empty = table.parentNode.querySelector(".empty-rows");
    var banner = document.getElementById("connection-lost");

    function busy() {
      var active = document.activeElement;
      return (active && active !== document.body && table.contains(active)) ||
        document.querySelector("dialog[open], details[open]") !== null;
    }

    function shown(id) {
      for (var i = 0; i < body.children.length; i++) {
        if (body.children[i].getAttribute("data-row-id") === id) { return body.children[i]; }
      }
      return null;
    }

    function merge(html) {
      var holder = document.createElement("tbody");
      holder.innerHTML = html;
      var rows = holder.querySelectorAll("tr[data-row-id]");
      for (var i = rows.length - 1; i >= 0; i--) {
        var old = shown(rows[i].getAttribute("data-row-id"));
        if (old) { body.replaceChild(rows[i], old); } else { body.insertBefore(rows[i], body.firstChild); }
      }
      if (rows.length) {
        table.hidden = false;
        if (empty) { empty.hidden = true; }
      }
    }

    function tick() {
      if (document.hidden || busy()) { window.setTimeout(tick, period); return; }
      var url = body.getAttribute("data-live-rows");
      url += (url.indexOf("?") < 0 ? "?" : "&") + "after=" +
        encodeURIComponent(body.getAttribute("data-after") || "");
      fetch(url, { credentials: "same-origin", headers: { "Accept": "text/html" } })
        .then(function (r) {
          if (!r.ok) { throw new Error("status " + r.status); }
          var after = r.headers.get("X-Distr-After");
          return r.text().then(function (html) {
            merge(html);
            if (after) { body.setAttribute("data-after", after); }
          });
        })
        .then(function () {
          if (banner) { banner.hidden = true; }
          delay = period;
        })
        .catch(function () {
          if (banner) { banner.hidden = false; }
          delay = Math.min(delay * 2, 60000);
        })
        .then(function () { window.setTimeout(tick, delay); });
    }

    window.setTimeout(tick, period);
  }
  Array.prototype.forEach.call(document.querySelectorAll("tbody[data-live-rows]"), liveRows);

  var live = document.querySelector("[data-live]");
  if (!live) { return; }
  var url = live.getAttribute("data-live");
  var lostBanner = document.getElementById("connection-lost");
  var period = 5000;
  var delay = period;

  function busy() {
    var active = document.activeElement;
    return (active && active !== document.body && live.contains(active)) ||
      document.querySelector("dialog[open], details[open]") !== null;
  }

  function setDot(container, item) {
    if (!container) { return; }
    var dot = container.querySelector(".dot");
    var label = container.querySelector(".dot-label");
    if (dot) {
      dot.className = "dot dot-" + item.colour;
      dot.setAttribute("aria-label", item.label);
    }
    if (label) { label.textContent = item.label; }
    container.setAttribute("title", item.title);
  }

  function sameIds(data) {
    var shown = Array.prototype.map.call(
      live.querySelectorAll("[data-target],[data-deployment]"),
      function (el) { return el.getAttribute("data-target") || el.getAttribute("data-deployment"); }
    ).sort().join(",");
    var fresh = [];
    data.targets.forEach(function (t) {
      fresh.push(t.id);
      t.deployments.forEach(function (d) { fresh.push(d.id); });
    });
    return shown === fresh.sort().join(",");
  }

  function reloadFragment() {
    return fetch(window.location.href, { credentials: "same-origin" })
      .then(function (r) { return r.text(); })
      .then(function (text) {
        var doc = new DOMParser().parseFromString(text, "text/html");
        var fresh = doc.getElementById(live.id);
        if (fresh && !busy()) { live.innerHTML = fresh.innerHTML; }
      });
  }

  function apply(data) {
    if (!sameIds(data)) { return reloadFragment(); }
    data.targets.forEach(function (t) {
      var card = live.querySelector('[data-target="' + t.id + '"]');
      if (!card) { return; }
      setDot(card.querySelector(".target-head .status"), t);
      var seen = card.querySelector(".last-seen");
      if (seen) { seen.textContent = t.lastSeen; }
      t.deployments.forEach(function (d) {
        var row = card.querySelector('[data-deployment="' + d.id + '"]');
        if (!row) { return; }
        setDot(row.querySelector(".status"), d);
        var pending = row.querySelector(".pending");
        if (pending && !d.pending) { pending.remove(); }
      });
    });
    return null;
  }

  function tick() {
    if (document.hidden) { window.setTimeout(tick, period); return; }
    fetch(url, { credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (r) {
        if (!r.ok) { throw new Error("status " + r.status); }
        return r.json();
      })
      .then(function (data) {
        if (lostBanner) { lostBanner.hidden = true; }
        delay = period;
        if (!busy()) { return apply(data); }
        return null;
      })
      .catch(function () {
        if (lostBanner) { lostBanner.hidden = false; }
        delay = Math.min(delay * 2, 60000);
      })
      .then(function () { window.setTimeout(tick, delay); });
  }

  window.setTimeout(tick, period);
})();

// Metrics refresh (HS §4.1): the charts inside <div data-live-charts="URL">
// are replaced every 30 s; paused while the tab is hidden, backing off
// (doubling up to 60 s) with the connection banner while requests fail.
(function () {
  "use strict";
  var box = document.querySelector("[data-live-charts]");
  if (!box) { return; }
  var url = box.getAttribute("data-live-charts");
  var banner = document.getElementById("connection-lost");
  var period = 30000;
  var delay = period;

  function tick() {
    if (document.hidden) { window.setTimeout(tick, period); return; }
    fetch(url, { credentials: "same-origin", headers: { "Accept": "text/html" } })
      .then(function (r) {
        if (!r.ok) { throw new Error("status " + r.status); }
        return r.text();
      })
      .then(function (text) {
        box.innerHTML = text;
        if (banner) { banner.hidden = true; }
        delay = period;
      })
      .catch(function () {
        if (banner) { banner.hidden = false; }
        delay = Math.min(delay * 2, 60000);
      })
      .then(function () { window.setTimeout(tick, delay); });
  }

  window.setTimeout(tick, period);
})();
