// The page's main thread in a Chromium trace (CDP Tracing), for bench/demo-latency.js: how
// long its tasks ran, and which of them handled messages (a listener's events arrive from its
// Worker as messages; the demo draws a result's spectrogram in a MessageChannel task after
// the paint).
const CATEGORIES = ['devtools.timeline', 'disabled-by-default-devtools.timeline', 'toplevel', 'blink.user_timing'].join(',');

/** Starts tracing the page; returns stop() -> the trace events. */
export async function traceMainThread(page) {
  const client = await page.context().newCDPSession(page);
  const events = [];
  client.on('Tracing.dataCollected', ({ value }) => events.push(...value));
  await client.send('Tracing.start', { categories: CATEGORIES, transferMode: 'ReportEvents' });
  return async () => {
    const complete = new Promise((resolve) => client.once('Tracing.tracingComplete', resolve));
    await client.send('Tracing.end');
    await complete;
    await client.detach();
    return events;
  };
}

const FRAME = new Set(['FireAnimationFrame', 'UpdateLayoutTree', 'Layout', 'PrePaint', 'Paint', 'Layerize', 'Commit']);

/**
 * The page's main-thread top-level tasks: [{ start, dur, cpu (ms), kind }] in time order; kind
 * 'message' (a Worker's message: HandlePostMessage), 'frame' (animation frame callbacks,
 * style, layout, paint), or 'script' (anything else that ran script: timers, MessageChannel
 * messages), or 'other'.
 */
export function mainThreadTasks(events) {
  const best = pageMainThread(events);
  if (!best) return [];
  const own = events.filter((e) => e.pid === best.pid && e.tid === best.tid && e.ph === 'X' && typeof e.dur === 'number');
  const runs = own.filter((e) => e.name === 'RunTask').sort((a, b) => a.ts - b.ts);
  // Top level only (a task inside another's time is part of it).
  const top = [];
  for (const t of runs) if (!top.length || t.ts >= top.at(-1).ts + top.at(-1).dur) top.push(t);
  const inner = own.filter((e) => e.name === 'HandlePostMessage' || e.name === 'FunctionCall' || FRAME.has(e.name)).sort((a, b) => a.ts - b.ts);
  const tasks = [];
  let i = 0;
  for (const t of top) {
    while (i < inner.length && inner[i].ts < t.ts) i++;
    const names = new Set();
    for (let j = i; j < inner.length && inner[j].ts < t.ts + t.dur; j++) names.add(inner[j].name);
    const kind = names.has('HandlePostMessage') ? 'message' : [...FRAME].some((n) => names.has(n)) ? 'frame' : names.has('FunctionCall') ? 'script' : 'other';
    // cpu: the thread's own running time (tdur): on a shared machine a task's wall time also
    // counts the time the thread waited for a core.
    tasks.push({ start: t.ts / 1000, dur: t.dur / 1000, cpu: (t.tdur ?? t.dur) / 1000, kind });
  }
  return tasks;
}

/**
 * Where the main thread's CPU time went within `windows` ([{ from, to }] in ms, trace clock):
 * the self time (thread time minus that of the events nested in it) of every trace event
 * on the page's main thread, summed by event name: { name: ms }, largest first. FunctionCall
 * events are named by their function (args.data.functionName, url:line) so that script time
 * says whose it is.
 */
export function selfTimeByEvent(events, windows) {
  const main = pageMainThread(events);
  if (!main) return {};
  const own = events.filter((e) => e.pid === main.pid && e.tid === main.tid && e.ph === 'X' && typeof e.dur === 'number')
    .sort((a, b) => a.ts - b.ts || b.dur - a.dur);
  const inside = (e) => windows.some((w) => e.ts / 1000 >= w.from && e.ts / 1000 < w.to);
  const totals = new Map();
  const stack = [];
  const close = (until) => {
    while (stack.length && stack.at(-1).end <= until) {
      const done = stack.pop();
      if (done.counted) totals.set(done.name, (totals.get(done.name) ?? 0) + Math.max(0, done.self));
    }
  };
  for (const e of own) {
    close(e.ts);
    const cpu = (e.tdur ?? e.dur) / 1000;
    const parent = stack.at(-1);
    if (parent) parent.self -= cpu;
    const data = e.args?.data;
    const name = e.name === 'FunctionCall' && data
      ? `FunctionCall ${data.functionName || '(anonymous)'} ${String(data.url ?? '').split('/').pop()}:${data.lineNumber ?? '?'}`
      : e.name;
    stack.push({ name, self: cpu, end: e.ts + e.dur, counted: inside(e) });
  }
  close(Infinity);
  return Object.fromEntries([...totals].sort((a, b) => b[1] - a[1]));
}

// The page's renderer: the main thread that ran the most script.
function pageMainThread(events) {
  const mains = events.filter((e) => e.ph === 'M' && e.name === 'thread_name' && e.args?.name === 'CrRendererMain');
  let best = null;
  let most = -1;
  for (const m of mains) {
    const n = events.filter((e) => e.pid === m.pid && e.tid === m.tid && e.name === 'FunctionCall').length;
    if (n > most) [best, most] = [m, n];
  }
  return best;
}
