// The merchant's till page (issue 10), plain browser JavaScript: the routes and bodies are
// docs/till-api.md's. The token comes from the URL fragment (#token=…, never sent to the
// server) or is typed once, and is kept in localStorage. Live status: GET /api/events read
// with fetch() streaming (an EventSource cannot send the bearer token), reconnected when it
// drops or stays silent past two keepalives.
(function () {
  "use strict";
  var KEY = "tappos.till.token";
  var RUNNING = { amountEntered: 1, presentCard: 1, fieldOff: 1, reading: 1, cardReadOk: 1, authorising: 1 };
  var FINAL = { approved: 1, declined: 1, error: 1, notConfigured: 1, clockInvalid: 1, reversalQueueFull: 1 };
  var OUTCOME = { approved: ["Approved", "st-ok"], declined: ["Declined", "st-no"], notAuthorised: ["Declined", "st-no"], error: ["Error", "st-no"], cancelled: ["Cancelled", "st-off"], timeout: ["Timed out", "st-no"], refused: ["Refused", "st-no"] };
  var SCHEME = { visa: "Visa", mastercard: "Mastercard", unionpay: "UnionPay" };
  var $ = function (id) { return document.getElementById(id); };

  var token = null;
  var minor = 0;
  var status = null; // the last Status from /api/events
  var shown = null; // the outcome the panel keeps showing once the terminal is idle again
  var lastKey = ""; // state + result id of the last status seen, to reload the results once
  var results = [];
  var today = "";
  var linked = false; // the events stream is open
  var streamCtl = null;
  var streaming = false; // a stream is being opened or read (one at a time)
  var retryMs = 1000;
  var retryTimer = 0;
  var busy = false; // a POST /api/sales is on its way
  var receiptFor = null;
  var lastSale = null; // the id of the last sale the status named
  var queued = {}; // sale ids whose void went to the reversal queue (202)

  // ---- helpers ----
  function exp() { return status ? status.exponent : 2; }
  function cur() { return status && status.currencyLabel ? " " + status.currencyLabel : ""; }
  function money(m) {
    var e = exp();
    var s = String(m);
    if (e === 0) return s;
    while (s.length <= e) s = "0" + s;
    return s.slice(0, s.length - e) + "." + s.slice(s.length - e);
  }
  function el(tag, cls, text) {
    var n = document.createElement(tag);
    if (cls) n.className = cls;
    if (text !== undefined) n.textContent = text;
    return n;
  }
  function note(text) { $("note").textContent = text || ""; }
  function sleep(ms) { return new Promise(function (r) { setTimeout(r, ms); }); }
  /** 32 hex digits from getRandomValues (crypto.randomUUID needs a secure context; the board is plain HTTP). */
  function freshKey() {
    var b = new Uint8Array(16);
    crypto.getRandomValues(b);
    var s = "";
    for (var i = 0; i < b.length; i++) s += (b[i] < 16 ? "0" : "") + b[i].toString(16);
    return s;
  }

  /** One API call; resolves { status, body } (body parsed JSON or null), rejects on a network error. */
  function api(method, path, body, headers) {
    var h = { Authorization: "Bearer " + token };
    if (body !== undefined) h["Content-Type"] = "application/json";
    for (var k in headers || {}) h[k] = headers[k];
    return fetch(path, { method: method, headers: h, body: body === undefined ? undefined : JSON.stringify(body), cache: "no-store" }).then(function (r) {
      if (r.status === 401) {
        logout("The terminal refused this token: type it again.");
        throw new Error("401");
      }
      return r.text().then(function (t) {
        var j = null;
        try { j = t ? JSON.parse(t) : null; } catch (e) { j = null; }
        return { status: r.status, body: j };
      });
    });
  }
  function why(r) {
    var b = r.body || {};
    if (b.error === "SALE_IN_PROGRESS") return "A sale is already running.";
    return (b.message || b.error || "HTTP " + r.status) + (b.field ? " (" + b.field + ")" : "");
  }

  // ---- token ----
  function start() {
    var m = /[#&]token=([^&]+)/.exec(location.hash);
    if (m) {
      token = decodeURIComponent(m[1]);
      try { localStorage.setItem(KEY, token); } catch (e) { /* private mode: kept for this page only */ }
      history.replaceState(null, "", location.pathname + location.search);
    } else {
      try { token = localStorage.getItem(KEY); } catch (e) { token = null; }
    }
    if (token) open();
    else logout("");
  }
  function logout(text) {
    token = null;
    try { localStorage.removeItem(KEY); } catch (e) { /* nothing kept */ }
    if (streamCtl) streamCtl.abort();
    streamCtl = null;
    streaming = false;
    clearTimeout(retryTimer);
    $("till").hidden = true;
    $("receipt").hidden = true;
    $("login").hidden = false;
    if (text) $("login-why").textContent = text;
    $("token").focus();
  }
  $("login").onsubmit = function (ev) {
    ev.preventDefault();
    var t = $("token").value.trim();
    if (!t) return;
    token = t;
    try { localStorage.setItem(KEY, t); } catch (e) { /* kept for this page only */ }
    $("token").value = "";
    open();
  };
  $("logout").onclick = function () { logout("Type the till token once; this phone keeps it."); };
  function open() {
    $("login").hidden = true;
    $("till").hidden = false;
    render();
    connect();
    loadSim();
  }

  // ---- live status: GET /api/events ----
  function connect() {
    clearTimeout(retryTimer);
    if (!token || streaming) return;
    streaming = true;
    var ctl = new AbortController();
    streamCtl = ctl;
    var quiet = 0;
    var alive = function () {
      clearTimeout(quiet);
      quiet = setTimeout(function () { ctl.abort(); }, 40000); // keepalive every 15 s
    };
    alive();
    fetch("/api/events", { headers: { Authorization: "Bearer " + token, Accept: "text/event-stream" }, signal: ctl.signal, cache: "no-store" })
      .then(function (r) {
        if (r.status === 401) {
          logout("The terminal refused this token: type it again.");
          return;
        }
        if (!r.ok || !r.body) throw new Error("HTTP " + r.status);
        setLinked(true);
        retryMs = 1000;
        loadResults();
        var reader = r.body.getReader();
        var dec = new TextDecoder();
        var buf = "";
        var pump = function () {
          return reader.read().then(function (x) {
            if (x.done) return;
            alive();
            buf = (buf + dec.decode(x.value, { stream: true })).replace(/\r\n?/g, "\n");
            var i;
            while ((i = buf.indexOf("\n\n")) >= 0) {
              frame(buf.slice(0, i));
              buf = buf.slice(i + 2);
            }
            return pump();
          });
        };
        return pump();
      })
      .catch(function () { /* dropped: reconnect below */ })
      .then(function () {
        clearTimeout(quiet);
        if (streamCtl !== ctl) return;
        streaming = false;
        if (!token) return;
        setLinked(false);
        retryTimer = setTimeout(connect, retryMs);
        retryMs = Math.min(retryMs * 2, 10000);
      });
  }
  /** One SSE frame: "event: status\ndata: {…}"; comments (": keepalive") are skipped. */
  function frame(text) {
    var ev = "message";
    var data = "";
    text.split("\n").forEach(function (line) {
      if (line.indexOf("event:") === 0) ev = line.slice(6).trim();
      else if (line.indexOf("data:") === 0) data += (data ? "\n" : "") + line.slice(5).replace(/^ /, "");
    });
    if (ev !== "status" || !data) return;
    try { onStatus(JSON.parse(data)); } catch (e) { /* a broken frame: the next one replaces it */ }
  }
  function setLinked(on) {
    linked = on;
    renderWarnings();
  }
  document.addEventListener("visibilitychange", function () {
    if (!document.hidden && token && !linked) connect();
  });

  function onStatus(s) {
    status = s;
    var sale = s.sale;
    var res = sale && sale.result;
    if (sale) lastSale = sale.id;
    if (res) shown = { result: res };
    else if (RUNNING[s.state]) shown = null;
    var k = s.state + "/" + (res ? res.id : "");
    if (k !== lastKey) {
      lastKey = k;
      if (res || FINAL[s.state] || s.state === "idle") loadResults();
    }
    render();
  }

  // ---- rendering ----
  function panel() {
    var s = status;
    if (!s) return [linked ? "…" : "Connecting…", "st-off", "", ""];
    var amt = s.sale ? money(s.sale.amountMinor) + cur() : "";
    if (s.state === "amountEntered" || s.state === "presentCard") return ["Present card", "st-wait", amt, s.message];
    if (s.state === "fieldOff") return ["See phone", "st-look", amt, s.message];
    if (s.state === "reading" || s.state === "cardReadOk" || s.state === "authorising") return ["Processing", "st-busy", amt, s.message];
    if (shown) {
      var r = shown.result;
      var o = OUTCOME[r.outcome] || [r.outcome, "st-no"];
      return [o[0], o[1], money(r.amountMinor) + cur(), (r.maskedPan ? r.maskedPan + " · " : "") + (r.reason || s.message || "")];
    }
    if (FINAL[s.state]) return [s.state === "approved" ? "Approved" : s.state === "declined" ? "Declined" : s.state === "error" ? "Error" : "Refused", s.state === "approved" ? "st-ok" : "st-no", amt, s.message];
    return ["Ready", "st-off", "", s.message];
  }
  function render() {
    var p = panel();
    $("p-title").textContent = p[0];
    $("panel").className = p[1];
    $("p-amount").textContent = p[2];
    $("p-msg").textContent = p[3] || "";
    var running = !!(status && RUNNING[status.state]);
    $("cancel").hidden = !running;
    $("entry").className = running ? "off" : "";
    $("amount").textContent = money(minor) + cur();
    $("charge").disabled = running || busy || minor === 0 || !status;
    $("charge").textContent = minor ? "Charge " + money(minor) + cur() : "Charge";
    var keys = document.querySelectorAll("#keys button");
    for (var i = 0; i < keys.length; i++) keys[i].disabled = running;
    renderWarnings();
  }
  function renderWarnings() {
    var w = $("warn");
    w.textContent = "";
    var add = function (text, bad) { w.appendChild(el("p", bad ? "bad" : "", text)); };
    if (token && !linked) add("No link to the terminal: reconnecting…", true);
    if (status && status.online === false) add("The acquirer cannot be reached (WiFi or network down): sales cannot be authorised.", true);
    if (status && status.reversalsPending > 0) add(status.reversalsPending + (status.reversalsPending === 1 ? " reversal" : " reversals") + " pending: the terminal sends " + (status.reversalsPending === 1 ? "it" : "them") + " again until the acquirer confirms.", false);
  }

  // ---- keypad and sale ----
  function key(k) {
    if (status && RUNNING[status.state]) return;
    if (k === "C") minor = 0;
    else if (k === "B") minor = Math.floor(minor / 10);
    else if (String(minor).length < 9) minor = minor * 10 + Number(k);
    note("");
    render();
  }
  $("keys").onclick = function (ev) {
    var k = ev.target.getAttribute && ev.target.getAttribute("data-k");
    if (k) key(k);
  };
  document.addEventListener("keydown", function (ev) {
    if ($("till").hidden || !$("receipt").hidden || ev.target.tagName === "INPUT" || ev.target.tagName === "SELECT") return;
    if (ev.key >= "0" && ev.key <= "9") key(ev.key);
    else if (ev.key === "Backspace") key("B");
    else if (ev.key === "Enter" && !$("charge").disabled) charge();
    else if (ev.key === "Escape" && !$("cancel").hidden) cancel();
    else return;
    ev.preventDefault();
  });

  /** POST /api/sales with a fresh Idempotency-Key, sent again with the same key after a network error. */
  function charge() {
    if (busy || minor === 0) return;
    busy = true;
    var amount = minor;
    var idem = freshKey();
    note("");
    render();
    var tries = 0;
    var attempt = function () {
      return api("POST", "/api/sales", { amountMinor: amount }, { "Idempotency-Key": idem }).catch(function (e) {
        if (!token || ++tries >= 5) throw e;
        note("No answer from the terminal: trying again…");
        return sleep(500 * tries).then(attempt);
      });
    };
    attempt()
      .then(function (r) {
        if (r.status === 201 || r.status === 200) {
          note("");
          minor = 0;
          shown = null;
          // The events stream follows; until then the panel shows the sale as answered.
          if (r.body && r.body.sale && status && !RUNNING[status.state]) onStatus(Object.assign({}, status, { state: r.body.sale.state, message: "", sale: r.body.sale }));
        } else note(why(r));
      }, function () {
        if (token) note("The terminal did not answer: watch the status before charging again.");
      })
      .then(function () {
        busy = false;
        render();
      });
  }
  $("charge").onclick = charge;

  function cancel() {
    api("POST", "/api/sales/current/cancel").then(function (r) {
      if (r.status !== 200) note(why(r));
    }, function () { note("The terminal did not answer the cancel."); });
  }
  $("cancel").onclick = cancel;

  // ---- virtual phone (host only: shown when GET /api/sim/profiles exists) ----
  function loadSim() {
    api("GET", "/api/sim/profiles").then(function (r) {
      if (r.status !== 200 || !r.body || !r.body.profiles) return;
      var sel = $("sim-profile");
      sel.textContent = "";
      r.body.profiles.forEach(function (p) {
        var name = typeof p === "string" ? p : p.name;
        var o = el("option", "", typeof p === "string" ? p : p.label || p.name);
        o.value = name;
        sel.appendChild(o);
      });
      $("sim").hidden = false;
    }, function () { /* no picker */ });
  }
  $("sim-tap").onclick = function () {
    api("POST", "/api/sim/tap", { profile: $("sim-profile").value }).then(function (r) {
      note(r.status === 200 ? "" : why(r));
    }, function () { note("The terminal did not answer the tap."); });
  };

  // ---- last results, totals, receipt, void ----
  function loadResults() {
    api("GET", "/api/results").then(function (r) {
      if (r.status !== 200 || !r.body) return;
      results = r.body.results || [];
      renderResults();
      // A sale that ended between two status events: its outcome from the results.
      var mine = findResult(lastSale);
      if (mine && !(status && RUNNING[status.state]) && (!shown || shown.result.id !== mine.id)) {
        shown = { result: mine };
        render();
      }
      if (receiptFor) showReceiptButtons();
    }, function () { /* the stream's warning says it */ });
    api("GET", "/api/totals").then(function (r) {
      if (r.status !== 200 || !r.body) return;
      var t = r.body;
      today = t.date || "";
      var cl = cur();
      $("totals").textContent = "Today: " + t.count + (t.count === 1 ? " sale, " : " sales, ") + money(t.sumMinor) + cl +
        (t.schemes && t.schemes.length ? " (" + t.schemes.map(function (x) { return (SCHEME[x.scheme] || x.scheme) + " " + x.count; }).join(", ") + ")" : "");
    }, function () { /* idem */ });
  }
  function renderResults() {
    var list = $("list");
    list.textContent = "";
    results.slice(0, 20).forEach(function (r) {
      var li = el("li");
      var b = el("button", r.voided ? "voided" : "");
      b.setAttribute("data-id", r.id);
      var o = OUTCOME[r.outcome] || [r.outcome];
      var r1 = el("div", "r1");
      r1.appendChild(el("span", "", money(r.amountMinor) + cur()));
      r1.appendChild(el("span", r.outcome === "approved" && !r.voided ? "o-approved" : "o-bad", r.voided ? "Voided" : o[0]));
      var t = new Date(r.time || NaN); // null without a wall clock
      var when = isNaN(t.getTime()) ? "" : t.toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" });
      var r2 = el("div", "r2", [when, r.scheme ? SCHEME[r.scheme] || r.scheme : "", r.wallet || "", r.maskedPan || ""].filter(Boolean).join(" · "));
      b.appendChild(r1);
      b.appendChild(r2);
      b.onclick = function () { showReceipt(r.id); };
      li.appendChild(b);
      list.appendChild(li);
    });
  }
  function findResult(id) {
    for (var i = 0; i < results.length; i++) if (results[i].id === id) return results[i];
    return null;
  }
  function voidable(r) {
    var d = today || new Date().toISOString().slice(0, 10);
    return !!r && r.outcome === "approved" && !r.voided && !queued[r.id] && String(r.time).slice(0, 10) === d;
  }
  function showReceipt(id) {
    receiptFor = id;
    $("r-lines").textContent = "…";
    $("r-note").textContent = "";
    $("void").textContent = "Void this sale";
    $("void").removeAttribute("data-armed");
    showReceiptButtons();
    $("receipt").hidden = false;
    api("GET", "/api/sales/" + encodeURIComponent(id) + "/receipt").then(function (r) {
      if (receiptFor !== id) return;
      if (r.status === 200 && r.body) $("r-lines").textContent = (r.body.lines || []).join("\n");
      else if (r.status === 404) $("r-lines").textContent = "No receipt: no card was read for this sale.";
      else $("r-lines").textContent = why(r);
    }, function () { $("r-lines").textContent = "The terminal did not answer."; });
  }
  function showReceiptButtons() {
    var r = findResult(receiptFor);
    $("void").hidden = !voidable(r);
    if (r && r.voided && !$("r-note").textContent) $("r-note").textContent = "This sale is voided.";
  }
  $("r-close").onclick = function () {
    receiptFor = null;
    $("receipt").hidden = true;
  };
  /** Two taps: "Void this sale", then "Confirm void". */
  $("void").onclick = function () {
    var b = $("void");
    var id = receiptFor;
    if (!b.getAttribute("data-armed")) {
      b.setAttribute("data-armed", "1");
      b.textContent = "Confirm void";
      return;
    }
    b.disabled = true;
    $("r-note").textContent = "Voiding…";
    api("POST", "/api/sales/" + encodeURIComponent(id) + "/void").then(function (r) {
      if (r.status === 200) $("r-note").textContent = "Voided: the acquirer reversed it.";
      else if (r.status === 202) {
        queued[id] = 1;
        $("r-note").textContent = "Void queued: the acquirer cannot be reached, the terminal sends the reversal until it confirms.";
      }
      else $("r-note").textContent = why(r);
      if (r.status === 200 || r.status === 202) b.hidden = true;
      loadResults(); // the reversals pending follow on the events stream (a status once the void's round ends)
    }, function () { $("r-note").textContent = "The terminal did not answer: look at the sale again before voiding."; })
      .then(rearm, rearm);
    function rearm() {
      b.disabled = false;
      b.removeAttribute("data-armed");
      b.textContent = "Void this sale";
    }
  };

  start();
})();
