import { render } from 'preact';
import { OptionsApp } from '../../ui/options/options-app.js';
import './style.css';

const root = document.getElementById('app');
if (root) render(<OptionsApp />, root);
