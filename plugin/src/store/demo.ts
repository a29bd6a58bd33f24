import type {
  AccountRecord,
  DefaultDistributorRule,
  InventoryRecord,
  ProductRecord,
  QuoteStatus,
  User,
  Viewer,
} from '../core/records.js';
import { addDays, addMonths } from '../core/renewals.js';
import type { Agreement, AgreementRule, DiscountSchedule, ExchangeRate, PriceBookEntry } from '../core/scenario.js';
import { OrderService } from '../services/orders.js';
import { QuoteService, type CreateQuoteInput } from '../services/quotes.js';
import { generateRenewals } from '../services/renewals.js';
import type { CpqStore, ReferenceData } from './port.js';
import { DEMO_LOGO_ACCOUNT_ID, DEMO_LOGO_PNG_BASE64 } from './demoLogo.js';

/**
 * Demo data that tells a story: Northwind Software sells through two distributors (Nordlys in EMEA,
 * Pacific Channel in AMER) to five resellers, one of which (Alpenblick, Germany) buys from both. The
 * reference data is written as records; everything priced (quotes, approvals, orders, contracts, renewal
 * quotes) goes through the real services, so every number in the demo is one the engine computed.
 *
 * The story, as of `today`:
 * - Pipeline (worked on today): a Draft in SEK, a quote waiting for approval above the 15 % cap, an
 *   approved one, a rejected one (with the distributor's reason), an accepted one waiting for its order,
 *   and an ordered one whose order is placed but not activated yet.
 * - History (each worked on its start date, so its order counts in the partners' bookings and tiers from
 *   that day): four activated orders whose contracts end about 20, 50, 80 and 390 days after `today`.
 * - A distributor restocking licences from the vendor.
 * - The daily renewal run on `today`: the three contracts within 90 days of their end get a renewal quote
 *   waiting for the reseller; the two-year contract ending in 390 days does not.
 *
 * Rerunnable (the port has no transaction across calls, so the seed cannot be all-or-nothing as a whole):
 * - The user `u-vendor` is the "seeded" marker and is written LAST, after the whole story. A store that has
 *   it was seeded completely, and the seed does nothing.
 * - Without it, the reference data is upserted again (idempotent: same ids, same values for the same
 *   `today`), except inventory rows that already exist (orders placed by a previous attempt drew on them).
 * - Each story quote has a unique name; the seed finds it by name and moves it on from whatever status it
 *   reached (create, submit, decide, accept, order, activate: each is one atomic store write), so an
 *   interrupted seed picks up where it stopped. The restocking order is found by its kind, and renewal
 *   generation is idempotent on its own.
 */

export type SeedResult = { seeded: boolean; counts: Record<string, number> };

/** The user whose presence means "already seeded". */
export const DEMO_MARKER_USER_ID = 'u-vendor';

const VENDOR = 'v-northwind';
const EMEA = 'd-emea';
const AMER = 'd-amer';

/** Viewer of a demo user (as the portal would build it from the login). */
export function demoViewer(user: User): Viewer {
  return { userId: user.id, role: user.role, accountId: user.accountId };
}

function account(
  id: string,
  type: AccountRecord['type'],
  name: string,
  country: string,
  region: string,
  extra: Partial<AccountRecord> = {},
): AccountRecord {
  return { id, type, name, country, region, ...extra };
}

function user(id: string, name: string, email: string, role: User['role'], accountId: string, locale: string): User {
  return { id, name, email, role, accountId, locale };
}

type ProductSpec = {
  id: string;
  name: string;
  family: 'Licenses' | 'Subscriptions' | 'Services';
  prices: { USD: string; EUR: string; SEK?: string };
  termMonths?: number;
  schedule?: string;
  renewal?: ProductRecord['renewalPricingMethod'];
  nonDiscountable?: boolean;
  nonPartnerDiscountable?: boolean;
};

const PRODUCTS: readonly ProductSpec[] = [
  // Perpetual licences, sold from the distributors' stock.
  {
    id: 'lic-analytics-std',
    name: 'Analytics Standard licence',
    family: 'Licenses',
    prices: { USD: '1200.00', EUR: '1100.00', SEK: '12900.00' },
    schedule: 'ds-licence-volume',
  },
  {
    id: 'lic-analytics-ent',
    name: 'Analytics Enterprise licence',
    family: 'Licenses',
    prices: { USD: '2400.00', EUR: '2200.00' },
    schedule: 'ds-licence-volume',
  },
  {
    id: 'lic-designer',
    name: 'Report Designer licence',
    family: 'Licenses',
    prices: { USD: '650.00', EUR: '600.00', SEK: '6900.00' },
  },
  { id: 'lic-gateway', name: 'Gateway Server licence', family: 'Licenses', prices: { USD: '4800.00', EUR: '4400.00' } },
  {
    id: 'lic-mobile',
    name: 'Mobile Add-on licence',
    family: 'Licenses',
    prices: { USD: '180.00', EUR: '165.00' },
    schedule: 'ds-licence-volume',
  },
  { id: 'lic-connector', name: 'Connector Pack licence', family: 'Licenses', prices: { USD: '950.00', EUR: '875.00' } },
  // Subscriptions: the list price is for the product's term.
  {
    id: 'sub-cloud-std',
    name: 'Cloud Standard seat (12 months)',
    family: 'Subscriptions',
    prices: { USD: '240.00', EUR: '220.00', SEK: '2600.00' },
    termMonths: 12,
    schedule: 'ds-seat-pool',
    renewal: 'uplift',
  },
  {
    id: 'sub-cloud-pro',
    name: 'Cloud Professional seat (12 months)',
    family: 'Subscriptions',
    prices: { USD: '420.00', EUR: '390.00', SEK: '4500.00' },
    termMonths: 12,
    schedule: 'ds-seat-pool',
    renewal: 'uplift',
  },
  {
    id: 'sub-cloud-ent',
    name: 'Cloud Enterprise seat (24 months)',
    family: 'Subscriptions',
    prices: { USD: '1440.00', EUR: '1320.00' },
    termMonths: 24,
  },
  {
    id: 'sub-support-std',
    name: 'Standard Support (12 months)',
    family: 'Subscriptions',
    prices: { USD: '150.00', EUR: '140.00', SEK: '1600.00' },
    termMonths: 12,
    renewal: 'list',
  },
  {
    id: 'sub-support-premium',
    name: 'Premium Support (12 months)',
    family: 'Subscriptions',
    prices: { USD: '300.00', EUR: '275.00' },
    termMonths: 12,
    renewal: 'same',
  },
  {
    id: 'sub-backup',
    name: 'Cloud Backup 1 TB (12 months)',
    family: 'Subscriptions',
    prices: { USD: '600.00', EUR: '550.00' },
    termMonths: 12,
  },
  {
    id: 'sub-security',
    name: 'Security Suite seat (24 months)',
    family: 'Subscriptions',
    prices: { USD: '960.00', EUR: '880.00' },
    termMonths: 24,
  },
  {
    id: 'sub-api',
    name: 'API Access, 1M calls (12 months)',
    family: 'Subscriptions',
    prices: { USD: '1800.00', EUR: '1650.00' },
    termMonths: 12,
  },
  // Services, one-time.
  {
    id: 'svc-onboarding',
    name: 'Onboarding workshop (day)',
    family: 'Services',
    prices: { USD: '1600.00', EUR: '1450.00', SEK: '16500.00' },
  },
  { id: 'svc-migration', name: 'Data migration (per TB)', family: 'Services', prices: { USD: '900.00', EUR: '820.00' } },
  {
    id: 'svc-training',
    name: 'Admin training (seat)',
    family: 'Services',
    prices: { USD: '450.00', EUR: '410.00' },
    schedule: 'ds-training-slab',
  },
  {
    id: 'svc-health-check',
    name: 'Annual health check (fixed fee)',
    family: 'Services',
    prices: { USD: '2500.00', EUR: '2300.00' },
    nonDiscountable: true,
  },
  {
    id: 'svc-expert-day',
    name: 'Northwind expert day (delivered by the vendor)',
    family: 'Services',
    prices: { USD: '2200.00', EUR: '2000.00' },
    nonPartnerDiscountable: true,
  },
  { id: 'svc-custom-dev', name: 'Custom development (day)', family: 'Services', prices: { USD: '1400.00', EUR: '1280.00' } },
];

function productRecord(p: ProductSpec): ProductRecord {
  const record: ProductRecord = {
    id: p.id,
    name: `Northwind ${p.name}`,
    sku: p.id.toUpperCase(),
    family: p.family,
    type: p.family === 'Subscriptions' ? 'subscription' : 'oneTime',
    nonDiscountable: p.nonDiscountable ?? false,
    nonPartnerDiscountable: p.nonPartnerDiscountable ?? false,
    tracksInventory: p.family === 'Licenses',
  };
  if (p.termMonths !== undefined) record.termMonths = p.termMonths;
  if (p.schedule !== undefined) record.discountScheduleId = p.schedule;
  if (p.renewal !== undefined) record.renewalPricingMethod = p.renewal;
  return record;
}

const DISCOUNT_SCHEDULES: readonly DiscountSchedule[] = [
  {
    id: 'ds-licence-volume',
    name: 'Licence volume (per line)',
    type: 'range',
    aggregation: 'line',
    tiers: [
      { from: '1', to: '10', discountPercent: '0' },
      { from: '10', to: '50', discountPercent: '10' },
      { from: '50', discountPercent: '15' },
    ],
  },
  {
    id: 'ds-seat-pool',
    name: 'Cloud seat pool (all cloud seats of the quote)',
    type: 'range',
    aggregation: 'quote',
    tiers: [
      { from: '1', to: '25', discountPercent: '0' },
      { from: '25', to: '100', discountPercent: '5' },
      { from: '100', discountPercent: '8' },
    ],
  },
  {
    id: 'ds-training-slab',
    name: 'Training seats (slab)',
    type: 'slab',
    aggregation: 'line',
    tiers: [
      { from: '1', to: '11', discountPercent: '0' },
      { from: '11', to: '21', discountPercent: '10' },
      { from: '21', discountPercent: '20' },
    ],
  },
];

type ResellerTerms = { all: string; licenses: string; subscriptions: string; services: string; enterpriseVolume: string };

function resellerAgreement(
  reseller: string,
  distributor: string,
  terms: ResellerTerms,
  validFrom: string,
  validTo: string,
): Agreement {
  const id = `ag-${reseller}-${distributor}`;
  const rules: AgreementRule[] = [
    // The general rule holds the cap on the reseller's additional discount for every product.
    { id: `${id}-all`, scope: 'all', discountPercent: terms.all, maxAdditionalDiscountPercent: '15' },
    { id: `${id}-licenses`, scope: 'family', value: 'Licenses', discountPercent: terms.licenses },
    { id: `${id}-subscriptions`, scope: 'family', value: 'Subscriptions', discountPercent: terms.subscriptions },
    { id: `${id}-services`, scope: 'family', value: 'Services', discountPercent: terms.services },
    {
      id: `${id}-analytics-ent-25`,
      scope: 'product',
      value: 'lic-analytics-ent',
      minQuantity: '25',
      discountPercent: terms.enterpriseVolume,
    },
  ];
  return {
    id,
    name: `Reseller agreement`,
    partnerId: reseller,
    sellerId: distributor,
    validFrom,
    validTo,
    status: 'Active',
    rules,
    tiers: [
      { name: 'Silver', minBookings: '0.00', bonusPercent: '0' },
      { name: 'Gold', minBookings: '25000.00', bonusPercent: '2' },
      { name: 'Platinum', minBookings: '60000.00', bonusPercent: '4' },
    ],
  };
}

function distributorAgreement(
  distributor: string,
  terms: { all: string; licenses: string; subscriptions: string },
  validFrom: string,
  validTo: string,
): Agreement {
  const id = `ag-${distributor}-${VENDOR}`;
  return {
    id,
    name: 'Distribution agreement',
    partnerId: distributor,
    sellerId: VENDOR,
    validFrom,
    validTo,
    status: 'Active',
    rules: [
      { id: `${id}-all`, scope: 'all', discountPercent: terms.all },
      { id: `${id}-licenses`, scope: 'family', value: 'Licenses', discountPercent: terms.licenses },
      { id: `${id}-subscriptions`, scope: 'family', value: 'Subscriptions', discountPercent: terms.subscriptions },
    ],
    tiers: [
      { name: 'Silver', minBookings: '0.00', bonusPercent: '0' },
      { name: 'Gold', minBookings: '50000.00', bonusPercent: '2' },
      { name: 'Platinum', minBookings: '150000.00', bonusPercent: '3' },
    ],
  };
}

/** The catalog, parties, agreements and stock of the demo; agreements run from a year before `today` to a year after. */
export function demoReferenceData(today: string): ReferenceData {
  const validFrom = addMonths(today, -12);
  const validTo = addMonths(today, 12);
  const accounts: AccountRecord[] = [
    account(VENDOR, 'vendor', 'Northwind Software', 'US', 'AMER'),
    account(EMEA, 'distributor', 'Nordlys Distribution AB', 'SE', 'EMEA'),
    account(AMER, 'distributor', 'Pacific Channel Distribution Inc.', 'US', 'AMER'),
    account('r-nordic', 'reseller', 'Fjord IT Partners AB', 'SE', 'EMEA'),
    account('r-dach', 'reseller', 'Alpenblick Systemhaus GmbH', 'DE', 'EMEA'),
    account('r-uk', 'reseller', 'Thames Cloud Solutions Ltd', 'GB', 'EMEA'),
    account('r-west', 'reseller', 'Golden Gate Tech Solutions LLC', 'US', 'AMER'),
    account('r-maple', 'reseller', 'Maple Leaf Systems Inc.', 'CA', 'AMER'),
    account('c-skargard', 'endCustomer', 'Skärgård Logistics AB', 'SE', 'EMEA', { renewalUpliftPercent: '5' }),
    account('c-bergmann', 'endCustomer', 'Bergmann Maschinenbau GmbH', 'DE', 'EMEA', { renewalUpliftPercent: '3' }),
    account('c-kingsbridge', 'endCustomer', 'Kingsbridge Health Trust', 'GB', 'EMEA'),
    account('c-bayview', 'endCustomer', 'Bayview Credit Union', 'US', 'AMER', {
      renewalPricingMethod: 'same',
      renewalUpliftPercent: '4',
    }),
    account('c-redwood', 'endCustomer', 'Redwood Analytics Inc.', 'US', 'AMER'),
    account('c-laurentian', 'endCustomer', 'Laurentian Foods Ltd.', 'CA', 'AMER'),
  ];
  // Each user's locale writes their dates and amounts (the users the browser tests sign in as keep en-US;
  // Jonas Keller reads German, Olivia Bennett British English, Chloé Tremblay Canadian French).
  const users: User[] = [
    user(DEMO_MARKER_USER_ID, 'Vera Lindqvist', 'vera.lindqvist@northwind.example', 'vendorAdmin', VENDOR, 'en-US'),
    user('u-dist-emea', 'Erik Sandberg', 'erik.sandberg@nordlys-distribution.example', 'distributorUser', EMEA, 'en-US'),
    user('u-dist-amer', 'Maria Gonzalez', 'maria.gonzalez@pacific-channel.example', 'distributorUser', AMER, 'en-US'),
    user('u-res-nordic', 'Astrid Holm', 'astrid.holm@fjord-it.example', 'resellerUser', 'r-nordic', 'en-US'),
    user('u-res-dach', 'Jonas Keller', 'jonas.keller@alpenblick.example', 'resellerUser', 'r-dach', 'de-DE'),
    user('u-res-uk', 'Olivia Bennett', 'olivia.bennett@thames-cloud.example', 'resellerUser', 'r-uk', 'en-GB'),
    user('u-res-west', 'Daniel Park', 'daniel.park@goldengate-tech.example', 'resellerUser', 'r-west', 'en-US'),
    user('u-res-maple', 'Chloé Tremblay', 'chloe.tremblay@mapleleaf-systems.example', 'resellerUser', 'r-maple', 'fr-CA'),
  ];
  const priceBook: PriceBookEntry[] = PRODUCTS.flatMap((p) =>
    (['USD', 'EUR', 'SEK'] as const).flatMap((currency) => {
      const listPrice = p.prices[currency];
      return listPrice === undefined ? [] : [{ productId: p.id, currency, listPrice }];
    }),
  );
  const standard: ResellerTerms = { all: '10', licenses: '20', subscriptions: '15', services: '8', enterpriseVolume: '25' };
  const agreements: Agreement[] = [
    resellerAgreement('r-nordic', EMEA, { ...standard, licenses: '22' }, validFrom, validTo),
    resellerAgreement('r-dach', EMEA, standard, validFrom, validTo),
    // Alpenblick buys its cloud subscriptions through Pacific Channel, which runs Northwind's cloud marketplace.
    resellerAgreement('r-dach', AMER, { ...standard, all: '8', subscriptions: '18', licenses: '15' }, validFrom, validTo),
    resellerAgreement('r-uk', EMEA, { ...standard, services: '10' }, validFrom, validTo),
    resellerAgreement('r-west', AMER, { ...standard, licenses: '18', enterpriseVolume: '24' }, validFrom, validTo),
    resellerAgreement('r-maple', AMER, { ...standard, subscriptions: '12', services: '6' }, validFrom, validTo),
    distributorAgreement(EMEA, { all: '25', licenses: '30', subscriptions: '22' }, validFrom, validTo),
    distributorAgreement(AMER, { all: '24', licenses: '32', subscriptions: '20' }, validFrom, validTo),
  ];
  const defaultDistributorRules: DefaultDistributorRule[] = [
    { id: 'ddr-country-se', distributorId: EMEA, country: 'SE' },
    { id: 'ddr-country-us', distributorId: AMER, country: 'US' },
    { id: 'ddr-region-emea', distributorId: EMEA, region: 'EMEA' },
    { id: 'ddr-region-amer', distributorId: AMER, region: 'AMER' },
    { id: 'ddr-family-subscriptions-de', distributorId: AMER, family: 'Subscriptions', country: 'DE' },
  ];
  const stock: Record<string, readonly [string, string]> = {
    'lic-analytics-std': ['120', '200'],
    'lic-analytics-ent': ['60', '90'],
    'lic-designer': ['80', '100'],
    'lic-gateway': ['12', '20'],
    'lic-mobile': ['300', '500'],
    'lic-connector': ['40', '60'],
  };
  const inventory: InventoryRecord[] = Object.entries(stock).flatMap(([productId, [emea, amer]]) => [
    { distributorId: EMEA, productId, quantity: emea },
    { distributorId: AMER, productId, quantity: amer },
  ]);
  return {
    settings: { roundingMode: 'halfUp', channelMode: 'sequential', bookingsCurrency: 'USD' },
    accounts,
    users,
    products: PRODUCTS.map(productRecord),
    // The vendor's price floor on services (PRICING.md minNetPercentOfList): a Net total below 50 % of list needs
    // the vendor's approval. Every demo quote's services lines stay above it (the lowest is 57 %); the Chromium
    // story takes one below it (test/browser/story.test.ts).
    productFamilies: [{ family: 'Services', minNetPercentOfList: '50' }],
    priceBook,
    discountSchedules: DISCOUNT_SCHEDULES.map((d) => ({ ...d, tiers: d.tiers.map((t) => ({ ...t })) })),
    agreements,
    defaultDistributorRules,
    inventory,
  };
}

/**
 * Dated exchange rates for every demo currency other than the corporate USD (units per 1 USD): one set
 * from two years back, and a change 180 days back, so the last 12 months' bookings convert at two rates.
 */
export function demoExchangeRates(today: string): ExchangeRate[] {
  const old = addDays(today, -730);
  const recent = addDays(today, -180);
  return [
    { currency: 'EUR', startDate: old, rate: '0.920000' },
    { currency: 'EUR', startDate: recent, rate: '0.900000' },
    { currency: 'SEK', startDate: old, rate: '10.800000' },
    { currency: 'SEK', startDate: recent, rate: '10.400000' },
  ];
}

/** How far a story quote goes; `Activated` = Ordered with its order activated (contract created). */
type Goal = 'Draft' | 'NeedsApproval' | 'Approved' | 'Rejected' | 'Accepted' | 'Ordered' | 'Activated';

type Deal = {
  name: string;
  resellerUserId: string;
  /** The day the partners worked on it: the services' clock (quote expiry, order date, bookings). */
  on: string;
  quote: Omit<CreateQuoteInput, 'name' | 'resellerId'>;
  approval?: { comment: string; decision?: 'approve' | 'reject'; decisionComment?: string };
  goal: Goal;
};

const RANK: Record<Goal, number> = {
  Draft: 0,
  NeedsApproval: 1,
  Approved: 2,
  Rejected: 2,
  Accepted: 3,
  Ordered: 4,
  Activated: 5,
};

/** A contract of `termMonths` whose end date is `endDate`: start = (end + 1 day) − term. */
function startForEnd(endDate: string, termMonths: number): string {
  return addMonths(addDays(endDate, 1), -termMonths);
}

function storyDeals(today: string): Deal[] {
  const inDays = (n: number): string => addDays(today, n);
  const h1 = startForEnd(inDays(20), 12);
  const h2 = startForEnd(inDays(50), 12);
  const h3 = startForEnd(inDays(80), 12);
  const h4 = startForEnd(inDays(390), 24);
  return [
    // History: contracts sold about a year ago, worked on their start date.
    {
      name: 'Skärgård Logistics: Cloud Standard platform',
      resellerUserId: 'u-res-nordic',
      on: h1,
      quote: {
        distributorId: EMEA,
        endCustomerId: 'c-skargard',
        currency: 'EUR',
        startDate: h1,
        termMonths: 12,
        lines: [
          { productId: 'sub-cloud-std', quantity: '60', additionalDiscountPercent: '18' },
          { productId: 'sub-support-premium', quantity: '60' },
          { productId: 'svc-onboarding', quantity: '2' },
        ],
      },
      approval: {
        comment: 'Skärgård is moving its whole logistics platform off a competitor; 18 % wins the switch.',
        decision: 'approve',
        decisionComment: 'Approved as a competitive displacement.',
      },
      goal: 'Activated',
    },
    {
      name: 'Bergmann Maschinenbau: Cloud Professional and analytics',
      resellerUserId: 'u-res-dach',
      on: h2,
      quote: {
        distributorId: EMEA,
        endCustomerId: 'c-bergmann',
        currency: 'EUR',
        startDate: h2,
        termMonths: 12,
        lines: [
          { productId: 'sub-cloud-pro', quantity: '80' },
          { productId: 'sub-support-std', quantity: '80' },
          { productId: 'lic-analytics-ent', quantity: '30', additionalDiscountPercent: '10' },
        ],
      },
      goal: 'Activated',
    },
    {
      name: 'Kingsbridge Health: Cloud Enterprise, two years',
      resellerUserId: 'u-res-uk',
      on: h4,
      quote: {
        distributorId: EMEA,
        endCustomerId: 'c-kingsbridge',
        currency: 'EUR',
        startDate: h4,
        termMonths: 24,
        lines: [
          { productId: 'sub-cloud-ent', quantity: '50', additionalDiscountPercent: '5' },
          { productId: 'sub-security', quantity: '50' },
          { productId: 'svc-migration', quantity: '4' },
        ],
      },
      goal: 'Activated',
    },
    {
      name: 'Bayview Credit Union: cloud seats and backup',
      resellerUserId: 'u-res-west',
      on: h3,
      quote: {
        distributorId: AMER,
        endCustomerId: 'c-bayview',
        currency: 'USD',
        startDate: h3,
        termMonths: 12,
        lines: [
          { productId: 'sub-cloud-std', quantity: '120', additionalDiscountPercent: '5' },
          { productId: 'sub-cloud-pro', quantity: '30' },
          { productId: 'sub-backup', quantity: '10' },
          { productId: 'sub-support-std', quantity: '150' },
        ],
      },
      goal: 'Activated',
    },
    // Pipeline, worked on today.
    {
      name: 'Skärgård Logistics: analytics expansion',
      resellerUserId: 'u-res-nordic',
      on: today,
      // No distributor named: the default distributor rule for Sweden picks Nordlys.
      quote: {
        endCustomerId: 'c-skargard',
        currency: 'SEK',
        startDate: inDays(14),
        lines: [
          { productId: 'lic-analytics-std', quantity: '12', additionalDiscountPercent: '5' },
          { productId: 'lic-designer', quantity: '4' },
          { productId: 'svc-onboarding', quantity: '2' },
        ],
      },
      goal: 'Draft',
    },
    {
      name: 'Bergmann Maschinenbau: Cloud Professional for engineering',
      resellerUserId: 'u-res-dach',
      on: today,
      // No distributor named: Alpenblick's subscriptions go through Pacific Channel (family rule for Germany).
      quote: {
        endCustomerId: 'c-bergmann',
        currency: 'EUR',
        startDate: inDays(30),
        termMonths: 12,
        lines: [
          { productId: 'sub-cloud-pro', quantity: '150', additionalDiscountPercent: '20' },
          { productId: 'sub-support-premium', quantity: '150', additionalDiscountPercent: '10' },
        ],
      },
      approval: {
        comment: 'Bergmann has an offer 20 % below list from a competitor; winning engineering opens 600 more seats next year.',
      },
      goal: 'NeedsApproval',
    },
    {
      name: 'Kingsbridge Health: analytics for clinical reporting',
      resellerUserId: 'u-res-uk',
      on: today,
      quote: {
        distributorId: EMEA,
        endCustomerId: 'c-kingsbridge',
        currency: 'EUR',
        startDate: today,
        lines: [
          { productId: 'lic-analytics-ent', quantity: '30', additionalDiscountPercent: '18' },
          { productId: 'svc-training', quantity: '25' },
        ],
      },
      approval: {
        comment: 'Public framework tender: the trust’s budget is fixed at this price.',
        decision: 'approve',
        decisionComment: 'Approved for the framework tender, this quote only.',
      },
      goal: 'Approved',
    },
    {
      name: 'Redwood Analytics: gateways and connectors',
      resellerUserId: 'u-res-west',
      on: today,
      quote: {
        distributorId: AMER,
        endCustomerId: 'c-redwood',
        currency: 'USD',
        startDate: today,
        lines: [
          { productId: 'lic-gateway', quantity: '4', additionalDiscountPercent: '30' },
          { productId: 'lic-connector', quantity: '10', additionalDiscountPercent: '30' },
        ],
      },
      approval: {
        comment: 'Redwood asks for 30 % to stay within last year’s budget.',
        decision: 'reject',
        decisionComment: '30 % puts the gateways below our own cost. We can approve up to 20 %: resubmit at that.',
      },
      goal: 'Rejected',
    },
    {
      name: 'Laurentian Foods: onboarding, training and mobile',
      resellerUserId: 'u-res-maple',
      on: today,
      quote: {
        distributorId: AMER,
        endCustomerId: 'c-laurentian',
        currency: 'USD',
        startDate: inDays(7),
        lines: [
          { productId: 'svc-onboarding', quantity: '3' },
          { productId: 'svc-training', quantity: '15' },
          { productId: 'svc-health-check', quantity: '1' },
          { productId: 'svc-expert-day', quantity: '2' },
          { productId: 'lic-mobile', quantity: '40', additionalDiscountPercent: '10' },
        ],
      },
      goal: 'Accepted',
    },
    {
      name: 'Bayview Credit Union: mobile banking rollout',
      resellerUserId: 'u-res-west',
      on: today,
      quote: {
        distributorId: AMER,
        endCustomerId: 'c-bayview',
        currency: 'USD',
        startDate: today,
        lines: [
          { productId: 'lic-mobile', quantity: '60' },
          { productId: 'lic-analytics-std', quantity: '15', additionalDiscountPercent: '12' },
          { productId: 'svc-custom-dev', quantity: '5' },
        ],
      },
      goal: 'Ordered',
    },
  ];
}

/** The restocking order: Nordlys buys Analytics Enterprise licences from Northwind after Bergmann's order. */
const RESTOCK = {
  distributorUserId: 'u-dist-emea',
  input: { currency: 'EUR', lines: [{ productId: 'lic-analytics-ent', quantity: '40' }] },
};

function distributorUserOf(distributorId: string): string {
  return distributorId === EMEA ? 'u-dist-emea' : 'u-dist-amer';
}

async function findQuoteId(quotes: QuoteService, vendor: Viewer, name: string): Promise<string | undefined> {
  const found = (await quotes.listQuotes(vendor, { search: name })).filter((q) => q.name === name);
  if (found.length > 1) throw new Error(`the demo quote "${name}" exists ${found.length} times`);
  return found[0]?.id;
}

/** Creates the deal's quote if it is missing, then moves it on from its current status to the deal's goal. */
async function playDeal(store: CpqStore, deal: Deal, viewers: ReadonlyMap<string, Viewer>, vendor: Viewer): Promise<void> {
  const quotes = new QuoteService(store, () => deal.on);
  const orders = new OrderService(store, () => deal.on);
  const reseller = viewers.get(deal.resellerUserId)!;
  const goal = RANK[deal.goal];
  let step = 'create the quote';
  try {
    const id =
      (await findQuoteId(quotes, vendor, deal.name)) ??
      (await quotes.createQuote(reseller, { ...deal.quote, name: deal.name })).quote.id;
    const current = async (): Promise<{ status: QuoteStatus; version: number; distributorId: string }> =>
      (await store.getQuote(id))!;

    let q = await current();
    const distributor = viewers.get(distributorUserOf(q.distributorId))!;
    if (deal.approval && q.status === 'Draft' && goal >= RANK.NeedsApproval) {
      step = 'submit it for approval';
      await quotes.submitForApproval(reseller, id, q.version, deal.approval.comment);
      q = await current();
    }
    if (deal.approval?.decision && q.status === 'NeedsApproval') {
      step = `${deal.approval.decision} it`;
      await quotes.decideApproval(distributor, id, q.version, deal.approval.decision, deal.approval.decisionComment ?? '');
      q = await current();
    }
    if ((q.status === 'Draft' || q.status === 'Approved') && goal >= RANK.Accepted) {
      step = 'accept it';
      await quotes.acceptQuote(reseller, id, q.version);
      q = await current();
    }
    if (q.status === 'Accepted' && goal >= RANK.Ordered) {
      step = 'place the order';
      await orders.placeOrder(distributor, id);
      q = await current();
    }
    if (q.status === 'Ordered' && goal >= RANK.Activated) {
      step = 'activate the order';
      const order = await store.getOrderByQuote(id);
      if (!order) throw new Error('the quote is Ordered but has no order');
      await orders.activateOrder(distributor, order.id);
    }
    step = 'check the outcome';
    const expected: QuoteStatus = deal.goal === 'Activated' ? 'Ordered' : deal.goal;
    if (q.status !== expected) throw new Error(`the quote is ${q.status}, the story wants it ${expected}`);
  } catch (error) {
    throw new Error(
      `demo seed stopped at "${deal.name}" (${step}): ${(error as Error).message}. What was written so far is kept: run the seed again to finish.`,
      { cause: error },
    );
  }
}

/** Records in the store, by kind (quotes also by status, e.g. `quotes.Draft`). */
export async function countRecords(store: CpqStore): Promise<Record<string, number>> {
  const all = { limit: 1_000_000 };
  const [accounts, users, products, priceBook, schedules, agreements, rules, inventory, quotes, orders, contracts] =
    await Promise.all([
      store.listAccounts(),
      store.listUsers(),
      store.listProducts(),
      store.listPriceBook(),
      store.listDiscountSchedules(),
      store.listAgreements(),
      store.listDefaultDistributorRules(),
      store.listInventory(),
      store.listQuotes(all),
      store.listOrders(all),
      store.listContracts(all),
    ]);
  const approvals = await store.listApprovals(quotes.map((q) => q.id));
  const counts: Record<string, number> = {
    accounts: accounts.length,
    users: users.length,
    products: products.length,
    priceBookEntries: priceBook.length,
    discountSchedules: schedules.length,
    agreements: agreements.length,
    defaultDistributorRules: rules.length,
    inventoryRows: inventory.length,
    quotes: quotes.length,
    renewalQuotes: quotes.filter((q) => q.renewalOfContractIds.length > 0).length,
    approvals: approvals.length,
    orders: orders.length,
    contracts: contracts.length,
  };
  for (const q of quotes) counts[`quotes.${q.status}`] = (counts[`quotes.${q.status}`] ?? 0) + 1;
  return counts;
}

/**
 * Where the demo's people come from. Locally the seed writes them as store users (`u-vendor`, ...). An org
 * has real users, which the org store never writes: `resolveUsers` is then called once the accounts are
 * in the store, and returns the real user id for each demo user (the vendor admin: the admin who seeds;
 * partners: partner users of their accounts), which the story then acts as.
 */
export type DemoUserResolver = (users: readonly User[]) => Promise<ReadonlyMap<string, string>>;

/**
 * Seeds the demo into `store` as of `options.today` (YYYY-MM-DD). Locally it does nothing when user
 * `u-vendor` exists (written last, as the marker of a complete seed). With `resolveUsers` (an org) there is
 * no marker user: every step of the story is idempotent, so the seed runs again and only finishes what is
 * missing; `seeded` then says whether anything was added. `counts` are the store's records after the call.
 */
export async function seedDemoData(
  store: CpqStore,
  options: { today: string; resolveUsers?: DemoUserResolver },
): Promise<SeedResult> {
  const { today, resolveUsers } = options;
  addDays(today, 0); // throws on anything but a calendar date YYYY-MM-DD
  if (!resolveUsers && (await store.getUser(DEMO_MARKER_USER_ID))) return { seeded: false, counts: await countRecords(store) };
  const before = resolveUsers ? await countRecords(store) : undefined;

  const reference = demoReferenceData(today);
  const held = new Set((await store.listInventory()).map((i) => `${i.distributorId}\u0000${i.productId}`));
  await store.upsertReferenceData({
    ...reference,
    users: resolveUsers ? [] : reference.users.filter((u) => u.id !== DEMO_MARKER_USER_ID),
    inventory: reference.inventory.filter((i) => !held.has(`${i.distributorId}\u0000${i.productId}`)),
  });

  await store.importExchangeRates(demoExchangeRates(today));

  // Fjord IT's logo on its quote documents (docs/DOCUMENT.md); in an org, the File titled "Quote logo" on its account.
  if (store.logos && !(await store.logos.getLogo(DEMO_LOGO_ACCOUNT_ID))) {
    await store.logos.setLogo({
      accountId: DEMO_LOGO_ACCOUNT_ID,
      contentType: 'image/png',
      data: Buffer.from(DEMO_LOGO_PNG_BASE64, 'base64'),
      updatedBy: 'u-res-nordic',
      updatedAt: `${today}T00:00:00.000Z`,
    });
  }

  const realIds = resolveUsers ? await resolveUsers(reference.users) : undefined;
  const viewers = new Map(
    reference.users.map((u) => {
      const id = realIds ? realIds.get(u.id) : u.id;
      if (!id) throw new Error(`demo seed: no user stands for ${u.name} (${u.id})`);
      return [u.id, demoViewer({ ...u, id })];
    }),
  );
  const vendor = viewers.get(DEMO_MARKER_USER_ID)!;
  // Oldest first (the sort is stable): each order counts in the bookings of the deals after it.
  const deals = storyDeals(today).sort((a, b) => (a.on < b.on ? -1 : a.on > b.on ? 1 : 0));
  for (const deal of deals) await playDeal(store, deal, viewers, vendor);

  const restocker = viewers.get(RESTOCK.distributorUserId)!;
  const restocked = (await store.listOrders({ distributorId: restocker.accountId, limit: 1_000_000 })).some(
    (o) => o.kind === 'replenishment',
  );
  if (!restocked) await new OrderService(store, () => today).replenish(restocker, RESTOCK.input);

  await generateRenewals(store, { asOf: today });

  if (before) {
    const counts = await countRecords(store);
    return { seeded: Object.keys(counts).some((k) => counts[k] !== before[k]), counts };
  }
  // Last: the marker that says the whole story is there.
  await store.upsertReferenceData({ users: reference.users.filter((u) => u.id === DEMO_MARKER_USER_ID) });
  return { seeded: true, counts: await countRecords(store) };
}
