// Mayfly console: one page over the node's HTTP API (docs/console.md). No library, no external
// resource: the page talks to this node only, with the admin token as a bearer header.
'use strict';
(() => {
  const POLL_MS = 2000;
  const HISTORY = 180; // points kept for the charts: 6 minutes at one poll every 2 s
  const TAIL_MAX = 200; // topic events kept on screen
  const PAGE = 50; // actors per page
  const TOKEN_KEY = 'mayfly.adminToken';

  const $ = (id) => document.getElementById(id);
  let token = sessionStorage.getItem(TOKEN_KEY) || '';

  // ---- API ----------------------------------------------------------------------------------

  class ApiError extends Error {
    constructor(status, code, message) {
      super(message);
      this.status = status;
      this.code = code;
    }
  }

  async function api(method, path, body, contentType) {
    const used = token;
    const headers = {};
    if (used) headers.Authorization = 'Bearer ' + used;
    if (body !== undefined) headers['Content-Type'] = contentType || 'application/octet-stream';
    const res = await fetch(path, { method, headers, body, cache: 'no-store' });
    if (!res.ok) {
      let err = {};
      try {
        err = await res.json();
      } catch (e) {
        // not a JSON error body
      }
      const error = new ApiError(res.status, err.error || 'http_' + res.status, err.message || res.statusText);
      // A request sent with a token the user has replaced since says nothing about the new one.
      if ((res.status === 401 || res.status === 403) && used === token) askForToken(error);
      throw error;
    }
    return res;
  }

  const getJson = async (path) => (await api('GET', path)).json();
  const enc = encodeURIComponent;

  function askForToken(error) {
    $('token-form').hidden = false;
    showError(error.status === 403
      ? 'That token is not this node\'s admin token: ' + error.message
      : 'This node requires its admin token: ' + error.message);
  }

  function showError(text) {
    const el = $('error');
    el.textContent = text || '';
    el.hidden = !text;
  }

  function report(e) {
    if (!(e instanceof ApiError && (e.status === 401 || e.status === 403))) {
      showError(e instanceof ApiError ? e.code + ': ' + e.message : String(e));
    }
  }

  $('token-form').addEventListener('submit', (ev) => {
    ev.preventDefault();
    token = $('token').value.trim();
    sessionStorage.setItem(TOKEN_KEY, token);
    $('token').value = '';
    $('token-form').hidden = true;
    showError('');
    poll();
    enter(currentView());
  });

  // ---- formatting -----------------------------------------------------------------------------

  function num(n) {
    return n == null ? '' : Number(n).toLocaleString('en-US');
  }

  function bytesText(n) {
    if (n < 1024) return n + ' B';
    if (n < 1048576) return (n / 1024).toFixed(1) + ' KiB';
    return (n / 1048576).toFixed(1) + ' MiB';
  }

  function ms(millis) {
    if (millis == null) return 'never';
    if (millis <= 0) return 'expired';
    const s = Math.floor(millis / 1000);
    if (s < 60) return (millis / 1000).toFixed(1) + 's';
    if (s < 3600) return Math.floor(s / 60) + 'm' + String(s % 60).padStart(2, '0') + 's';
    return Math.floor(s / 3600) + 'h' + String(Math.floor(s / 60) % 60).padStart(2, '0') + 'm';
  }

  const strictUtf8 = new TextDecoder('utf-8', { fatal: true });
  const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/;

  /** A payload as text in quotes when it is printable UTF-8, else its length and base64. */
  function payload(b64) {
    const raw = atob(b64 || '');
    const bytes = new Uint8Array(raw.length);
    for (let i = 0; i < raw.length; i++) bytes[i] = raw.charCodeAt(i);
    try {
      const text = strictUtf8.decode(bytes);
      if (!CONTROL.test(text)) return JSON.stringify(text);
    } catch (e) {
      // not UTF-8
    }
    return bytes.length + ' bytes base64:' + b64;
  }

  function el(tag, text, cls) {
    const e = document.createElement(tag);
    if (text != null) e.textContent = text;
    if (cls) e.className = cls;
    return e;
  }

  function row(cells) {
    const tr = document.createElement('tr');
    for (const c of cells) {
      if (c instanceof Node) {
        const td = document.createElement('td');
        td.appendChild(c);
        tr.appendChild(td);
      } else {
        tr.appendChild(el('td', c == null ? '' : String(c), typeof c === 'number' ? 'num' : null));
      }
    }
    return tr;
  }

  const escapeXml = (s) => String(s).replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]);

  // ---- charts: hand-drawn SVG --------------------------------------------------------------------

  /**
   * Draws series of numbers (null: no value) as lines over the same x positions, with the y axis
   * from 0 to the largest value.
   */
  function chart(container, series, unit) {
    const W = 300;
    const H = 120;
    const PAD = 14;
    let max = 0;
    let length = 0;
    for (const s of series) {
      length = Math.max(length, s.values.length);
      for (const v of s.values) if (v != null && v > max) max = v;
    }
    const top = max > 0 ? niceCeiling(max) : 1;
    const x = (i) => (length <= 1 ? W : (i / (length - 1)) * W);
    const y = (v) => PAD + (H - PAD) * (1 - v / top);
    let svg = '<svg viewBox="0 0 ' + W + ' ' + (H + 2) + '" preserveAspectRatio="none" role="img">';
    svg += '<line class="axis" x1="0" y1="' + y(0) + '" x2="' + W + '" y2="' + y(0) + '"></line>';
    svg += '<line class="axis" x1="0" y1="' + y(top) + '" x2="' + W + '" y2="' + y(top) + '"></line>';
    svg += '<text x="2" y="10">' + escapeXml(short(top) + (unit || '')) + '</text>';
    series.forEach((s, k) => {
      let points = [];
      const flush = () => {
        if (points.length === 1) points.push(points[0]); // a lone value still shows, as a dot
        if (points.length > 0) {
          svg += '<polyline class="s' + (k % 6) + '" vector-effect="non-scaling-stroke" points="'
            + points.join(' ') + '"></polyline>';
        }
        points = [];
      };
      s.values.forEach((v, i) => {
        if (v == null) flush();
        else points.push(x(i + length - s.values.length).toFixed(1) + ',' + y(v).toFixed(1));
      });
      flush();
    });
    svg += '</svg>';
    let legend = '<div class="legend">';
    series.forEach((s, k) => {
      legend += '<span><i class="s' + (k % 6) + '"></i>' + escapeXml(s.name) + '</span>';
    });
    container.innerHTML = svg + legend + '</div>';
  }

  function niceCeiling(v) {
    const p = Math.pow(10, Math.floor(Math.log10(v)));
    for (const m of [1, 2, 2.5, 5, 10]) if (v <= m * p) return m * p;
    return 10 * p;
  }

  function short(v) {
    if (v >= 1e6) return (v / 1e6).toFixed(1).replace(/\.0$/, '') + 'M';
    if (v >= 1e3) return (v / 1e3).toFixed(1).replace(/\.0$/, '') + 'k';
    return v >= 10 ? v.toFixed(0) : String(Number(v.toPrecision(2)));
  }

  // ---- overview: types, stats history and charts ---------------------------------------------

  const history = []; // {t, turns, failed: {reason: n}, latency}
  let modules = {}; // type -> sha256

  async function poll() {
    try {
      const health = await (await fetch('/health', { cache: 'no-store' })).json();
      const badge = $('health');
      badge.textContent = health.status;
      badge.className = 'badge ' + (health.status === 'up' ? 'up' : 'down');
    } catch (e) {
      $('health').textContent = 'unreachable';
      $('health').className = 'badge down';
    }
    try {
      const [stats, types] = await Promise.all([getJson('/v1/stats'), getJson('/v1/types')]);
      modules = {};
      for (const t of types.types) modules[t.type] = t.sha256;
      record(stats);
      if (currentView() === 'overview') {
        renderTypes(stats);
        renderCharts();
      }
    } catch (e) {
      report(e);
    }
  }

  function record(stats) {
    const failed = {};
    for (const t of stats.types) {
      for (const [reason, n] of Object.entries(t.failed)) failed[reason] = (failed[reason] || 0) + n;
    }
    history.push({ t: performance.now(), turns: stats.node.turns, failed, latency: stats.latency });
    if (history.length > HISTORY + 1) history.shift();
  }

  function renderTypes(stats) {
    const body = $('types').tBodies[0];
    body.replaceChildren();
    for (const t of stats.types) {
      const failed = Object.values(t.failed).reduce((a, b) => a + b, 0);
      body.appendChild(row([t.type, t.version, (modules[t.type] || '').slice(0, 12),
        t.activeActors, t.storedActors, bytesText(t.stateBytes), t.turns, failed]));
    }
    $('types-empty').hidden = stats.types.length > 0;
  }

  /** The per-interval rates of the history: one value per pair of consecutive polls. */
  function intervals() {
    const out = [];
    for (let i = 1; i < history.length; i++) {
      const a = history[i - 1];
      const b = history[i];
      const dt = (b.t - a.t) / 1000;
      const failures = {};
      for (const reason of Object.keys(b.failed)) {
        failures[reason] = Math.max(0, (b.failed[reason] - (a.failed[reason] || 0)) / dt);
      }
      out.push({ rate: Math.max(0, (b.turns - a.turns) / dt), failures, ...latencyBetween(a.latency, b.latency) });
    }
    return out;
  }

  /** Mean and 99th-percentile bound (the histogram bucket it falls in), in ms, between two polls. */
  function latencyBetween(a, b) {
    if (!a || !b || b.count <= a.count) return { mean: null, p99: null };
    const count = b.count - a.count;
    const mean = ((b.sumSeconds - a.sumSeconds) / count) * 1000;
    let p99 = null;
    const before = new Map(a.buckets.map(([le, n]) => [le, n]));
    for (const [le, n] of b.buckets) {
      if (n - (before.get(le) || 0) >= 0.99 * count) {
        p99 = le * 1000;
        break;
      }
    }
    return { mean, p99 };
  }

  function renderCharts() {
    const iv = intervals();
    const last = iv[iv.length - 1];
    chart($('chart-turns'), [{ name: 'turns/s', values: iv.map((p) => p.rate) }]);
    $('now-rate').textContent = last ? short(last.rate) + '/s' : '';
    chart($('chart-latency'), [
      { name: 'mean', values: iv.map((p) => p.mean) },
      { name: 'p99 ≤', values: iv.map((p) => p.p99) },
    ], ' ms');
    $('now-latency').textContent = last && last.mean != null ? last.mean.toFixed(3) + ' ms' : '';
    const reasons = new Set();
    for (const p of iv) for (const [r, v] of Object.entries(p.failures)) if (v > 0) reasons.add(r);
    const series = [...reasons].sort().map((r) => ({ name: r, values: iv.map((p) => p.failures[r] || 0) }));
    chart($('chart-failures'), series.length ? series : [{ name: 'none', values: iv.map(() => 0) }]);
    const total = last ? Object.values(last.failures).reduce((x, y) => x + y, 0) : 0;
    $('now-failures').textContent = last ? short(total) + '/s' : '';
  }

  // ---- actors: paged list, state with remaining TTLs -------------------------------------------

  let actorOffset = 0;
  let stateTimer = null;

  async function loadTypesInto(select) {
    const types = (await getJson('/v1/types')).types.map((t) => t.type);
    const chosen = select.value;
    select.replaceChildren(...types.map((t) => el('option', t)));
    if (types.includes(chosen)) select.value = chosen;
    return types;
  }

  async function enterActors() {
    const types = await loadTypesInto($('actor-type'));
    if (types.length) await loadActors();
  }

  async function loadActors() {
    const type = $('actor-type').value;
    const page = await getJson('/v1/actors/' + enc(type) + '?offset=' + actorOffset + '&limit=' + PAGE);
    const list = $('actor-list');
    list.replaceChildren();
    for (const id of page.actors) {
      const a = el('a', id);
      a.href = '#actors';
      a.addEventListener('click', (ev) => {
        ev.preventDefault();
        showState(type, id).catch(report);
      });
      const li = el('li');
      li.appendChild(a);
      list.appendChild(li);
    }
    $('actors-page').textContent = page.actors.length
      ? (actorOffset + 1) + '–' + (actorOffset + page.actors.length)
      : 'no actor with state';
    $('actors-prev').disabled = actorOffset === 0;
    $('actors-next').disabled = page.actors.length < PAGE;
  }

  async function showState(type, id) {
    const state = await getJson('/v1/actors/' + enc(type) + '/' + enc(id) + '/state');
    const fetched = performance.now();
    $('actor-state').hidden = false;
    $('state-title').textContent = state.address;
    $('state-meta').textContent = 'actor TTL ' + (state.remainingTtl == null ? 'never' : ms(state.remainingTtlMs))
      + ' · timers ' + state.pendingTimers + ' · subscriptions ' + (state.subscriptions.join(', ') || 'none');
    const body = $('state-entries').tBodies[0];
    body.replaceChildren();
    const countdowns = [];
    for (const [key, entry] of Object.entries(state.entries)) {
      // A key without a TTL of its own lives as long as the actor.
      const own = entry.remainingTtlMs != null;
      const ttl = el('td', '', 'num');
      const value = el('td', entry.utf8 != null ? entry.utf8 : 'base64:' + entry.base64, 'wrap');
      const tr = row([key]);
      tr.append(value, ttl);
      body.appendChild(tr);
      countdowns.push([ttl, own ? entry.remainingTtlMs : state.remainingTtlMs, own ? '' : ' (actor)']);
    }
    // The remaining TTLs count down on the page between loads.
    const tick = () => {
      const passed = performance.now() - fetched;
      for (const [cell, left, whose] of countdowns) {
        cell.textContent = (left == null ? 'never' : ms(left - passed)) + whose;
      }
    };
    tick();
    clearInterval(stateTimer);
    stateTimer = setInterval(tick, 1000);
  }

  $('actor-type').addEventListener('change', () => {
    actorOffset = 0;
    loadActors().catch(report);
  });
  $('actors-prev').addEventListener('click', () => {
    actorOffset = Math.max(0, actorOffset - PAGE);
    loadActors().catch(report);
  });
  $('actors-next').addEventListener('click', () => {
    actorOffset += PAGE;
    loadActors().catch(report);
  });

  // ---- topics: a server-sent event stream read with fetch (it carries the bearer header) ----

  let tail = null;

  async function startTail(filter) {
    stopTail();
    const controller = new AbortController();
    tail = controller;
    $('tail-start').disabled = true;
    $('tail-stop').disabled = false;
    $('tail-status').textContent = 'connecting…';
    const path = '/v1/topics/' + filter.split('/').map(enc).join('/') + '/events';
    try {
      const headers = token ? { Authorization: 'Bearer ' + token } : {};
      const res = await fetch(path, { headers, signal: controller.signal, cache: 'no-store' });
      if (!res.ok) {
        const err = await res.json().catch(() => ({}));
        const error = new ApiError(res.status, err.error || 'http_' + res.status, err.message || res.statusText);
        if (res.status === 401 || res.status === 403) askForToken(error);
        throw error;
      }
      const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
      let buffer = '';
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        buffer += value;
        let end;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          handleEvent(buffer.slice(0, end));
          buffer = buffer.slice(end + 2);
        }
      }
      $('tail-status').textContent = 'stream ended';
    } catch (e) {
      if (e.name !== 'AbortError') {
        $('tail-status').textContent = 'stopped';
        report(e);
      }
    } finally {
      if (tail === controller) {
        tail = null;
        $('tail-start').disabled = false;
        $('tail-stop').disabled = true;
      }
    }
  }

  function handleEvent(block) {
    let event = 'message';
    let data = '';
    for (const line of block.split('\n')) {
      if (line.startsWith(':subscribed')) $('tail-status').textContent = 'subscribed to ' + line.slice(12);
      else if (line.startsWith('event:')) event = line.slice(6).trim();
      else if (line.startsWith('data:')) data += line.slice(5);
    }
    if (!data) return;
    const body = JSON.parse(data);
    if (event === 'closed') {
      $('tail-status').textContent = 'closed: ' + body.reason;
      return;
    }
    const li = el('li', new Date().toISOString().slice(11, 23) + '  ' + body.topic + '  '
      + (body.publisher || 'outside') + '  ' + (body.utf8 != null ? JSON.stringify(body.utf8) : payload(body.base64)));
    const list = $('tail-events');
    list.prepend(li);
    while (list.children.length > TAIL_MAX) list.lastChild.remove();
  }

  function stopTail() {
    if (tail) {
      tail.abort();
      tail = null;
      $('tail-status').textContent = 'stopped';
    }
    $('tail-start').disabled = false;
    $('tail-stop').disabled = true;
  }

  $('tail-form').addEventListener('submit', (ev) => {
    ev.preventDefault();
    startTail($('tail-filter').value.trim() || '#');
  });
  $('tail-stop').addEventListener('click', stopTail);

  // ---- recordings: switch, kept turns, replay and the diff ---------------------------------------

  async function enterRecordings() {
    const [status, types] = await Promise.all([getJson('/v1/recordings'), getJson('/v1/types')]);
    const byType = new Map(status.types.map((s) => [s.type, s]));
    const body = $('rec-types').tBodies[0];
    body.replaceChildren();
    for (const t of types.types) {
      const s = byType.get(t.type) || { wholeType: false, actors: [], turns: 0, bytes: 0, dropped: 0 };
      const toggle = el('button', s.wholeType ? 'on' : 'off', s.wholeType ? 'on' : null);
      toggle.type = 'button';
      toggle.dataset.type = t.type;
      toggle.addEventListener('click', () => {
        api(s.wholeType ? 'DELETE' : 'PUT', '/v1/recordings/' + enc(t.type))
          .then(enterRecordings).catch(report);
      });
      body.appendChild(row([t.type, toggle, s.actors.join(' ') || '—', s.turns, bytesText(s.bytes), s.dropped]));
    }
  }

  /** The actor field as [type, id]; id is null for a whole type. */
  function recActor() {
    const text = $('rec-actor').value.trim();
    const slash = text.indexOf('/');
    if (!text) throw new Error('enter an actor as type/id (or a type)');
    return slash < 0 ? [text, null] : [text.slice(0, slash), text.slice(slash + 1)];
  }

  function recPath(type, id) {
    return '/v1/recordings/' + enc(type) + (id == null ? '' : '/' + enc(id));
  }

  async function switchRecording(on) {
    const [type, id] = recActor();
    await api(on ? 'PUT' : 'DELETE', recPath(type, id));
    await enterRecordings();
  }

  async function showTurns() {
    const [type, id] = recActor();
    const recording = await getJson(recPath(type, id) + '?modules=false');
    enterRecordings().catch(report); // the counts of kept turns move too
    const list = $('rec-turns');
    list.replaceChildren();
    const seen = {};
    recording.turns.forEach((turn) => {
      // The replay route numbers an actor's kept turns from 1, oldest first.
      const n = (seen[turn.address] = (seen[turn.address] || 0) + 1);
      const li = el('li');
      const head = el('div', null, 'head');
      head.appendChild(el('span', turn.address + ' #' + n + '  ' + turn.message.kind + ' '
        + payload(turn.message.payload) + '  → ' + outcome(turn)));
      const button = el('button', 'Replay');
      button.type = 'button';
      button.className = 'replay';
      button.addEventListener('click', () => replay(turn.address, n).catch(report));
      head.appendChild(button);
      li.appendChild(head);
      li.appendChild(el('pre', effectsText(turn)));
      list.appendChild(li);
    });
    if (!recording.turns.length) list.appendChild(el('li', 'no kept turn (switch recording on, then send messages)'));
  }

  async function replay(address, n) {
    const slash = address.indexOf('/');
    const file = $('rec-module').files[0];
    const body = file ? await file.arrayBuffer() : undefined;
    const path = recPath(address.slice(0, slash), address.slice(slash + 1)) + '/replay?turn=' + n;
    const result = await (await api('POST', path, body, 'application/wasm')).json();
    $('diff').hidden = false;
    $('diff-title').textContent = 'turn ' + result.turn + ' of ' + result.turns + ' of ' + result.actor
      + ' replayed on ' + (file ? file.name : 'the module that ran it');
    const verdict = $('diff-verdict');
    verdict.textContent = result.reproduced ? 'reproduced exactly' : 'differs from the recording';
    verdict.className = result.reproduced ? 'ok' : 'bad';
    $('diff-lines').replaceChildren(...result.differences.map((d) => el('li', d)));
    $('diff-recorded').textContent = turnText(result.recorded);
    $('diff-replayed').textContent = turnText(result.replayed);
    $('diff').scrollIntoView({ block: 'nearest' });
  }

  function outcome(turn) {
    return turn.failure ? 'failed (' + turn.failure.reason + ')' : 'committed';
  }

  function effectsText(turn) {
    return turn.effects.map(effect).join('\n') || '(no effect)';
  }

  function effect(e) {
    switch (e.kind) {
      case 'send': return 'send ' + e.to + ' ' + payload(e.payload);
      case 'ask': return 'ask ' + e.to + ' ' + payload(e.payload) + ' (correlation ' + e.correlationId + ')';
      case 'reply': return 'reply ' + payload(e.payload);
      case 'publish': return 'publish ' + e.topic + ' ' + payload(e.payload);
      case 'set_timer': return 'set timer ' + e.timerId + ' in ' + e.delayMillis + 'ms ' + payload(e.payload);
      case 'cancel_timer': return 'cancel timer ' + e.timerId;
      case 'subscribe': return 'subscribe ' + e.filter;
      case 'unsubscribe': return 'unsubscribe ' + e.filter;
      case 'log': return 'log ' + e.text;
      default: return e.kind;
    }
  }

  function stateText(state) {
    if (!state) return '  (none)';
    const lines = Object.entries(state.entries).map(([k, v]) => '  ' + k + ' = ' + payload(v.value));
    return lines.join('\n') || '  (empty)';
  }

  function turnText(turn) {
    return turn.message.kind + ' ' + payload(turn.message.payload) + '\n'
      + 'outcome: ' + outcome(turn) + (turn.failure ? ' ' + turn.failure.message : '') + '\n'
      + 'state after:\n' + stateText(turn.after) + '\n'
      + 'effects:\n' + turn.effects.map((e) => '  ' + effect(e)).join('\n');
  }

  $('rec-on').addEventListener('click', () => switchRecording(true).catch(report));
  $('rec-off').addEventListener('click', () => switchRecording(false).catch(report));
  $('rec-form').addEventListener('submit', (ev) => {
    ev.preventDefault();
    showTurns().catch(report);
  });

  // ---- traces --------------------------------------------------------------------------------------

  async function enterTraces() {
    let list;
    try {
      list = await getJson('/v1/traces?limit=20');
    } catch (e) {
      if (e instanceof ApiError && e.status === 404 && e.code === 'not_found') {
        $('traces-off').hidden = false;
        $('trace-list').hidden = true;
        return;
      }
      throw e;
    }
    $('traces-off').hidden = true;
    $('trace-list').hidden = false;
    const body = $('trace-list').tBodies[0];
    body.replaceChildren();
    for (const t of list.traces) {
      const open = el('button', 'spans');
      open.type = 'button';
      open.addEventListener('click', () => showTrace(t.traceId).catch(report));
      const tr = row([t.traceId.slice(0, 16), t.root, new Date(t.startEpochMs).toISOString().slice(11, 23),
        (t.durationMicros / 1000).toFixed(3) + ' ms', t.spans, open]);
      if (t.error) tr.className = 'bad';
      body.appendChild(tr);
    }
  }

  async function showTrace(id) {
    const trace = await getJson('/v1/traces/' + enc(id));
    $('trace-spans').hidden = false;
    $('trace-title').textContent = 'trace ' + trace.traceId;
    const spans = trace.spans;
    const start = Math.min(...spans.map((s) => s.startEpochMicros));
    const end = Math.max(...spans.map((s) => s.startEpochMicros + s.durationMicros));
    const total = Math.max(1, end - start);
    const byId = new Map(spans.map((s) => [s.spanId, s]));
    const depth = (s) => {
      let d = 0;
      for (let p = byId.get(s.parentSpanId); p && d < 32; p = byId.get(p.parentSpanId)) d++;
      return d;
    };
    const rows = spans.slice().sort((a, b) => a.startEpochMicros - b.startEpochMicros).map((s) => {
      const r = el('div', null, 'span-row');
      const name = el('div', '\u00a0'.repeat(2 * depth(s)) + s.name + (s.actor ? ' ' + s.actor : '')
        + ' · ' + (s.durationMicros / 1000).toFixed(3) + ' ms', 'name');
      name.title = s.kind + ' ' + s.status + ' ' + JSON.stringify(s.attributes || {});
      const bar = el('div');
      const x = ((s.startEpochMicros - start) / total) * 100;
      const w = Math.max(0.5, (s.durationMicros / total) * 100);
      bar.innerHTML = '<svg viewBox="0 0 100 10" preserveAspectRatio="none"><rect x="' + x.toFixed(2)
        + '" y="1" width="' + w.toFixed(2) + '" height="8"' + (String(s.status).toLowerCase() === 'error' ? ' class="error"' : '')
        + '></rect></svg>';
      r.append(name, bar);
      return r;
    });
    $('trace-waterfall').replaceChildren(...rows);
  }

  // ---- views -------------------------------------------------------------------------------------

  const VIEWS = {
    overview: async () => renderCharts(),
    actors: enterActors,
    topics: async () => {},
    recordings: enterRecordings,
    traces: enterTraces,
  };

  function currentView() {
    const name = location.hash.slice(1);
    return Object.hasOwn(VIEWS, name) ? name : 'overview';
  }

  function enter(name) {
    for (const section of document.querySelectorAll('.view')) section.hidden = section.id !== name;
    for (const a of document.querySelectorAll('nav a')) a.classList.toggle('active', a.dataset.view === name);
    if (name !== 'topics') stopTail();
    VIEWS[name]().catch(report);
  }

  window.addEventListener('hashchange', () => enter(currentView()));
  enter(currentView());
  poll();
  setInterval(() => {
    if (!document.hidden) poll();
  }, POLL_MS);
})();
