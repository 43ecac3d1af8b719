import { render } from 'preact';
import { Popup } from './Popup.js';

const app = document.getElementById('app');
if (app) render(<Popup search={location.search} />, app);
