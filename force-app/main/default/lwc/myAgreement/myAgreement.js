import { LightningElement } from 'lwc';
import getAgreementStanding from '@salesforce/apex/AgreementController.getAgreementStanding';
import getCatalog from '@salesforce/apex/QuoteController.getCatalog';
import getCurrentUser from '@salesforce/apex/SessionController.getCurrentUser';
import { errorMessages, formatDate, formatMoney } from 'c/cpqUtils';

const PERCENT_DECIMALS = 6;

/** Exact sum of two percent strings ("18" + "2.5" = "20.5"), capped at 100 as the engine caps it. */
export function addPercent(a, b) {
  const scale = (text) => {
    const [whole, fraction = ''] = String(text).split('.');
    return BigInt(whole + fraction.padEnd(PERCENT_DECIMALS, '0').slice(0, PERCENT_DECIMALS));
  };
  let sum = scale(a) + scale(b);
  const hundred = 100n * 10n ** BigInt(PERCENT_DECIMALS);
  if (sum > hundred) sum = hundred;
  const digits = sum.toString().padStart(PERCENT_DECIMALS + 1, '0');
  const whole = digits.slice(0, -PERCENT_DECIMALS);
  const fraction = digits.slice(-PERCENT_DECIMALS).replace(/0+$/, '');
  return fraction ? `${whole}.${fraction}` : whole;
}

/**
 * My agreement: the discounts the partner buys with (rules by family and product), its current tier from
 * the bookings of the last 12 months and how far the next tier is (AgreementController.getAgreementStanding,
 * computed by the server with the pricing engine's own tier functions). A distributor also sees where each
 * of its resellers stands; the vendor sees every partner's standing.
 */
export default class MyAgreement extends LightningElement {
  user;
  own = [];
  others = [];
  loading = true;
  errors = [];

  async connectedCallback() {
    try {
      const [user, standings, catalog] = await Promise.all([getCurrentUser(), getAgreementStanding({}), getCatalog({})]);
      this.user = user;
      const names = new Map(catalog.products.map((p) => [p.id, p.name ?? p.id]));
      this.own = standings.filter((s) => s.partnerId === user.accountId).map((s) => this.card(s, names));
      this.others = standings.filter((s) => s.partnerId !== user.accountId).map((s) => this.summary(s));
    } catch (error) {
      this.errors = errorMessages(error);
    } finally {
      this.loading = false;
    }
  }

  card(s, names) {
    const money = (value) => formatMoney(value, s.currency);
    const bonus = s.currentTier?.bonusPercent ?? '0';
    const next = s.nextTier;
    // Display only: how much of the way to the next threshold the bookings are.
    const progress = next ? Math.min(100, Math.floor((Number(s.bookings12m) / Number(next.minBookings)) * 100)) : 100;
    return {
      key: s.agreementId,
      title: `Agreement with ${s.sellerName}`,
      name: s.name,
      validity: s.validTo
        ? `Valid ${formatDate(s.validFrom)} to ${formatDate(s.validTo)}`
        : `Valid from ${formatDate(s.validFrom)}`,
      status: s.status,
      hasTiers: s.tiers.length > 0,
      bookings: money(s.bookings12m),
      asOf: formatDate(s.asOf),
      currentTier: s.currentTier ? `${s.currentTier.name} (+${s.currentTier.bonusPercent} points)` : 'No tier reached',
      nextText: next
        ? `${money(s.toNextTier)} more bookings to reach ${next.name} (+${next.bonusPercent} points).`
        : 'You are at the top tier.',
      progress,
      progressStyle: `width: ${progress}%`,
      progressLabel: next ? `Progress to ${next.name}: ${progress} %` : 'Top tier reached',
      tiers: s.tiers.map((t) => ({
        key: t.name,
        name: t.name,
        from: money(t.minBookings),
        bonus: `+${t.bonusPercent}`,
        current: s.currentTier?.name === t.name,
        rowClass: s.currentTier?.name === t.name ? 'tier-row slds-theme_shade' : 'tier-row',
      })),
      rules: s.rules.map((r, i) => ({
        key: r.id ?? `rule-${i}`,
        appliesTo:
          r.scope === 'all' ? 'All products' : r.scope === 'family' ? `${r.value} (family)` : (names.get(r.value) ?? r.value),
        minQuantity: r.minQuantity ?? '—',
        discount: `${r.discountPercent} %`,
        effective: `${addPercent(r.discountPercent, bonus)} %`,
        cap: r.maxAdditionalDiscountPercent === undefined ? '—' : `${r.maxAdditionalDiscountPercent} %`,
      })),
    };
  }

  summary(s) {
    const money = (value) => formatMoney(value, s.currency);
    return {
      key: s.agreementId,
      partnerName: s.partnerName,
      sellerName: s.sellerName,
      bookings: money(s.bookings12m),
      tier: s.currentTier?.name ?? '—',
      next: s.nextTier ? `${money(s.toNextTier)} to ${s.nextTier.name}` : '—',
    };
  }

  get hasErrors() {
    return this.errors.length > 0;
  }

  get hasOwn() {
    return this.own.length > 0;
  }

  get hasOthers() {
    return this.others.length > 0;
  }

  get othersHeading() {
    return this.user?.role === 'vendorAdmin' ? 'Partners’ standing' : 'Your resellers’ standing';
  }

  /** Orders from resellers (docs/ORDERS.md): the distributor sets auto-fulfil and credit limits, a reseller reads its own. */
  get showOrderTerms() {
    return !this.loading && (this.user?.role === 'distributorUser' || this.user?.role === 'resellerUser');
  }

  get isEmpty() {
    return !this.loading && !this.hasErrors && !this.hasOwn && !this.hasOthers;
  }
}
