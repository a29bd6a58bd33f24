import { createElement } from 'lwc';
import QuoteDealRegistration from 'c/quoteDealRegistration';
import listDeals from '@salesforce/apex/DealRegistrationController.listDeals';
// The local service's answer on the demo data: DR-00003 was converted to a quote.
import DEALS from './data/listDeals.json';

jest.mock('@salesforce/apex/DealRegistrationController.listDeals', () => ({ default: jest.fn() }), { virtual: true });

jest.mock('lightning/navigation', () => {
  const Navigate = Symbol('Navigate');
  const GenerateUrl = Symbol('GenerateUrl');
  const Mixin = (Base) =>
    class extends Base {
      [Navigate]() {}
      [GenerateUrl](ref) {
        return Promise.resolve(`/page/${ref.attributes.recordId ?? ref.attributes.name}`);
      }
    };
  Mixin.Navigate = Navigate;
  Mixin.GenerateUrl = GenerateUrl;
  return { NavigationMixin: Mixin, CurrentPageReference: jest.fn() };
});

// eslint-disable-next-line @lwc/lwc/no-async-operation
const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

const CONVERTED = DEALS.find((d) => d.status === 'Converted');

async function mount(quoteId) {
  const element = createElement('c-quote-deal-registration', { is: QuoteDealRegistration });
  element.quoteId = quoteId;
  document.body.appendChild(element);
  await settle();
  await settle();
  return element;
}

describe('c-quote-deal-registration', () => {
  afterEach(() => {
    while (document.body.firstChild) document.body.removeChild(document.body.firstChild);
    jest.clearAllMocks();
  });

  it('names the registration the quote was converted from and how long it is protected', async () => {
    listDeals.mockResolvedValue(DEALS.filter((d) => d.status === 'Converted'));
    const element = await mount(CONVERTED.quoteId);
    expect(listDeals).toHaveBeenCalledWith({ status: 'Converted' });
    const line = element.shadowRoot.querySelector('[data-id="registered-deal"]');
    expect(line.querySelector('.slds-badge').textContent).toBe(`Registered deal ${CONVERTED.number} protected until Mar 4, 2027`);
    expect(line.querySelector('.slds-badge').title).toBe('Bergen Bygg AS, Licenses');
    expect(line.querySelector('a.deals-link').getAttribute('href')).toBe('/page/Deal_Registrations__c');
    await expect(element).toBeAccessible();
  });

  it('says when the protection ended', async () => {
    listDeals.mockResolvedValue([{ ...CONVERTED, protectionDaysLeft: 0 }]);
    const element = await mount(CONVERTED.quoteId);
    expect(element.shadowRoot.querySelector('.slds-badge').textContent).toBe(
      `Registered deal ${CONVERTED.number}: protection ended on Mar 4, 2027`,
    );
  });

  it('shows nothing for a quote not converted from a registration, or when registrations cannot be read', async () => {
    listDeals.mockResolvedValue(DEALS);
    const other = await mount('some-other-quote');
    expect(other.shadowRoot.querySelector('[data-id="registered-deal"]')).toBeNull();
    listDeals.mockRejectedValue({ status: 422, body: { code: 'NOT_AVAILABLE', message: 'not available' } });
    const failed = await mount(CONVERTED.quoteId);
    expect(failed.shadowRoot.querySelector('[data-id="registered-deal"]')).toBeNull();
  });
});
