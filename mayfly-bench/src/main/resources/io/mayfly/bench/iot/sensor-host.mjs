// The IoT workload's Node.js/V8 peer: runs the sensor actor (sensor.wasm) with
// WebAssembly.instantiate on this one thread. The Mayfly host functions it imports are written
// here in JavaScript after docs/abi.md, and the actors' state lives in a JavaScript Map keyed by
// actor id. A turn is atomic as in Mayfly: its state writes, publications and reply take effect
// when mayfly_handle returns 0.
//
//   node sensor-host.mjs MODULE.wasm TABLE.bin
//
// TABLE.bin holds the readings of the timed runs (written by V8Host.java). Commands arrive one JSON
// object per line on standard input; each gets one JSON line on standard output, {"ok": ...} or
// {"error": "..."} (after which the host exits with status 2). The host exits when its input ends.
import { readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { performance } from 'node:perf_hooks';

const TELL = 0;
const ASK = 1;
const WINDOW = 32;
const READING_BYTES = 64;
const NO_REQUEST = -4;
const INVALID_ARGUMENT = -6;
const CHUNK = 1024;

function answer(object) {
  process.stdout.write(JSON.stringify(object) + '\n');
}

function die(message) {
  answer({ error: message });
  process.exit(2);
}

// ---- the guest and its memory ----------------------------------------------------------------

let guest = null; // the instance's exports
let memory = null;
let bytes = new Uint8Array(0);

/** The guest's memory; a new view after memory.grow (which detaches the old buffer). */
function mem() {
  if (bytes.byteLength === 0) {
    bytes = new Uint8Array(memory.buffer);
  }
  return bytes;
}

/** A (ptr, len) buffer argument; one outside memory traps the turn, as in Mayfly. */
function view(ptr, len) {
  ptr >>>= 0;
  len >>>= 0;
  const m = mem();
  if (ptr + len > m.length) {
    throw new WebAssembly.RuntimeError(`buffer ${ptr}+${len} lies outside memory`);
  }
  return m.subarray(ptr, ptr + len);
}

const utf8 = new TextDecoder('utf-8', { fatal: true });
const encoder = new TextEncoder();

/** A key, address or topic: UTF-8, 1 to 256 bytes; null if it is not. */
function text(ptr, len) {
  ptr >>>= 0;
  len >>>= 0;
  if (len === 0 || len > 256) {
    return null;
  }
  const m = mem();
  if (ptr + len > m.length) {
    throw new WebAssembly.RuntimeError(`buffer ${ptr}+${len} lies outside memory`);
  }
  let s = '';
  for (let i = ptr; i < ptr + len; i++) {
    if (m[i] >= 0x80) {
      try {
        return utf8.decode(m.subarray(ptr, ptr + len));
      } catch {
        return null;
      }
    }
    s += String.fromCharCode(m[i]);
  }
  return s;
}

/** A packed (ptr << 32 | len) result in a buffer from the guest's mayfly_alloc; 0 when empty. */
function packed(value) {
  const len = value.length;
  if (len === 0) {
    return 0n;
  }
  const ptr = guest.mayfly_alloc(len) >>> 0;
  if (ptr === 0) {
    throw new WebAssembly.RuntimeError('mayfly_alloc returned 0: the guest is out of memory');
  }
  mem().set(value, ptr);
  return (BigInt(ptr) << 32n) | BigInt(len);
}

// ---- the current turn ------------------------------------------------------------------------

const states = new Map(); // actor id -> Map(key -> Uint8Array)
let actorId = '';
let actorState; // the actor's committed state, or undefined
let kind = TELL;
let turnMillis = -1;

// State values are Uint8Arrays taken from a pool by length and given back when replaced: in V8 an
// ArrayBuffer lives outside the JavaScript heap and allocating one costs more than the rest of a
// turn. A turn's writes are copied into pooled arrays at once (the guest may reuse its memory) and
// put into the actor's Map when it commits. Publications and the reply, rarer, are copied into one
// scratch buffer emptied every turn.
const pool = new Map(); // length -> arrays of that length, free
const writeKeys = []; // this turn's state writes; reads see them
const writeValues = []; // the pooled array, or null: deleted

function take(len) {
  const free = pool.get(len);
  return free !== undefined && free.length > 0 ? free.pop() : new Uint8Array(len);
}

function give(array) {
  let free = pool.get(array.length);
  if (free === undefined) {
    free = [];
    pool.set(array.length, free);
  }
  free.push(array);
}

let scratch = new Uint8Array(4096);
let scratchUsed = 0;
const publishTopics = [];
const publishStarts = [];
const publishLengths = [];
let replyStart = -1; // -1: not replied
let replyLength = 0;

/** Copies guest bytes into scratch; returns where they start. */
function keep(ptr, len) {
  const b = view(ptr, len);
  if (scratchUsed + b.length > scratch.length) {
    const bigger = new Uint8Array(Math.max(2 * scratch.length, scratchUsed + b.length));
    bigger.set(scratch.subarray(0, scratchUsed));
    scratch = bigger;
  }
  const start = scratchUsed;
  scratch.set(b, start);
  scratchUsed += b.length;
  return start;
}

function kept(start, len) {
  return scratch.subarray(start, start + len);
}

function staged(key) {
  for (let i = writeKeys.length - 1; i >= 0; i--) {
    if (writeKeys[i] === key) {
      return i;
    }
  }
  return -1;
}

/** The value of a key as this turn sees it; undefined when absent. */
function currentValue(key) {
  const i = staged(key);
  if (i >= 0) {
    return writeValues[i] === null ? undefined : writeValues[i];
  }
  return actorState === undefined ? undefined : actorState.get(key);
}

function stage(key, value) {
  const i = staged(key);
  if (i < 0) {
    writeKeys.push(key);
    writeValues.push(value);
    return;
  }
  if (writeValues[i] !== null) {
    give(writeValues[i]);
  }
  writeValues[i] = value;
}

/** Gives back the arrays of a turn that does not commit. */
function discardWrites() {
  for (const value of writeValues) {
    if (value !== null) {
      give(value);
    }
  }
}

/** The host functions this host implements, by import name (namespace "mayfly"). */
const HOST = {
  self: () => packed(encoder.encode(actorId)),
  sender: () => -1n,
  message_kind: () => kind,
  correlation_id: () => 0n,
  reply_status: () => 0,
  topic: () => -1n,
  now_ms: () => {
    if (turnMillis < 0) {
      turnMillis = Date.now(); // read once per turn
    }
    return BigInt(turnMillis);
  },
  log: (level, ptr, len) => {
    view(ptr, len); // checked, then dropped: this host prints nothing
  },
  state_get: (kptr, klen) => {
    const key = text(kptr, klen);
    if (key === null) {
      return BigInt(INVALID_ARGUMENT);
    }
    const value = currentValue(key);
    return value === undefined ? -1n : packed(value);
  },
  state_put: (kptr, klen, vptr, vlen) => {
    const key = text(kptr, klen);
    if (key === null) {
      return INVALID_ARGUMENT;
    }
    const value = take(vlen >>> 0);
    value.set(view(vptr, vlen));
    stage(key, value);
    return 0;
  },
  state_delete: (kptr, klen) => {
    const key = text(kptr, klen);
    if (key === null) {
      return INVALID_ARGUMENT;
    }
    const existed = currentValue(key) !== undefined;
    stage(key, null);
    return existed ? 1 : 0;
  },
  reply: (mptr, mlen) => {
    if (kind !== ASK || replyStart >= 0) {
      return NO_REQUEST;
    }
    replyStart = keep(mptr, mlen);
    replyLength = mlen >>> 0;
    return 0;
  },
  publish: (tptr, tlen, mptr, mlen) => {
    const topic = text(tptr, tlen);
    if (topic === null || topic.includes('+') || topic.includes('#')) {
      return INVALID_ARGUMENT;
    }
    publishTopics.push(topic);
    publishStarts.push(keep(mptr, mlen));
    publishLengths.push(mlen >>> 0);
    return 0;
  },
};

// What the current command does with a committed turn's publications and replies.
let onPublish = (topic, payload) => {};
let onReply = (payload) => {};
let failures = 0;
let firstFailure = null;

function failed(message) {
  failures++;
  if (firstFailure === null) {
    firstFailure = message;
  }
}

/** One turn: the message to actor `id`; its effects are committed if the handler returns 0. */
function turn(id, messageKind, payload) {
  actorId = id;
  actorState = states.get(id);
  kind = messageKind;
  turnMillis = -1;
  scratchUsed = 0;
  writeKeys.length = 0;
  writeValues.length = 0;
  publishTopics.length = 0;
  publishStarts.length = 0;
  publishLengths.length = 0;
  replyStart = -1;
  const ptr = guest.mayfly_alloc(payload.length) >>> 0;
  if (ptr === 0 && payload.length > 0) {
    failed(`${id}: mayfly_alloc returned 0 for the payload`);
    return;
  }
  mem().set(payload, ptr);
  const rc = guest.mayfly_handle(ptr, payload.length);
  if (rc !== 0) {
    discardWrites();
    failed(`${id} returned error code ${rc}`);
    return;
  }
  if (writeKeys.length > 0) {
    commitState(id);
  }
  for (let i = 0; i < publishTopics.length; i++) {
    onPublish(publishTopics[i], kept(publishStarts[i], publishLengths[i]));
  }
  if (kind === ASK) {
    if (replyStart >= 0) {
      onReply(kept(replyStart, replyLength));
    } else {
      failed(`${id} finished an ask without replying`);
    }
  }
}

/** Applies the turn's state writes; the arrays they replace go back to the pool. */
function commitState(id) {
  if (actorState === undefined) {
    actorState = new Map();
    states.set(id, actorState);
  }
  for (let i = 0; i < writeKeys.length; i++) {
    const old = actorState.get(writeKeys[i]);
    if (writeValues[i] === null) {
      actorState.delete(writeKeys[i]);
    } else {
      actorState.set(writeKeys[i], writeValues[i]);
    }
    if (old !== undefined) {
      give(old);
    }
  }
  if (actorState.size === 0) {
    states.delete(id);
  }
}

function float64(b, offset) {
  return new DataView(b.buffer, b.byteOffset, b.byteLength).getFloat64(offset, true);
}

// ---- loading ---------------------------------------------------------------------------------

async function load(modulePath) {
  const module = new WebAssembly.Module(readFileSync(modulePath));
  const imports = { mayfly: {} };
  for (const i of WebAssembly.Module.imports(module)) {
    if (i.module !== 'mayfly' || i.kind !== 'function' || !(i.name in HOST)) {
      die(
        `the module imports ${i.module}.${i.name} (${i.kind}), which this host does not` +
          ` implement; it implements mayfly.${Object.keys(HOST).join(', mayfly.')}`,
      );
    }
    imports.mayfly[i.name] = HOST[i.name];
  }
  const instance = await WebAssembly.instantiate(module, imports);
  guest = instance.exports;
  for (const name of ['memory', 'mayfly_abi_version', 'mayfly_alloc', 'mayfly_handle']) {
    if (!(name in guest)) {
      die(`the module does not export ${name}`);
    }
  }
  if (guest.mayfly_abi_version() !== 1) {
    die(`the module is built for ABI version ${guest.mayfly_abi_version()}; this host speaks 1`);
  }
  memory = guest.memory;
  if (typeof guest._initialize === 'function') {
    guest._initialize();
  }
  return WebAssembly.Module.imports(module).map((i) => i.name);
}

/** A table file: "IOTT", u32 entries, then per entry u32 kind and a 64-byte reading. */
function readTable(path) {
  const b = readFileSync(path);
  const d = new DataView(b.buffer, b.byteOffset, b.byteLength);
  if (b.toString('latin1', 0, 4) !== 'IOTT') {
    die(`${path} is not a table of readings`);
  }
  const entries = d.getUint32(4, true);
  const table = { mask: entries - 1, ask: new Uint8Array(entries), reading: new Array(entries) };
  for (let e = 0, off = 8; e < entries; e++, off += 4 + READING_BYTES) {
    table.ask[e] = d.getUint32(off, true);
    table.reading[e] = new Uint8Array(b.buffer, b.byteOffset + off + 4, READING_BYTES);
  }
  return table;
}

/** A verification file: "IOTV", u32 sensors, u32 messages, then u32 sensor, u32 kind, reading. */
function readVerification(path) {
  const b = readFileSync(path);
  const d = new DataView(b.buffer, b.byteOffset, b.byteLength);
  if (b.toString('latin1', 0, 4) !== 'IOTV') {
    die(`${path} is not a verification stream`);
  }
  const sensors = d.getUint32(4, true);
  const count = d.getUint32(8, true);
  const messages = [];
  for (let k = 0, off = 12; k < count; k++, off += 8 + READING_BYTES) {
    messages.push({
      sensor: d.getUint32(off, true),
      kind: d.getUint32(off + 4, true),
      reading: new Uint8Array(b.buffer, b.byteOffset + off + 8, READING_BYTES),
    });
  }
  return { sensors, messages };
}

// ---- the commands ----------------------------------------------------------------------------

const ids = []; // actor ids of the timed sensors, "sensor/<i>"
let table = null;
let next = 0; // the next entry of the table
let filled = 0;
let timedAlerts = 0;

function verify(command) {
  const stream = readVerification(command.file);
  const prefix = 'sensor/v';
  for (let s = 0; s < stream.sensors; s++) {
    states.delete(prefix + s); // fresh sensors
  }
  const alerts = [];
  const replies = [];
  let current = null;
  onPublish = (topic, payload) => {
    if (topic !== 'alerts/v' + current.sensor || payload.length !== 16) {
      failed(`unexpected publication of ${payload.length} bytes on ${topic}`);
      return;
    }
    alerts.push([current.sensor, float64(payload, 0), float64(payload, 8)]);
  };
  let k = 0;
  onReply = (payload) => {
    if (payload.length !== 16) {
      failed(`a reply of ${payload.length} bytes`);
      return;
    }
    replies.push([current.sensor, k, float64(payload, 0), float64(payload, 8)]);
  };
  for (k = 0; k < stream.messages.length; k++) {
    current = stream.messages[k];
    turn(prefix + current.sensor, current.kind, current.reading);
  }
  return { alerts, replies };
}

function timedHandlers() {
  onPublish = () => {
    timedAlerts++;
  };
  onReply = () => {};
}

function fill(sensors) {
  timedHandlers();
  while (ids.length < sensors) {
    ids.push('sensor/' + ids.length);
  }
  for (; filled < sensors; filled++) {
    for (let r = 0; r < WINDOW; r++) {
      turn(ids[filled], TELL, table.reading[next++ & table.mask]);
    }
  }
}

/** Handles messages as fast as it can for `millis`; an ask's latency is its own turn. */
function run(sensors, millis, latencies) {
  const end = performance.now() + millis;
  let done = 0;
  let sensor = 0;
  do {
    for (let c = 0; c < CHUNK; c++) {
      const e = next++ & table.mask;
      const k = table.ask[e];
      if (k === ASK && latencies !== null) {
        const t = performance.now();
        turn(ids[sensor], ASK, table.reading[e]);
        latencies.push(Math.round((performance.now() - t) * 1e6));
      } else {
        turn(ids[sensor], k, table.reading[e]);
      }
      if (++sensor === sensors) {
        sensor = 0;
      }
    }
    done += CHUNK;
  } while (performance.now() < end);
  return done;
}

function saturate(command) {
  fill(command.sensors);
  run(command.sensors, command.warmUpMillis, null);
  const latencies = [];
  const cpu = process.cpuUsage();
  const start = performance.now();
  const turns = run(command.sensors, command.windowMillis, latencies);
  const elapsed = performance.now() - start;
  const used = process.cpuUsage(cpu);
  return {
    turns,
    nanos: Math.round(elapsed * 1e6),
    cpuNanos: (used.user + used.system) * 1000,
    latencies,
  };
}

/** Messages at a fixed rate; an ask's latency runs from its scheduled time to its turn's end. */
function paced(command) {
  fill(command.sensors);
  const interval = 1000 / command.perSecond;
  const total = Math.max(1, Math.floor((command.perSecond * command.millis) / 1000));
  const latencies = [];
  const start = performance.now();
  let sensor = 0;
  let j = 0;
  while (j < total) {
    const due = Math.min(total, Math.floor((performance.now() - start) / interval) + 1);
    for (; j < due; j++) {
      const e = next++ & table.mask;
      const k = table.ask[e];
      turn(ids[sensor], k, table.reading[e]);
      if (k === ASK) {
        latencies.push(Math.round((performance.now() - (start + j * interval)) * 1e6));
      }
      if (++sensor === command.sensors) {
        sensor = 0;
      }
    }
  }
  return { turns: total, latencies };
}

const COMMANDS = {
  verify,
  fill: (command) => {
    fill(command.sensors);
    return {};
  },
  saturate,
  paced,
};

function execute(line) {
  const command = JSON.parse(line);
  const run = COMMANDS[command.op];
  if (run === undefined) {
    die(`unknown command ${JSON.stringify(command.op)}`);
  }
  failures = 0;
  firstFailure = null;
  const result = run(command);
  if (failures > 0) {
    die(`${failures} turns failed; the first: ${firstFailure}`);
  }
  answer({ ok: command.op, ...result });
}

const [modulePath, tablePath] = process.argv.slice(2);
if (!modulePath || !tablePath) {
  die('usage: node sensor-host.mjs MODULE.wasm TABLE.bin');
}
try {
  const imports = await load(modulePath);
  table = readTable(tablePath);
  answer({ ok: 'ready', node: process.version, imports });
} catch (e) {
  die(`cannot load ${modulePath}: ${e.stack ?? e}`);
}
for await (const line of createInterface({ input: process.stdin })) {
  if (line.trim() === '') {
    continue;
  }
  try {
    execute(line);
  } catch (e) {
    die(e.stack ?? String(e));
  }
}
