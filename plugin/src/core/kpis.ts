/**
 * The channel KPIs (CHANNEL.md, "Channel KPIs"): one table of keys, labels and definitions. The local
 * dashboard (services/dashboard.ts) and the Apex DashboardService answer a value for every key; the LWC
 * channelDashboard shows each value with its definition from c/cpqKpis, which `npm run build:engine`
 * generates from this table (and `npm run lint` checks is fresh), so the three never disagree.
 *
 * Every value is a string or null: counts "3", money in the dashboard's currency "1234.50", percentages
 * with one decimal "66.7", days with one decimal "12.5". null means there is nothing to compute it from
 * (no denominator); a KPI whose `available` is false has no figure at all yet.
 */

export type KpiUnit = 'count' | 'money' | 'percent' | 'days';
export type KpiGroup = 'partners' | 'registeredDeals' | 'pipeline' | 'approvals' | 'renewals';

export type KpiDefinition = {
  key: string;
  group: KpiGroup;
  label: string;
  unit: KpiUnit;
  definition: string;
  /** false: not computed yet (the figure is "not available yet", never an invented 0). */
  available: boolean;
};

export const KPI_GROUPS: readonly { key: KpiGroup; label: string }[] = [
  { key: 'partners', label: 'Partners' },
  { key: 'pipeline', label: 'Pipeline' },
  { key: 'approvals', label: 'Approvals' },
  { key: 'renewals', label: 'Renewals' },
  { key: 'registeredDeals', label: 'Registered deals' },
];

export const KPI_DEFINITIONS: readonly KpiDefinition[] = [
  {
    key: 'partnersActive',
    group: 'partners',
    label: 'Active partners',
    unit: 'count',
    definition: 'Resellers in your scope that created a quote or had an order dated in the period.',
    available: true,
  },
  {
    key: 'partnersNew',
    group: 'partners',
    label: 'New partners',
    unit: 'count',
    definition: 'Active resellers with no quote and no order before the period.',
    available: true,
  },
  {
    key: 'partnersChurned',
    group: 'partners',
    label: 'Churned partners',
    unit: 'count',
    definition: 'Resellers active in the previous period (as many days, just before) and not in this one.',
    available: true,
  },
  {
    key: 'churnRate',
    group: 'partners',
    label: 'Churn rate',
    unit: 'percent',
    definition: 'Churned partners ÷ resellers active in the previous period.',
    available: true,
  },
  {
    key: 'openQuoteValue',
    group: 'pipeline',
    label: 'Open quote value',
    unit: 'money',
    definition:
      'Customer total of the quotes now in Draft, Needs approval, Approved or Accepted, created by the end of the period; converted at the rate of its last day.',
    available: true,
  },
  {
    key: 'wonValue',
    group: 'pipeline',
    label: 'Won value',
    unit: 'money',
    definition: 'Customer total of the resale orders dated in the period, each converted at its order date’s rate.',
    available: true,
  },
  {
    key: 'ordersWon',
    group: 'pipeline',
    label: 'Orders won',
    unit: 'count',
    definition: 'Resale orders dated in the period (placed or activated).',
    available: true,
  },
  {
    key: 'winRate',
    group: 'pipeline',
    label: 'Win rate',
    unit: 'percent',
    definition: 'Quotes created in the period that are now Accepted or Ordered ÷ quotes created in the period.',
    available: true,
  },
  {
    key: 'averageDealValue',
    group: 'pipeline',
    label: 'Average deal value',
    unit: 'money',
    definition: 'Won value ÷ orders won.',
    available: true,
  },
  {
    key: 'averageSalesCycleDays',
    group: 'pipeline',
    label: 'Average sales cycle',
    unit: 'days',
    definition:
      'Mean days from a quote’s creation to its order date, over the orders won (orders back-dated before their quote was created are left out).',
    available: true,
  },
  {
    key: 'approvalRequests',
    group: 'approvals',
    label: 'Approval requests',
    unit: 'count',
    definition: 'Approval requests submitted in the period.',
    available: true,
  },
  {
    key: 'approvalsApproved',
    group: 'approvals',
    label: 'Approved',
    unit: 'count',
    definition: 'Requests of the period that were approved.',
    available: true,
  },
  {
    key: 'approvalsRejected',
    group: 'approvals',
    label: 'Rejected',
    unit: 'count',
    definition: 'Requests of the period that were rejected by an approver.',
    available: true,
  },
  {
    key: 'approvalsWithdrawn',
    group: 'approvals',
    label: 'Withdrawn',
    unit: 'count',
    definition: 'Requests of the period withdrawn by editing the quote: not a rejection.',
    available: true,
  },
  {
    key: 'approvalRate',
    group: 'approvals',
    label: 'Approved (%)',
    unit: 'percent',
    definition: 'Approved ÷ (approved + rejected); withdrawn and pending requests are not counted.',
    available: true,
  },
  {
    key: 'medianDaysToDecide',
    group: 'approvals',
    label: 'Median time to decide',
    unit: 'days',
    definition: 'Median days from request to decision of the approved and rejected requests of the period.',
    available: true,
  },
  {
    key: 'renewalsDue',
    group: 'renewals',
    label: 'Renewals due',
    unit: 'count',
    definition: 'Contracts whose end date falls in the period.',
    available: true,
  },
  {
    key: 'renewalsRenewed',
    group: 'renewals',
    label: 'Renewed',
    unit: 'count',
    definition: 'Contracts due whose renewal quote is Ordered.',
    available: true,
  },
  {
    key: 'renewalRate',
    group: 'renewals',
    label: 'Renewal rate',
    unit: 'percent',
    definition: 'Renewed ÷ due.',
    available: true,
  },
  {
    key: 'renewalValue',
    group: 'renewals',
    label: 'Renewal value',
    unit: 'money',
    definition: 'Customer total of the renewal orders of the contracts due, each converted at its order date’s rate.',
    available: true,
  },
  {
    key: 'dealsSubmitted',
    group: 'registeredDeals',
    label: 'Deals submitted',
    unit: 'count',
    definition: 'Deal registrations submitted in the period.',
    available: true,
  },
  {
    key: 'dealsApproved',
    group: 'registeredDeals',
    label: 'Deals approved',
    unit: 'count',
    definition: 'Registrations submitted in the period that were approved (whatever became of them since).',
    available: true,
  },
  {
    key: 'dealsAcceptedRate',
    group: 'registeredDeals',
    label: 'Deals accepted (%)',
    unit: 'percent',
    definition: 'Approved ÷ decided (approved + rejected) registrations submitted in the period.',
    available: true,
  },
  {
    key: 'dealsConverted',
    group: 'registeredDeals',
    label: 'Converted to quotes',
    unit: 'count',
    definition: 'Registrations submitted in the period that were converted to a quote.',
    available: true,
  },
  {
    key: 'dealsWon',
    group: 'registeredDeals',
    label: 'Deals won',
    unit: 'count',
    definition: 'Converted registrations of the period whose quote is now Ordered.',
    available: true,
  },
  {
    key: 'dealsConversionRate',
    group: 'registeredDeals',
    label: 'Deal conversion rate',
    unit: 'percent',
    definition: 'Deals won ÷ deals approved.',
    available: true,
  },
];

export type KpiKey = (typeof KPI_DEFINITIONS)[number]['key'];

/** Every KPI key, in table order. */
export const KPI_KEYS: readonly string[] = KPI_DEFINITIONS.map((k) => k.key);
