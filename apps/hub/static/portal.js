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
