// Loads the WebAssembly viewer. Kept in its own file so the page needs no inline script.
import init from './dockaudit_viewer.js';

// For `cargo xtask bench`: every task that held the page for more than 50 ms, and the wasm
// memory, so the harness can report how long the page froze and how much memory it took.
const longTasks = [];
window.dockauditLongTasks = longTasks;
try {
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) {
      longTasks.push({ start: e.startTime, duration: e.duration });
    }
  }).observe({ type: 'longtask', buffered: true });
} catch (_) {
  // A browser without long-task timing simply records none.
}

init()
  .then((wasm) => {
    window.dockauditWasmMemory = wasm.memory;
  })
  .catch((error) => {
    const message = document.createElement('p');
    message.className = 'boot-error';
    message.textContent = 'The viewer could not start: ' + error;
    document.body.appendChild(message);
  });
