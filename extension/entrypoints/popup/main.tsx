import { render } from 'preact';
import { App } from '../../ui/popup/app.js';
import '../../ui/popup/popup.css';

// `?q=` is how the context menu opens a search in a tab where `action.openPopup()` is not allowed.
const initialQuery = new URLSearchParams(location.search).get('q');
const root = document.getElementById('app');
if (root) render(<App initialQuery={initialQuery} />, root);
