import { render } from 'preact';
import { App } from './app.js';

const root = document.getElementById('root') as HTMLElement;
// The <noscript> notice is for browsers without JavaScript; the app owns the container.
root.replaceChildren();
render(<App />, root);
