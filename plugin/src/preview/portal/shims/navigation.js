/**
 * lightning/navigation for the local portal. lightning-base-components re-exports it from `force/navigation`,
 * which only an org provides, so the portal brings its own: NavigationMixin (Navigate, GenerateUrl) maps the
 * page references of c/cpqUtils to the portal's URLs (portal/routes) and moves with the History API;
 * CurrentPageReference is a wire adapter that follows the URL.
 */
import { routeOf, urlOf } from 'portal/routes';

/** Fired on window after every client-side navigation; the shell listens to it and to popstate. */
export const LOCATION_CHANGE = 'cpq:locationchange';

const Navigate = Symbol('Navigate');
const GenerateUrl = Symbol('GenerateUrl');

/**
 * Asked before every client-side navigation; returning false stays on the page. The shell sets it to ask
 * about unsaved changes (the quote line editor's `unsavedchange` event), as an org's site asks on leaving.
 */
let navigationGuard = () => true;
export function setNavigationGuard(guard) {
  navigationGuard = typeof guard === 'function' ? guard : () => true;
}

export function navigateTo(url, replace = false) {
  if (!replace && !navigationGuard()) return;
  const target = new URL(url, window.location.href);
  if (target.origin !== window.location.origin) {
    window.location.assign(target.href);
    return;
  }
  const next = `${target.pathname}${target.search}${target.hash}`;
  if (next !== `${window.location.pathname}${window.location.search}${window.location.hash}`) {
    if (replace) window.history.replaceState({}, '', next);
    else window.history.pushState({}, '', next);
  }
  window.dispatchEvent(new CustomEvent(LOCATION_CHANGE));
}

export function NavigationMixin(Base) {
  return class extends Base {
    [Navigate](pageReference, replace) {
      const url = urlOf(pageReference);
      if (url === undefined) {
        // As in an org, an unknown page reference does not throw into the component.
        console.error('lightning/navigation: the local portal has no page for', JSON.stringify(pageReference));
        return;
      }
      navigateTo(url, Boolean(replace));
    }

    [GenerateUrl](pageReference) {
      const url = urlOf(pageReference);
      return url === undefined ? Promise.reject(new Error(`no page for ${JSON.stringify(pageReference)}`)) : Promise.resolve(url);
    }
  };
}
NavigationMixin.Navigate = Navigate;
NavigationMixin.GenerateUrl = GenerateUrl;

function currentPageReference() {
  const route = routeOf(window.location.pathname, window.location.search);
  return route ? route.pageReference : null;
}

/** @wire(CurrentPageReference) pageRef; */
export class CurrentPageReference {
  constructor(dataCallback) {
    this.dataCallback = dataCallback;
    this.onChange = () => this.dataCallback(currentPageReference());
  }

  connect() {
    window.addEventListener('popstate', this.onChange);
    window.addEventListener(LOCATION_CHANGE, this.onChange);
    this.onChange();
  }

  disconnect() {
    window.removeEventListener('popstate', this.onChange);
    window.removeEventListener(LOCATION_CHANGE, this.onChange);
  }

  update() {
    this.onChange();
  }
}
