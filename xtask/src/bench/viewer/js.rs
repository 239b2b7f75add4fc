//! The scripts the viewer benchmark runs in the page, over the viewer's performance marks
//! (viewer/src/perf.rs).

/// Waits for a performance entry, optionally after running `action` in the page (the entry is
/// cleared first, so only the one the action causes counts). Resolves to the entries or null.
pub const WAIT_FOR_ENTRY: &str = r#"
const [name, action, arg, timeoutMs] = arguments;
const done = arguments[arguments.length - 1];
if (action) {
  performance.clearMeasures(name);
  performance.clearMarks(name);
  if (action === 'click') {
    const el = document.querySelector(arg);
    if (!el) { done({error: 'no element ' + arg}); return; }
    el.click();
  } else if (action === 'search' || action === 'fleet-search') {
    const el = document.querySelector('[data-testid=' + action + ']');
    if (!el) { done({error: 'no search box'}); return; }
    el.value = arg;
    el.dispatchEvent(new InputEvent('input', {bubbles: true}));
  } else if (action === 'select') {
    const cut = arg.indexOf(']=') + 1;
    const el = document.querySelector(arg.slice(0, cut));
    if (!el) { done({error: 'no element ' + arg}); return; }
    el.value = arg.slice(cut + 1);
    el.dispatchEvent(new Event('change', {bubbles: true}));
  }
}
const t0 = performance.now();
(function poll() {
  const entries = performance.getEntriesByName(name);
  if (entries.length > 0) {
    done(entries.map((e) => ({start: e.startTime, duration: e.duration})));
  } else if (performance.now() - t0 > timeoutMs) {
    done({error: 'no ' + name + ' within ' + timeoutMs + ' ms'});
  } else {
    setTimeout(poll, 5);
  }
})();
"#;

/// Timing details of a loaded page.
pub const LOAD_DETAILS: &str = r#"
const parse = performance.getEntriesByName('dockaudit:parse').map((e) => e.duration);
const parsed = performance.getEntriesByName('dockaudit:parse').map((e) => e.startTime + e.duration);
const shown = performance.getEntriesByName('dockaudit:interactive').map((e) => e.startTime);
const resources = performance.getEntriesByType('resource');
const end = (suffix) => {
  const r = resources.find((e) => e.name.split('?')[0].endsWith(suffix));
  return r ? r.responseEnd : null;
};
const tasks = window.dockauditLongTasks || [];
const memory = window.dockauditWasmMemory;
return {
  parse, wasm: end('.wasm'), report: end('.json'),
  render: parsed.length && shown.length ? shown[0] - parsed[0] : null,
  longestTask: tasks.reduce((m, t) => Math.max(m, t.duration), 0),
  longTasks: tasks.length,
  // Where each long task fell, against the parse's start and end (DOCKAUDIT_BENCH_TRACE=1).
  tasks: tasks.map((t) => [Math.round(t.start), Math.round(t.duration)]),
  parseStart: parsed.length ? parsed[0] - parse[0] : null,
  parseEnd: parsed.length ? parsed[0] : null,
  wasmBytes: memory ? memory.buffer.byteLength : null,
  jsHeapBytes: performance.memory ? performance.memory.usedJSHeapSize : null,
};
"#;

/// Resolves after two painted frames (the page is idle again).
pub const SETTLE: &str = r#"
const done = arguments[arguments.length - 1];
requestAnimationFrame(() => requestAnimationFrame(() => setTimeout(() => done(true), 0)));
"#;
