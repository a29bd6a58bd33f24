import { LightningElement, api } from 'lwc';
import { NavigationMixin } from 'lightning/navigation';
import listDeals from '@salesforce/apex/DealRegistrationController.listDeals';
import { PAGES, formatDate, namedPage } from 'c/cpqUtils';

/**
 * The deal registration a quote was converted from, in the quote editor's header: "Registered deal DR-00001,
 * protected until Mar 2, 2027" (or when its protection ended), with a link to the registrations page. Shows
 * nothing when the quote was not converted from a registration the user may see, or when registrations are
 * not available (the quote itself must open whatever happens here).
 */
export default class QuoteDealRegistration extends NavigationMixin(LightningElement) {
  deal;
  dealsUrl;
  loadedFor;

  @api
  get quoteId() {
    return this.loadedFor;
  }

  set quoteId(value) {
    if (value && value !== this.loadedFor) {
      this.loadedFor = value;
      this.load(value);
    }
  }

  async load(quoteId) {
    try {
      const deals = await listDeals({ status: 'Converted' });
      if (quoteId !== this.loadedFor) return;
      this.deal = (Array.isArray(deals) ? deals : []).find((d) => d.quoteId === quoteId);
    } catch {
      this.deal = undefined;
    }
    if (!this.deal) return;
    try {
      this.dealsUrl = await this[NavigationMixin.GenerateUrl](namedPage(PAGES.deals));
    } catch {
      // Without a URL for the registrations page the line stays, without its link.
    }
  }

  get text() {
    const d = this.deal;
    if (!d) return '';
    if (d.protectionDaysLeft > 0) return `Registered deal ${d.number} protected until ${formatDate(d.protectedUntil)}`;
    return `Registered deal ${d.number}: protection ended on ${formatDate(d.protectedUntil)}`;
  }

  get title() {
    const d = this.deal;
    if (!d) return '';
    const families = d.families.map((f) => f.family).join(', ');
    return `${d.endCustomer.name}, ${families}${d.extended ? ' (protection extended once)' : ''}`;
  }

  get badgeClass() {
    return this.deal && this.deal.protectionDaysLeft > 0 ? 'slds-badge slds-theme_success' : 'slds-badge';
  }
}
