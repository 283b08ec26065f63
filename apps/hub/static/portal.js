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

  var banner = document.getElementById("connection-lost");

  // One poller (HS §4.1): runs `step` every `period` ms while the tab is
  // visible. `step` returns false to skip this turn (the user is busy), or
  // a promise. A rejected promise shows "Connection to the Hub lost —
  // retrying" and doubles the delay up to 60 s; a fulfilled one hides the
  // banner and restores the period.
  function poll(period, step) {
    var delay = period;
    function tick() {
      var run = document.hidden ? false : step();
      if (run === false) { window.setTimeout(tick, period); return; }
      run.then(function () {
        if (banner) { banner.hidden = true; }
        delay = period;
      }, function () {
        if (banner) { banner.hidden = false; }
        delay = Math.min(delay * 2, 60000);
      }).then(function () { window.setTimeout(tick, delay); });
    }
    window.setTimeout(tick, period);
  }

  // A cookie-authenticated GET of a /ui/ endpoint; rejects on any non-2xx.
  function get(url, accept) {
    return fetch(url, { credentials: "same-origin", headers: { "Accept": accept } })
      .then(function (r) {
        if (!r.ok) { throw new Error("status " + r.status); }
        return r;
      });
  }

  // Never replace what the user is working in: a focused element inside
  // `container`, an open menu or an open dialog.
  function busyIn(container) {
    var active = document.activeElement;
    return (active && active !== document.body && container.contains(active)) ||
      document.querySelector("dialog[open], details[open]") !== null;
  }

  // Live append (contract in src/portal/live_rows.rs): every
  // <tbody data-live-rows="URL" data-after="time"> asks URL?after=time every
  // 10 s for newer <tr data-row-id> rows; a row already shown is replaced in
  // place, the others are prepended.
  function liveRows(body) {
    var table = body.closest("table") || body;
    var empty = table.parentNode.querySelector(".empty-rows");

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

    poll(10000, function () {
      if (busyIn(table)) { return false; }
      var url = body.getAttribute("data-live-rows");
      url += (url.indexOf("?") < 0 ? "?" : "&") + "after=" +
        encodeURIComponent(body.getAttribute("data-after") || "");
      return get(url, "text/html").then(function (r) {
        var after = r.headers.get("X-Distr-After");
        return r.text().then(function (html) {
          merge(html);
          if (after) { body.setAttribute("data-after", after); }
        });
      });
    });
  }

  // Health (the overview): <div data-live="/ui/health"> polls every 5 s,
  // updates dots, labels and ages in place, and reloads the fragment when
  // targets or deployments appear or disappear.
  function liveHealth(live) {
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
      return get(window.location.href, "text/html")
        .then(function (r) { return r.text(); })
        .then(function (text) {
          var doc = new DOMParser().parseFromString(text, "text/html");
          var fresh = doc.getElementById(live.id);
          if (fresh && !busyIn(live)) { live.innerHTML = fresh.innerHTML; }
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

    poll(5000, function () {
      return get(live.getAttribute("data-live"), "application/json")
        .then(function (r) { return r.json(); })
        .then(function (data) { return busyIn(live) ? null : apply(data); });
    });
  }

  // Metrics (the target page): the charts inside
  // <div data-live-charts="URL"> are replaced every 30 s.
  function liveCharts(box) {
    poll(30000, function () {
      return get(box.getAttribute("data-live-charts"), "text/html")
        .then(function (r) { return r.text(); })
        .then(function (text) { box.innerHTML = text; });
    });
  }

  Array.prototype.forEach.call(document.querySelectorAll("tbody[data-live-rows]"), liveRows);
  Array.prototype.forEach.call(document.querySelectorAll("[data-live]"), liveHealth);
  Array.prototype.forEach.call(document.querySelectorAll("[data-live-charts]"), liveCharts);
})();
