import { LightningElement } from 'lwc';
import { ROLE_LABELS } from 'c/cpqUtils';
import { pagesFor, routeOf } from 'portal/routes';
import { LOCATION_CHANGE, navigateTo, setNavigationGuard } from 'lightning/navigation';
import components from 'virtual:cpq-components';

const TOAST_ICONS = { success: 'utility:success', warning: 'utility:warning', error: 'utility:error', info: 'utility:info' };
/** How long a toast stays (ms), as on the platform: errors a little longer; 'sticky' until closed. */
const TOAST_MS = { error: 10000, default: 5000 };

/**
 * The local partner portal shell (not deployed): SLDS global header and navigation for the signed-in role,
 * routing by URL to the force-app components (created with lwc:is, so a page whose component does not
 * exist yet shows "coming soon"), and the toasts of lightning/platformShowToastEvent.
 */
export default class App extends LightningElement {
  user = readUser();
  route;
  componentCtor;
  comingSoon = false;
  loadError;
  notFound = false;
  notFoundMessage = '';
  toasts = [];

  nextToastId = 1;
  firstRoute = true;
  loading = 0;

  connectedCallback() {
    this.onLocation = () => this.applyLocation();
    this.onClick = (event) => this.interceptLink(event);
    this.onToast = (event) => this.showToast(event.detail ?? {});
    // The quote line editor says when it holds unsaved changes; leaving the page then asks first.
    this.unsavedChanges = false;
    this.onUnsaved = (event) => {
      this.unsavedChanges = Boolean(event.detail && event.detail.hasUnsavedChanges);
    };
    this.addEventListener('unsavedchange', this.onUnsaved);
    setNavigationGuard(() => {
      if (!this.unsavedChanges) return true;
      // eslint-disable-next-line no-alert
      const leave = window.confirm('This quote has unsaved changes. Leave the page and lose them?');
      if (leave) this.unsavedChanges = false;
      return leave;
    });
    window.addEventListener('popstate', this.onLocation);
    window.addEventListener(LOCATION_CHANGE, this.onLocation);
    document.addEventListener('click', this.onClick);
    // ShowToastEvent bubbles and is composed: it reaches the shell from any component.
    this.addEventListener('lightning__showtoast', this.onToast);
    this.applyLocation();
  }

  disconnectedCallback() {
    window.removeEventListener('popstate', this.onLocation);
    window.removeEventListener(LOCATION_CHANGE, this.onLocation);
    document.removeEventListener('click', this.onClick);
    this.removeEventListener('lightning__showtoast', this.onToast);
    this.removeEventListener('unsavedchange', this.onUnsaved);
    setNavigationGuard(undefined);
  }

  get roleLabel() {
    return ROLE_LABELS[this.user.role] ?? this.user.role;
  }

  get navItems() {
    const current = this.route ? this.route.key : undefined;
    return pagesFor(this.user.role).map((page) => ({
      key: page.key,
      label: page.label,
      path: page.path,
      current: page.key === current ? 'page' : undefined,
      className: `slds-context-bar__item${page.key === current ? ' slds-is-active' : ''}`,
    }));
  }

  get isEditor() {
    return Boolean(this.route && this.route.recordId);
  }

  get recordId() {
    return this.route ? this.route.recordId : undefined;
  }

  get pageLabel() {
    if (this.route && this.route.page) return this.route.page.label;
    return (this.route && this.route.recordLabel) ?? 'Quote';
  }

  async applyLocation() {
    const route = routeOf(window.location.pathname, window.location.search);
    // The server already said the first URL shows nothing this user may see (404).
    // eslint-disable-next-line @lwc/lwc/no-document-query -- the shell reads its own page's head
    const serverNotFound = this.firstRoute && document.querySelector('meta[name="cpq-not-found"]') !== null;
    this.firstRoute = false;
    if (route && window.location.pathname === '/') navigateTo('/quotes', true);
    const allowed = route && pagesFor(this.user.role).some((p) => p.key === route.key);
    this.route = route;
    this.componentCtor = undefined;
    this.comingSoon = false;
    this.loadError = undefined;
    this.notFound = !allowed || serverNotFound;
    if (this.notFound) {
      const what = route && route.recordId ? (route.recordLabel ?? 'Quote').toLowerCase() : undefined;
      this.notFoundMessage = what
        ? `This ${what} does not exist, or it is not one you may see.`
        : 'There is no such page in your portal.';
      document.title = 'Not found · Channel CPQ';
      return;
    }
    document.title = `${route.recordId ? (route.recordLabel ?? 'Quote') : route.page.label} · Channel CPQ`;
    const load = components[route.component];
    if (!load) {
      this.comingSoon = true;
      return;
    }
    const ticket = ++this.loading;
    try {
      const module = await load();
      if (ticket === this.loading) this.componentCtor = module.default;
    } catch (error) {
      if (ticket === this.loading) this.loadError = `The page could not be loaded: ${error.message}`;
    }
  }

  /** Same-origin links move within the portal without reloading it (as in an Experience Cloud site). */
  interceptLink(event) {
    if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    const anchor = event.composedPath().find((node) => node.tagName === 'A' && node.href);
    if (!anchor || (anchor.target && anchor.target !== '_self') || anchor.hasAttribute('download')) return;
    const url = new URL(anchor.href, window.location.href);
    if (url.origin !== window.location.origin || !routeOf(url.pathname)) return;
    event.preventDefault();
    navigateTo(`${url.pathname}${url.search}${url.hash}`);
  }

  showToast(detail) {
    const variant = TOAST_ICONS[detail.variant] ? detail.variant : 'info';
    const id = this.nextToastId++;
    const toast = {
      id,
      variant,
      title: fill(detail.title ?? '', detail.messageData),
      message: fill(detail.message ?? '', detail.messageData),
      iconName: TOAST_ICONS[variant],
      iconClass: `slds-icon_container slds-icon-utility-${variant} slds-m-right_small slds-no-flex slds-align-top`,
      className: `slds-notify slds-notify_toast slds-theme_${variant}`,
      role: variant === 'error' ? 'alert' : 'status',
    };
    this.toasts = [...this.toasts, toast];
    if (detail.mode !== 'sticky') {
      // eslint-disable-next-line @lwc/lwc/no-async-operation
      setTimeout(() => this.dismiss(id), TOAST_MS[variant] ?? TOAST_MS.default);
    }
  }

  closeToast(event) {
    this.dismiss(Number(event.currentTarget.dataset.toast));
  }

  dismiss(id) {
    this.toasts = this.toasts.filter((t) => t.id !== id);
  }
}

/** The signed-in user the server wrote into the page ({ id, name, role, accountId, accountName }). */
function readUser() {
  // eslint-disable-next-line @lwc/lwc/no-document-query -- the shell reads its own page's head
  const node = document.getElementById('cpq-user');
  try {
    return JSON.parse(node ? node.textContent : '{}');
  } catch {
    return {};
  }
}

/** A toast's {0}, {1} ... placeholders filled from messageData (strings or { label }). */
function fill(text, data) {
  if (!Array.isArray(data)) return text;
  return text.replace(/\{(\d+)\}/g, (match, index) => {
    const item = data[Number(index)];
    if (item === undefined) return match;
    return typeof item === 'string' ? item : (item.label ?? item.url ?? '');
  });
}
