// The local partner portal's entry: synthetic shadow first (as in an org), then the shell.
import '@lwc/synthetic-shadow';
import { createElement } from 'lwc';
import App from 'portal/app';

const app = createElement('portal-app', { is: App });
// eslint-disable-next-line @lwc/lwc/no-document-query -- the page's own root, outside any component
document.getElementById('portal-root').appendChild(app);
