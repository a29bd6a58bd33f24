/* eslint-disable @lwc/lwc/no-async-operation -- tests wait for the editor's timers (debounce, deferred pricer) */
/**
 * The shared setup of the c-quote-line-editor jest files (quoteLineEditor, quoteLineEditorNotes,
 * quoteLineEditorQuoteDiscount): the Apex and navigation mocks, the fixtures' mount and the DOM helpers.
 * Import it FIRST, before c/quoteLineEditor and the Apex modules: its jest.mock calls (hoisted to the top of
 * this module) must register the mocks before anything loads the real stubs. Not a test file
 * (sfdx-lwc-jest runs *.test.js only).
 */
import { createElement } from 'lwc';
import QuoteLineEditor from 'c/quoteLineEditor';
import getCurrentUser from '@salesforce/apex/SessionController.getCurrentUser';
import getQuote from '@salesforce/apex/QuoteController.getQuote';
import getPricingContext from '@salesforce/apex/QuoteController.getPricingContext';
import getCatalog from '@salesforce/apex/QuoteController.getCatalog';

// Fixtures captured from the local server (`sf cpq preview` on the demo database): quote Q-00005 of
// reseller Fjord IT Partners (r-nordic) via Nordlys Distribution (d-emea), in SEK.
import USER_RESELLER from './data/user-reseller.json';
import QUOTE_RESELLER from './data/quote-reseller.json';
import CONTEXT_RESELLER from './data/context-reseller.json';
import CATALOG from './data/catalog-sek.json';

jest.mock('@salesforce/apex/SessionController.getCurrentUser', () => ({ default: jest.fn() }), { virtual: true });
jest.mock('@salesforce/apex/QuoteController.getQuote', () => ({ default: jest.fn() }), { virtual: true });
jest.mock('@salesforce/apex/QuoteController.getPricingContext', () => ({ default: jest.fn() }), { virtual: true });
jest.mock('@salesforce/apex/QuoteController.getCatalog', () => ({ default: jest.fn() }), { virtual: true });
jest.mock('@salesforce/apex/QuoteController.saveQuote', () => ({ default: jest.fn() }), { virtual: true });
jest.mock('@salesforce/apex/QuoteController.submitForApproval', () => ({ default: jest.fn() }), { virtual: true });
jest.mock('@salesforce/apex/QuoteController.acceptQuote', () => ({ default: jest.fn() }), { virtual: true });
jest.mock('@salesforce/apex/QuoteController.cloneQuote', () => ({ default: jest.fn() }), { virtual: true });
jest.mock('@salesforce/apex/DealRegistrationController.listDeals', () => ({ default: jest.fn() }), { virtual: true });
jest.mock('@salesforce/apex/OrderController.requestOrder', () => ({ default: jest.fn() }), { virtual: true });
jest.mock('@salesforce/apex/QuoteDocumentController.saveDocument', () => ({ default: jest.fn() }), { virtual: true });
// NavigationMixin that records where the component navigates.
jest.mock('lightning/navigation', () => {
  const Navigate = Symbol('Navigate');
  const navigate = jest.fn();
  const NavigationMixin = (Base) =>
    class extends Base {
      [Navigate](pageReference) {
        navigate(pageReference);
      }
    };
  NavigationMixin.Navigate = Navigate;
  NavigationMixin.GenerateUrl = Symbol('GenerateUrl');
  return { NavigationMixin, navigateMock: navigate };
});

// Accessibility scans take seconds on a busy machine.
jest.setTimeout(30000);

export const flush = () => new Promise((resolve) => setTimeout(resolve, 0));
export const wait = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** The editor on a quote, as `user` sees it with the pricing `context` (the reseller's Q-00005 by default). */
export async function mount({ user = USER_RESELLER, quote = QUOTE_RESELLER, context = CONTEXT_RESELLER } = {}) {
  getCurrentUser.mockResolvedValue(user);
  getQuote.mockResolvedValue(quote);
  getPricingContext.mockResolvedValue(context);
  getCatalog.mockResolvedValue(CATALOG);
  const element = createElement('c-quote-line-editor', { is: QuoteLineEditor });
  element.recordId = quote.quote.id;
  document.body.appendChild(element);
  await flush();
  await flush();
  return element;
}

export const $ = (element, selector) => element.shadowRoot.querySelector(selector);
export const grid = (element) => $(element, 'c-quote-line-grid').shadowRoot;
export const rows = (element) => [...grid(element).querySelectorAll('tbody tr[data-id]')];
export const cell = (element, line, col) =>
  grid(element).querySelector(`tr[data-line-number="${line}"] [data-col="${col}"]`).textContent;
export const total = (element, key) => $(element, `[data-total="${key}"]`).textContent;
export const input = (element, line, field) =>
  grid(element).querySelector(`tr[data-line-number="${line}"] input[data-field="${field}"]`);
export const action = (element, line, name) =>
  grid(element).querySelector(`tr[data-line-number="${line}"] [data-action="${name}"]`);

export function type(inputElement, value, eventName = 'change') {
  inputElement.value = value;
  inputElement.dispatchEvent(new CustomEvent('input'));
  if (eventName === 'change') inputElement.dispatchEvent(new CustomEvent('change'));
}

/**
 * QuoteController.saveQuote's slim answer for a save of `before` that the server answers as `after`: the head
 * with lineIds, only the priced lines whose figures differ from `before`'s (docs/CONTROLLERS.md).
 */
export function slimAnswer(after, before) {
  const held = new Map(before.pricing.lines.map((l) => [l.lineId, JSON.stringify(l)]));
  const { lines, ...head } = after.quote;
  return {
    quote: { ...head, lineIds: lines.map((l) => l.id) },
    pricing: { ...after.pricing, lines: after.pricing.lines.filter((l) => held.get(l.lineId) !== JSON.stringify(l)) },
    actions: after.actions,
  };
}
