import { minorUnits } from '../../core/currency.js';
import { endCustomerKey, normalisedRegistrationNumber } from '../../core/endCustomers.js';
import { localeFromSid } from '../../core/records.js';
import type {
  AccountRecord,
  ApprovalRecord,
  ContractRecord,
  DefaultDistributorRule,
  InventoryRecord,
  OrderLineRecord,
  OrderRecord,
  ProductRecord,
  QuoteLineRecord,
  QuoteRecord,
  QuoteStatus,
  SubscriptionRecord,
  User,
} from '../../core/records.js';
import type { Agreement, AgreementRule, DiscountSchedule, PriceBookEntry, ProductFamily, Settings } from '../../core/scenario.js';
import { fromNumber, toNumber } from './decimal.js';

/**
 * Store records <-> Salesforce records (docs/ORG-SCHEMA.md), one section per object: the API names, the
 * fields a read selects, and the two conversions. Lookups are written and read through the target's
 * External_Id__c (`Reseller__r: { External_Id__c: 'R1' }`, `Reseller__r.External_Id__c`), so the adapter
 * never needs Salesforce ids. Decimals cross as JSON numbers (decimal.ts); money is read back with at least
 * its currency's minor units ("1200" -> "1200.00"), as the services write it.
 */

export type SfRow = Record<string, unknown>;
type Ref = { External_Id__c: string } | null;

/** Lookup fields and their target objects: what an `__r` reference resolves against (the fake org uses it too). */
export const LOOKUPS: Record<string, Record<string, string>> = {
  User: { ContactId: 'Contact' },
  Contact: { AccountId: 'Account' },
  Product2: { Discount_Schedule__c: 'Discount_Schedule__c' },
  Cpq_Price__c: { Product__c: 'Product2' },
  Discount_Tier__c: { Discount_Schedule__c: 'Discount_Schedule__c' },
  Partner_Agreement__c: { Partner__c: 'Account', Seller__c: 'Account' },
  Agreement_Rule__c: { Partner_Agreement__c: 'Partner_Agreement__c' },
  Agreement_Tier__c: { Partner_Agreement__c: 'Partner_Agreement__c' },
  Default_Distributor_Rule__c: { Distributor__c: 'Account' },
  Distributor_Inventory__c: { Distributor__c: 'Account', Product__c: 'Product2' },
  Channel_Quote__c: { Reseller__c: 'Account', Distributor__c: 'Account', End_Customer__c: 'Account' },
  Channel_Quote_Line__c: { Channel_Quote__c: 'Channel_Quote__c', Product__c: 'Product2' },
  Quote_Approval__c: { Channel_Quote__c: 'Channel_Quote__c' },
  Channel_Order__c: {
    Channel_Quote__c: 'Channel_Quote__c',
    Distributor__c: 'Account',
    Reseller__c: 'Account',
    End_Customer__c: 'Account',
  },
  Channel_Order_Line__c: { Channel_Order__c: 'Channel_Order__c', Product__c: 'Product2' },
  Channel_Contract__c: {
    Channel_Order__c: 'Channel_Order__c',
    Reseller__c: 'Account',
    Distributor__c: 'Account',
    End_Customer__c: 'Account',
    Renewal_Quote__c: 'Channel_Quote__c',
  },
  Channel_Subscription__c: { Channel_Contract__c: 'Channel_Contract__c', Product__c: 'Product2' },
  Channel_Booking__c: { Order__c: 'Channel_Order__c', Partner__c: 'Account', Seller__c: 'Account' },
  Deal_Registration__c: {
    Reseller__c: 'Account',
    Distributor__c: 'Account',
    End_Customer__c: 'Account',
    Channel_Quote__c: 'Channel_Quote__c',
  },
  Deal_Claim__c: { Deal_Registration__c: 'Deal_Registration__c' },
};

/** Master-detail children (deleted with their parent). */
export const MASTER_DETAIL: Record<string, string> = {
  Discount_Tier__c: 'Discount_Schedule__c',
  Agreement_Rule__c: 'Partner_Agreement__c',
  Agreement_Tier__c: 'Partner_Agreement__c',
  Channel_Quote_Line__c: 'Channel_Quote__c',
  Quote_Approval__c: 'Channel_Quote__c',
  Channel_Order_Line__c: 'Channel_Order__c',
  Channel_Subscription__c: 'Channel_Contract__c',
  Deal_Claim__c: 'Deal_Registration__c',
};

const ref = (externalId: string | null | undefined): Ref =>
  externalId === null || externalId === undefined ? null : { External_Id__c: externalId };
const refOf = (row: SfRow, relationship: string): string | null =>
  ((row[relationship] as Ref | undefined) ?? null)?.External_Id__c ?? null;
const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);
/** Name is required in an org: a record written without one got its id, which reads back as no name. */
const nameOf = (r: SfRow): string | undefined => (r.Name === r.External_Id__c ? undefined : str(r.Name));
const int = (v: unknown): number | undefined => (typeof v === 'number' ? v : undefined);
const dec = (v: unknown, minDecimals = 0): string | undefined => fromNumber(v, minDecimals) ?? undefined;
const money = (v: unknown, currency: string): string | null => fromNumber(v, minorUnits(currency) ?? 2);
/** DateTime fields come back as "2026-06-01T10:00:00.000+0000": the store keeps ISO 8601 in UTC. */
const dateTime = (v: unknown): string | null =>
  typeof v === 'string' ? new Date(v.replace(/\+0000$/, 'Z')).toISOString() : null;
/** User lookups hold Salesforce user ids; the renewal job's "system" is no user. */
const userRef = (id: string | null | undefined): string | null => (id && id !== 'system' ? id : null);

/** An empty lookup is written as `Rel__c: null` (a `Rel__r` reference needs an external id to resolve). */
function sf(row: SfRow): SfRow {
  for (const key of Object.keys(row)) {
    if (key.endsWith('__r') && row[key] === null) {
      delete row[key];
      row[key.replace(/__r$/, '__c')] = null;
    }
  }
  return row;
}

/** Drops absent optional properties, so a record reads back as it was written. */
function compact<T extends object>(record: T): T {
  for (const key of Object.keys(record) as (keyof T)[]) if (record[key] === undefined) delete record[key];
  return record;
}

export const fields = (...names: string[]): string => names.join(', ');

// Settings (hierarchy custom setting, org default)

export const SETTINGS_FIELDS = fields(
  'Id',
  'Rounding_Mode__c',
  'Channel_Mode__c',
  'Bookings_Currency__c',
  'Vendor_Approval_Above_Percent__c',
);
export function settingsFromSf(row: SfRow): Settings {
  return compact({
    roundingMode: row.Rounding_Mode__c === 'halfEven' ? 'halfEven' : 'halfUp',
    channelMode: row.Channel_Mode__c === 'offList' ? 'offList' : 'sequential',
    bookingsCurrency: str(row.Bookings_Currency__c) ?? 'USD',
    vendorApprovalAbovePercent: dec(row.Vendor_Approval_Above_Percent__c),
  });
}
export const settingsToSf = (s: Settings): SfRow =>
  sf({
    Rounding_Mode__c: s.roundingMode,
    Channel_Mode__c: s.channelMode,
    Bookings_Currency__c: s.bookingsCurrency,
    Vendor_Approval_Above_Percent__c: toNumber(s.vendorApprovalAbovePercent),
  });

// Account

export const ACCOUNT_FIELDS = fields(
  'External_Id__c',
  'Name',
  'Channel_Role__c',
  'Channel_Country__c',
  'Channel_Region__c',
  'Renewal_Pricing_Method__c',
  'Renewal_Uplift_Percent__c',
  'Registration_Number__c',
  'Quote_Terms__c',
);
/** Written, never read back: the unique de-duplication key of an end customer (core/endCustomers.ts). */
export const accountToSf = (a: AccountRecord): SfRow =>
  sf({
    External_Id__c: a.id,
    Name: a.name ?? a.id,
    Channel_Role__c: a.type,
    Channel_Country__c: a.country ?? null,
    Channel_Region__c: a.region ?? null,
    Renewal_Pricing_Method__c: a.renewalPricingMethod ?? null,
    Renewal_Uplift_Percent__c: toNumber(a.renewalUpliftPercent),
    Registration_Number__c: a.registrationNumber ?? null,
    Dedupe_Key__c: a.type === 'endCustomer' ? (endCustomerKey(a) ?? null) : null,
    Registration_Key__c: a.type === 'endCustomer' ? normalisedRegistrationNumber(a.registrationNumber) || null : null,
    // Only when given: partners create end customers, and only the admin may edit a reseller's terms.
    ...(a.quoteTerms !== undefined ? { Quote_Terms__c: a.quoteTerms } : {}),
  });
export const accountFromSf = (r: SfRow): AccountRecord =>
  compact({
    id: r.External_Id__c as string,
    name: nameOf(r),
    type: r.Channel_Role__c as AccountRecord['type'],
    country: str(r.Channel_Country__c),
    region: str(r.Channel_Region__c),
    renewalPricingMethod: str(r.Renewal_Pricing_Method__c) as AccountRecord['renewalPricingMethod'],
    renewalUpliftPercent: dec(r.Renewal_Uplift_Percent__c),
    registrationNumber: str(r.Registration_Number__c),
    quoteTerms: str(r.Quote_Terms__c),
  });

// User (partner users: User -> Contact -> Account)

export const USER_FIELDS = fields(
  'Id',
  'Name',
  'Email',
  'LocaleSidKey',
  'Contact.Account.External_Id__c',
  'Contact.Account.Channel_Role__c',
);
export function userFromSf(r: SfRow): User | undefined {
  const account = ((r.Contact as SfRow | null)?.Account ?? null) as SfRow | null;
  if (!account) return undefined;
  const role = { vendor: 'vendorAdmin', distributor: 'distributorUser', reseller: 'resellerUser' }[
    account.Channel_Role__c as string
  ] as User['role'] | undefined;
  if (!role) return undefined;
  return {
    id: r.Id as string,
    name: r.Name as string,
    email: r.Email as string,
    role,
    accountId: account.External_Id__c as string,
    ...(localeFromSid(r.LocaleSidKey) ? { locale: localeFromSid(r.LocaleSidKey) } : {}),
  };
}

// Product2

export const PRODUCT_FIELDS = fields(
  'External_Id__c',
  'Name',
  'ProductCode',
  'Family',
  'Product_Type__c',
  'Term_Months__c',
  'Discount_Schedule__r.External_Id__c',
  'Non_Discountable__c',
  'Non_Partner_Discountable__c',
  'Tracks_Inventory__c',
  'Renewal_Pricing_Method__c',
  'Min_Net_Percent_Of_List__c',
);
export const productToSf = (p: ProductRecord): SfRow =>
  sf({
    External_Id__c: p.id,
    Name: p.name ?? p.id,
    ProductCode: p.sku ?? null,
    Family: p.family ?? null,
    Product_Type__c: p.type,
    Term_Months__c: p.termMonths ?? null,
    Discount_Schedule__r: ref(p.discountScheduleId),
    Non_Discountable__c: p.nonDiscountable,
    Non_Partner_Discountable__c: p.nonPartnerDiscountable,
    Tracks_Inventory__c: p.tracksInventory,
    Renewal_Pricing_Method__c: p.renewalPricingMethod ?? null,
    Min_Net_Percent_Of_List__c: toNumber(p.minNetPercentOfList),
  });
export const productFromSf = (r: SfRow): ProductRecord =>
  compact({
    id: r.External_Id__c as string,
    name: nameOf(r),
    sku: str(r.ProductCode),
    family: str(r.Family),
    type: r.Product_Type__c === 'subscription' ? 'subscription' : 'oneTime',
    termMonths: int(r.Term_Months__c),
    discountScheduleId: refOf(r, 'Discount_Schedule__r') ?? undefined,
    nonDiscountable: r.Non_Discountable__c === true,
    nonPartnerDiscountable: r.Non_Partner_Discountable__c === true,
    tracksInventory: r.Tracks_Inventory__c === true,
    renewalPricingMethod: str(r.Renewal_Pricing_Method__c) as ProductRecord['renewalPricingMethod'],
    minNetPercentOfList: dec(r.Min_Net_Percent_Of_List__c),
  });

// Product_Family__c (the family key is External_Id__c, unique regardless of case; Name shows the family)

export const FAMILY_FIELDS = fields('External_Id__c', 'Min_Net_Percent_Of_List__c');
export const familyToSf = (f: ProductFamily): SfRow =>
  sf({
    External_Id__c: f.family,
    Name: f.family,
    Min_Net_Percent_Of_List__c: toNumber(f.minNetPercentOfList),
  });
export const familyFromSf = (r: SfRow): ProductFamily =>
  compact({
    family: r.External_Id__c as string,
    minNetPercentOfList: dec(r.Min_Net_Percent_Of_List__c),
  });

// Cpq_Price__c

export const PRICE_FIELDS = fields('Product__r.External_Id__c', 'Currency_Code__c', 'List_Price__c');
export const priceToSf = (e: PriceBookEntry): SfRow =>
  sf({
    External_Id__c: `${e.productId}:${e.currency}`,
    Product__r: ref(e.productId),
    Currency_Code__c: e.currency,
    List_Price__c: toNumber(e.listPrice),
  });
export const priceFromSf = (r: SfRow): PriceBookEntry => ({
  productId: refOf(r, 'Product__r')!,
  currency: r.Currency_Code__c as string,
  listPrice: money(r.List_Price__c, r.Currency_Code__c as string)!,
});

// Discount_Schedule__c + Discount_Tier__c

export const SCHEDULE_FIELDS = fields('External_Id__c', 'Name', 'Schedule_Type__c', 'Aggregation__c');
export const TIER_FIELDS = fields(
  'Discount_Schedule__r.External_Id__c',
  'From_Quantity__c',
  'To_Quantity__c',
  'Discount_Percent__c',
  'Sort_Order__c',
);
export const scheduleToSf = (d: DiscountSchedule): SfRow =>
  sf({
    External_Id__c: d.id,
    Name: d.name ?? d.id,
    Schedule_Type__c: d.type,
    Aggregation__c: d.aggregation,
  });
export const scheduleTiersToSf = (d: DiscountSchedule): SfRow[] =>
  d.tiers.map((t, i) => ({
    External_Id__c: `${d.id}:${i}`,
    Discount_Schedule__r: ref(d.id),
    From_Quantity__c: toNumber(t.from),
    To_Quantity__c: toNumber(t.to),
    Discount_Percent__c: toNumber(t.discountPercent),
    Sort_Order__c: i,
  }));
export const scheduleFromSf = (r: SfRow, tiers: SfRow[]): DiscountSchedule =>
  compact({
    id: r.External_Id__c as string,
    name: nameOf(r),
    type: r.Schedule_Type__c as DiscountSchedule['type'],
    aggregation: r.Aggregation__c === 'quote' ? 'quote' : 'line',
    tiers: tiers.map((t) =>
      compact({
        from: dec(t.From_Quantity__c)!,
        to: dec(t.To_Quantity__c),
        discountPercent: dec(t.Discount_Percent__c)!,
      }),
    ),
  });

// Partner_Agreement__c + Agreement_Rule__c + Agreement_Tier__c

export const AGREEMENT_FIELDS = fields(
  'External_Id__c',
  'Name',
  'Partner__r.External_Id__c',
  'Seller__r.External_Id__c',
  'Valid_From__c',
  'Valid_To__c',
  'Status__c',
  'Channel_Mode__c',
  'Registered_Deal_Bonus_Percent__c',
);
export const RULE_FIELDS = fields(
  'External_Id__c',
  'Partner_Agreement__r.External_Id__c',
  'Scope__c',
  'Scope_Value__c',
  'Min_Quantity__c',
  'Discount_Percent__c',
  'Max_Additional_Discount_Percent__c',
  'Sort_Order__c',
);
export const AGREEMENT_TIER_FIELDS = fields(
  'Partner_Agreement__r.External_Id__c',
  'Name',
  'Min_Bookings__c',
  'Bonus_Percent__c',
  'Sort_Order__c',
);
export const agreementToSf = (a: Agreement): SfRow =>
  sf({
    External_Id__c: a.id,
    Name: a.name ?? a.id,
    Partner__r: ref(a.partnerId),
    Seller__r: ref(a.sellerId),
    Valid_From__c: a.validFrom,
    Valid_To__c: a.validTo ?? null,
    Status__c: a.status,
    Channel_Mode__c: a.channelMode ?? null,
    Registered_Deal_Bonus_Percent__c: toNumber(a.registeredDealBonusPercent),
  });
/**
 * Rule ids are unique within their agreement only (a copied agreement repeats them), so the key is
 * `<agreementId>:<rule id>`, or `<agreementId>#<position>` for a rule without an id.
 */
const ruleKey = (agreementId: string, rule: AgreementRule, index: number): string =>
  rule.id === undefined ? `${agreementId}#${index}` : `${agreementId}:${rule.id}`;
const ruleIdOf = (agreementId: string, key: string): string | undefined =>
  key.startsWith(`${agreementId}:`) ? key.slice(agreementId.length + 1) : undefined;
export const rulesToSf = (a: Agreement): SfRow[] =>
  a.rules.map((r, i) => ({
    External_Id__c: ruleKey(a.id, r, i),
    Partner_Agreement__r: ref(a.id),
    Scope__c: r.scope,
    Scope_Value__c: r.value ?? null,
    Min_Quantity__c: toNumber(r.minQuantity),
    Discount_Percent__c: toNumber(r.discountPercent),
    Max_Additional_Discount_Percent__c: toNumber(r.maxAdditionalDiscountPercent),
    Sort_Order__c: i,
  }));
export const agreementTiersToSf = (a: Agreement): SfRow[] =>
  a.tiers.map((t, i) => ({
    External_Id__c: `${a.id}:tier:${i}`,
    Partner_Agreement__r: ref(a.id),
    Name: t.name,
    Min_Bookings__c: toNumber(t.minBookings),
    Bonus_Percent__c: toNumber(t.bonusPercent),
    Sort_Order__c: i,
  }));
export const agreementFromSf = (r: SfRow, rules: SfRow[], tiers: SfRow[]): Agreement => {
  const id = r.External_Id__c as string;
  return compact({
    id,
    name: nameOf(r),
    partnerId: refOf(r, 'Partner__r')!,
    sellerId: refOf(r, 'Seller__r')!,
    validFrom: r.Valid_From__c as string,
    validTo: str(r.Valid_To__c),
    status: r.Status__c as Agreement['status'],
    channelMode: str(r.Channel_Mode__c) as Agreement['channelMode'],
    registeredDealBonusPercent: dec(r.Registered_Deal_Bonus_Percent__c),
    rules: rules.map((x) =>
      compact({
        id: ruleIdOf(id, x.External_Id__c as string),
        scope: x.Scope__c as AgreementRule['scope'],
        value: str(x.Scope_Value__c),
        minQuantity: dec(x.Min_Quantity__c),
        discountPercent: dec(x.Discount_Percent__c)!,
        maxAdditionalDiscountPercent: dec(x.Max_Additional_Discount_Percent__c),
      }),
    ),
    tiers: tiers.map((t) => ({
      name: t.Name as string,
      minBookings: dec(t.Min_Bookings__c)!,
      bonusPercent: dec(t.Bonus_Percent__c)!,
    })),
  });
};

// Default_Distributor_Rule__c

export const DEFAULT_RULE_FIELDS = fields(
  'External_Id__c',
  'Distributor__r.External_Id__c',
  'Country__c',
  'Region__c',
  'Family__c',
);
export const defaultRuleToSf = (r: DefaultDistributorRule): SfRow =>
  sf({
    External_Id__c: r.id,
    Distributor__r: ref(r.distributorId),
    Country__c: r.country ?? null,
    Region__c: r.region ?? null,
    Family__c: r.family ?? null,
  });
export const defaultRuleFromSf = (r: SfRow): DefaultDistributorRule =>
  compact({
    id: r.External_Id__c as string,
    distributorId: refOf(r, 'Distributor__r')!,
    country: str(r.Country__c),
    region: str(r.Region__c),
    family: str(r.Family__c),
  });

// Distributor_Inventory__c

export const INVENTORY_FIELDS = fields('Id', 'Distributor__r.External_Id__c', 'Product__r.External_Id__c', 'Quantity__c');
export const inventoryKey = (distributorId: string, productId: string): string => `${distributorId}:${productId}`;
export const inventoryToSf = (i: InventoryRecord): SfRow =>
  sf({
    External_Id__c: inventoryKey(i.distributorId, i.productId),
    Distributor__r: ref(i.distributorId),
    Product__r: ref(i.productId),
    Quantity__c: toNumber(i.quantity),
  });
export const inventoryFromSf = (r: SfRow): InventoryRecord => ({
  distributorId: refOf(r, 'Distributor__r')!,
  productId: refOf(r, 'Product__r')!,
  quantity: dec(r.Quantity__c)!,
});

// Channel_Quote__c + Channel_Quote_Line__c

export const QUOTE_FIELDS = fields(
  'Id',
  'External_Id__c',
  'Name',
  'Quote_Number__c',
  'Reseller__r.External_Id__c',
  'Distributor__r.External_Id__c',
  'End_Customer__r.External_Id__c',
  'Currency_Code__c',
  'Status__c',
  'Start_Date__c',
  'Pricing_Date__c',
  'Term_Months__c',
  'Channel_Mode__c',
  'Channel_Mode_Set_By__c',
  'Channel_Mode_Set_At__c',
  'Expiry_Date__c',
  'Record_Version__c',
  'Contract_Group__c',
  'Is_Renewal__c',
  'Order_Requested_By__c',
  'Order_Requested_At__c',
  'Order_Request_Comment__c',
  'Purchase_Order_Number__c',
  'Accepted_Document_Version__c',
  'Notes__c',
  'Additional_Discount_Percent__c',
  'Customer_Total__c',
  'Partner_Total__c',
  'Net_Total__c',
  'Approval_Required__c',
  'Created_By_User__c',
  'CreatedDate',
  'LastModifiedDate',
);
export const QUOTE_LINE_FIELDS = fields(
  'Id',
  'External_Id__c',
  'Channel_Quote__r.External_Id__c',
  'Product__r.External_Id__c',
  'Quantity__c',
  'Term_Months__c',
  'Start_Date__c',
  'Additional_Discount_Percent__c',
  'Additional_Discount_Amount__c',
  'Renewal_Customer_Unit__c',
  'Line_Group__c',
  'Notes__c',
  'Sort_Order__c',
);

/** The quote's own fields (no lines); `version` is written by the caller's conditional update. */
export const quoteToSf = (q: QuoteRecord): SfRow =>
  sf({
    External_Id__c: q.id,
    Name: q.name,
    Quote_Number__c: q.number,
    Reseller__r: ref(q.resellerId),
    Distributor__r: ref(q.distributorId),
    End_Customer__r: ref(q.endCustomerId),
    Currency_Code__c: q.currency,
    Status__c: q.status,
    Start_Date__c: q.startDate,
    Pricing_Date__c: q.pricingDate ?? null,
    Term_Months__c: q.termMonths ?? null,
    Channel_Mode__c: q.channelMode ?? null,
    Channel_Mode_Set_By__c: userRef(q.channelModeSetBy),
    Channel_Mode_Set_At__c: q.channelModeSetAt ?? null,
    Expiry_Date__c: q.expiryDate,
    Record_Version__c: q.version,
    Contract_Group__c: q.contractGroup ?? null,
    Is_Renewal__c: q.renewalOfContractIds.length > 0,
    Order_Requested_By__c: userRef(q.orderRequest?.requestedBy),
    Order_Requested_At__c: q.orderRequest?.requestedAt ?? null,
    Order_Request_Comment__c: q.orderRequest?.comment ?? null,
    Purchase_Order_Number__c: q.purchaseOrderNumber ?? null,
    Accepted_Document_Version__c: q.acceptedDocumentVersion ?? null,
    Notes__c: q.notes ?? null,
    Additional_Discount_Percent__c: toNumber(q.additionalDiscountPercent),
    Customer_Total__c: toNumber(q.customerTotal),
    Partner_Total__c: toNumber(q.partnerTotal),
    Net_Total__c: toNumber(q.netTotal),
    Approval_Required__c: q.approvalRequired,
    Created_By_User__c: userRef(q.createdBy),
  });
export const quoteLinesToSf = (q: QuoteRecord): SfRow[] =>
  q.lines.map((l, i) => ({
    External_Id__c: l.id,
    Channel_Quote__r: ref(q.id),
    Sort_Order__c: i,
    Product__r: ref(l.productId),
    Quantity__c: toNumber(l.quantity),
    Term_Months__c: l.termMonths ?? null,
    Start_Date__c: l.startDate ?? null,
    Additional_Discount_Percent__c: toNumber(l.additionalDiscountPercent),
    Additional_Discount_Amount__c: toNumber(l.additionalDiscountAmount),
    Renewal_Customer_Unit__c: toNumber(l.renewalCustomerUnit),
    Line_Group__c: l.group ?? null,
    Notes__c: l.notes ?? null,
  }));
/**
 * quote.registeredDeal is read through the registration that names the quote (Deal_Registration__c.Channel_Quote__c,
 * docs/ORG-SCHEMA.md): its claims, with the registration's id, number and last protected day, in one query.
 */
export const REGISTERED_DEAL_CLAIM_FIELDS = fields(
  'External_Id__c',
  'Family__c',
  'Deal_Registration__r.External_Id__c',
  'Deal_Registration__r.Registration_Number__c',
  'Deal_Registration__r.Protected_Until__c',
  'Deal_Registration__r.Channel_Quote__r.External_Id__c',
);
type RegisteredDeal = NonNullable<QuoteRecord['registeredDeal']>;
/** Claims (ordered by their external id: the registration's order of families) → registeredDeal by quote id. */
export function registeredDealsFromSf(claims: SfRow[]): Map<string, RegisteredDeal> {
  const byQuote = new Map<string, RegisteredDeal>();
  for (const c of claims) {
    const deal = c.Deal_Registration__r as SfRow | null;
    const quoteId = deal ? refOf(deal, 'Channel_Quote__r') : undefined;
    const protectedUntil = deal ? str(deal.Protected_Until__c) : undefined;
    if (!deal || !quoteId || !protectedUntil) continue;
    const known = byQuote.get(quoteId);
    if (known) known.families.push(c.Family__c as string);
    else
      byQuote.set(quoteId, {
        id: deal.External_Id__c as string,
        number: deal.Registration_Number__c as string,
        families: [c.Family__c as string],
        protectedUntil,
      });
  }
  return byQuote;
}
export function quoteFromSf(
  r: SfRow,
  lines: SfRow[],
  renewalOf: string[],
  registeredDeal?: QuoteRecord['registeredDeal'],
): QuoteRecord {
  const currency = r.Currency_Code__c as string;
  const requestedBy = str(r.Order_Requested_By__c);
  return compact({
    id: r.External_Id__c as string,
    number: r.Quote_Number__c as string,
    name: r.Name as string,
    resellerId: refOf(r, 'Reseller__r')!,
    distributorId: refOf(r, 'Distributor__r')!,
    endCustomerId: refOf(r, 'End_Customer__r')!,
    currency,
    status: r.Status__c as QuoteRecord['status'],
    startDate: r.Start_Date__c as string,
    pricingDate: str(r.Pricing_Date__c),
    termMonths: int(r.Term_Months__c),
    channelMode: str(r.Channel_Mode__c) as QuoteRecord['channelMode'],
    channelModeSetBy: str(r.Channel_Mode_Set_By__c),
    channelModeSetAt: dateTime(r.Channel_Mode_Set_At__c) ?? undefined,
    registeredDeal,
    expiryDate: r.Expiry_Date__c as string,
    version: r.Record_Version__c as number,
    renewalOfContractIds: renewalOf,
    contractGroup: str(r.Contract_Group__c),
    orderRequest: requestedBy
      ? {
          requestedBy,
          requestedAt: dateTime(r.Order_Requested_At__c)!,
          comment: (r.Order_Request_Comment__c as string | null) ?? '',
        }
      : undefined,
    purchaseOrderNumber: str(r.Purchase_Order_Number__c),
    acceptedDocumentVersion: int(r.Accepted_Document_Version__c),
    notes: str(r.Notes__c),
    additionalDiscountPercent: dec(r.Additional_Discount_Percent__c),
    createdBy: str(r.Created_By_User__c) ?? 'system',
    createdAt: dateTime(r.CreatedDate)!,
    updatedAt: dateTime(r.LastModifiedDate)!,
    lines: lines.map((l): QuoteLineRecord =>
      compact({
        id: l.External_Id__c as string,
        productId: refOf(l, 'Product__r')!,
        quantity: dec(l.Quantity__c)!,
        termMonths: int(l.Term_Months__c),
        startDate: str(l.Start_Date__c),
        additionalDiscountPercent: dec(l.Additional_Discount_Percent__c),
        additionalDiscountAmount: money(l.Additional_Discount_Amount__c, currency) ?? undefined,
        renewalCustomerUnit: money(l.Renewal_Customer_Unit__c, currency) ?? undefined,
        group: str(l.Line_Group__c),
        notes: str(l.Notes__c),
      }),
    ),
    customerTotal: money(r.Customer_Total__c, currency),
    partnerTotal: money(r.Partner_Total__c, currency),
    netTotal: money(r.Net_Total__c, currency),
    approvalRequired: r.Approval_Required__c === true,
  });
}

// Quote_Approval__c

export const APPROVAL_FIELDS = fields(
  'External_Id__c',
  'Channel_Quote__r.External_Id__c',
  'Status__c',
  'Requested_By__c',
  'Requested_At__c',
  'Request_Comment__c',
  'Decided_By__c',
  'Decided_At__c',
  'Decision_Comment__c',
  'Level__c',
);
export const approvalToSf = (a: ApprovalRecord): SfRow =>
  sf({
    External_Id__c: a.id,
    Channel_Quote__r: ref(a.quoteId),
    Status__c: a.status,
    Requested_By__c: userRef(a.requestedBy),
    Requested_At__c: a.requestedAt,
    Request_Comment__c: a.comment,
    Decided_By__c: userRef(a.decidedBy),
    Decided_At__c: a.decidedAt,
    Decision_Comment__c: a.decisionComment,
    Level__c: a.level,
  });
export const approvalFromSf = (r: SfRow): ApprovalRecord => ({
  id: r.External_Id__c as string,
  quoteId: refOf(r, 'Channel_Quote__r')!,
  level: (r.Level__c as ApprovalRecord['level'] | null) ?? 'Distributor',
  status: r.Status__c as ApprovalRecord['status'],
  requestedBy: str(r.Requested_By__c) ?? 'system',
  requestedAt: dateTime(r.Requested_At__c)!,
  comment: (r.Request_Comment__c as string | null) ?? '',
  decidedBy: str(r.Decided_By__c) ?? null,
  decidedAt: dateTime(r.Decided_At__c),
  decisionComment: (r.Decision_Comment__c as string | null) ?? null,
});

// Channel_Order__c + Channel_Order_Line__c

export const ORDER_FIELDS = fields(
  'Id',
  'External_Id__c',
  'Order_Number__c',
  'Kind__c',
  'Quote_Key__c',
  'Distributor__r.External_Id__c',
  'Reseller__r.External_Id__c',
  'End_Customer__r.External_Id__c',
  'Currency_Code__c',
  'Status__c',
  'Placed_By__c',
  'Placed_At__c',
  'Order_Date__c',
  'Customer_Total__c',
  'Partner_Total__c',
  'Net_Total__c',
);
export const ORDER_LINE_FIELDS = fields(
  'External_Id__c',
  'Channel_Order__r.External_Id__c',
  'Product__r.External_Id__c',
  'Quantity__c',
  'Term_Months__c',
  'List_Unit__c',
  'Regular_Unit__c',
  'Customer_Unit__c',
  'Partner_Unit__c',
  'Net_Unit__c',
  'Customer_Total__c',
  'Partner_Total__c',
  'Net_Total__c',
  'Sort_Order__c',
);
export const orderToSf = (o: OrderRecord): SfRow =>
  sf({
    External_Id__c: o.id,
    Name: o.number,
    Order_Number__c: o.number,
    Kind__c: o.kind,
    Channel_Quote__r: ref(o.quoteId),
    Quote_Key__c: o.quoteId,
    Distributor__r: ref(o.distributorId),
    Reseller__r: ref(o.resellerId),
    End_Customer__r: ref(o.endCustomerId),
    Currency_Code__c: o.currency,
    Status__c: o.status,
    Placed_By__c: userRef(o.placedBy),
    Placed_At__c: o.placedAt,
    Order_Date__c: o.orderDate,
    Customer_Total__c: toNumber(o.customerTotal),
    Partner_Total__c: toNumber(o.partnerTotal),
    Net_Total__c: toNumber(o.netTotal),
  });
export const orderLinesToSf = (o: OrderRecord): SfRow[] =>
  o.lines.map((l, i) => ({
    External_Id__c: l.id,
    Channel_Order__r: ref(o.id),
    Sort_Order__c: i,
    Product__r: ref(l.productId),
    Quantity__c: toNumber(l.quantity),
    Term_Months__c: l.termMonths,
    List_Unit__c: toNumber(l.list),
    Regular_Unit__c: toNumber(l.regular),
    Customer_Unit__c: toNumber(l.customer),
    Partner_Unit__c: toNumber(l.partner),
    Net_Unit__c: toNumber(l.net),
    Customer_Total__c: toNumber(l.customerTotal),
    Partner_Total__c: toNumber(l.partnerTotal),
    Net_Total__c: toNumber(l.netTotal),
  }));
export function orderFromSf(r: SfRow, lines: SfRow[]): OrderRecord {
  const currency = r.Currency_Code__c as string;
  const m = (v: unknown): string => money(v, currency)!;
  return {
    id: r.External_Id__c as string,
    number: r.Order_Number__c as string,
    kind: r.Kind__c as OrderRecord['kind'],
    quoteId: str(r.Quote_Key__c) ?? null,
    distributorId: refOf(r, 'Distributor__r')!,
    resellerId: refOf(r, 'Reseller__r'),
    endCustomerId: refOf(r, 'End_Customer__r'),
    currency,
    status: r.Status__c as OrderRecord['status'],
    placedBy: str(r.Placed_By__c) ?? 'system',
    placedAt: dateTime(r.Placed_At__c)!,
    orderDate: r.Order_Date__c as string,
    customerTotal: money(r.Customer_Total__c, currency),
    partnerTotal: money(r.Partner_Total__c, currency),
    netTotal: m(r.Net_Total__c),
    lines: lines.map((l): OrderLineRecord => ({
      id: l.External_Id__c as string,
      productId: refOf(l, 'Product__r')!,
      quantity: dec(l.Quantity__c)!,
      termMonths: int(l.Term_Months__c) ?? null,
      list: m(l.List_Unit__c),
      regular: m(l.Regular_Unit__c),
      customer: m(l.Customer_Unit__c),
      partner: m(l.Partner_Unit__c),
      net: m(l.Net_Unit__c),
      customerTotal: m(l.Customer_Total__c),
      partnerTotal: m(l.Partner_Total__c),
      netTotal: m(l.Net_Total__c),
    })),
  };
}

// Channel_Contract__c + Channel_Subscription__c

export const CONTRACT_FIELDS = fields(
  'External_Id__c',
  'Contract_Number__c',
  'Channel_Order__r.External_Id__c',
  'Reseller__r.External_Id__c',
  'Distributor__r.External_Id__c',
  'End_Customer__r.External_Id__c',
  'Currency_Code__c',
  'Start_Date__c',
  'End_Date__c',
  'Term_Months__c',
  'Contract_Group__c',
  'Renewal_Pricing_Method__c',
  'Renewal_Uplift_Percent__c',
  'Renewal_Quote__r.External_Id__c',
  'Renewal_Quote__r.Status__c',
  'Status__c',
);
export const SUBSCRIPTION_FIELDS = fields(
  'External_Id__c',
  'Channel_Contract__r.External_Id__c',
  'Product__r.External_Id__c',
  'Quantity__c',
  'Term_Months__c',
  'Customer_Unit__c',
  'Partner_Unit__c',
  'Net_Unit__c',
  'Renewal_Pricing_Method__c',
  'Renewal_Uplift_Percent__c',
  'Sort_Order__c',
);
/** Contracts are created unlinked: only createRenewalQuote(s) set Renewal_Quote__c. */
export const contractToSf = (c: ContractRecord): SfRow =>
  sf({
    External_Id__c: c.id,
    Name: c.number,
    Contract_Number__c: c.number,
    Channel_Order__r: ref(c.orderId),
    Reseller__r: ref(c.resellerId),
    Distributor__r: ref(c.distributorId),
    End_Customer__r: ref(c.endCustomerId),
    Currency_Code__c: c.currency,
    Start_Date__c: c.startDate,
    End_Date__c: c.endDate,
    Term_Months__c: c.termMonths,
    Contract_Group__c: c.contractGroup ?? null,
    Renewal_Pricing_Method__c: c.renewalPricingMethod ?? null,
    Renewal_Uplift_Percent__c: toNumber(c.renewalUpliftPercent),
    Renewal_Quote__r: ref(c.renewalQuoteId),
    Status__c: c.status,
  });
export const subscriptionsToSf = (c: ContractRecord): SfRow[] =>
  c.subscriptions.map((s, i) => ({
    External_Id__c: s.id,
    Channel_Contract__r: ref(c.id),
    Sort_Order__c: i,
    Product__r: ref(s.productId),
    Quantity__c: toNumber(s.quantity),
    Term_Months__c: s.termMonths,
    Customer_Unit__c: toNumber(s.customerUnit),
    Partner_Unit__c: toNumber(s.partnerUnit),
    Net_Unit__c: toNumber(s.netUnit),
    Renewal_Pricing_Method__c: s.renewalPricingMethod ?? null,
    Renewal_Uplift_Percent__c: toNumber(s.renewalUpliftPercent),
  }));
export function contractFromSf(r: SfRow, subscriptions: SfRow[]): ContractRecord {
  const currency = r.Currency_Code__c as string;
  const id = r.External_Id__c as string;
  return compact({
    id,
    number: r.Contract_Number__c as string,
    orderId: refOf(r, 'Channel_Order__r')!,
    resellerId: refOf(r, 'Reseller__r')!,
    distributorId: refOf(r, 'Distributor__r')!,
    endCustomerId: refOf(r, 'End_Customer__r')!,
    currency,
    startDate: r.Start_Date__c as string,
    endDate: r.End_Date__c as string,
    termMonths: r.Term_Months__c as number,
    contractGroup: str(r.Contract_Group__c),
    renewalPricingMethod: str(r.Renewal_Pricing_Method__c) as ContractRecord['renewalPricingMethod'],
    renewalUpliftPercent: dec(r.Renewal_Uplift_Percent__c),
    renewalQuoteId: refOf(r, 'Renewal_Quote__r'),
    renewalQuoteStatus: str((r.Renewal_Quote__r as SfRow | null | undefined)?.Status__c) as QuoteStatus | undefined,
    status: r.Status__c as ContractRecord['status'],
    subscriptions: subscriptions.map((s): SubscriptionRecord =>
      compact({
        id: s.External_Id__c as string,
        contractId: id,
        productId: refOf(s, 'Product__r')!,
        quantity: dec(s.Quantity__c)!,
        termMonths: s.Term_Months__c as number,
        customerUnit: money(s.Customer_Unit__c, currency)!,
        partnerUnit: money(s.Partner_Unit__c, currency)!,
        netUnit: money(s.Net_Unit__c, currency)!,
        renewalPricingMethod: str(s.Renewal_Pricing_Method__c) as SubscriptionRecord['renewalPricingMethod'],
        renewalUpliftPercent: dec(s.Renewal_Uplift_Percent__c),
      }),
    ),
  });
}
