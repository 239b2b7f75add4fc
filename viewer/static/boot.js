// Loads the WebAssembly viewer. Kept in its own file so the page needs no inline script.
import init from './dockaudit_viewer.js';

init().catch((error) => {
  const message = document.createElement('p');
  message.className = 'boot-error';
  message.textContent = 'The viewer could not start: ' + error;
  document.body.appendChild(message);
});
