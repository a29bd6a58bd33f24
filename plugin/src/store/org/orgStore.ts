import type { Connection } from '@salesforce/core';
import { minorUnits } from '../../core/currency.js';
import { ConflictError, NotFoundError, StateError } from '../../core/errors.js';
import { QUANTITY_DECIMALS, formatScaledShort, parseScaled } from '../../core/exact.js';
import type {
  AccountRecord,
  ApprovalRecord,
  ContractRecord,
  DefaultDistributorRule,
  InventoryRecord,
  OrderRecord,
  ProductRecord,
  QuoteRecord,
  User,
} from '../../core/records.js';
import { sameEndCustomer } from '../../core/endCustomers.js';
import { ledgerEntriesOf } from '../../core/ledger.js';
import type {
  Agreement,
  Booking,
  DiscountSchedule,
  ExchangeRate,
  PriceBookEntry,
  ProductFamily,
  Settings,
} from '../../core/scenario.js';
import type {
  BookingParty,
  ContractFilter,
  CpqStore,
  InventoryDelta,
  NewOrder,
  OrderFilter,
  OrderTerms,
  QuoteFilter,
  QuoteSideEffects,
  ReferenceData,
} from '../port.js';
import {
  BULK_THRESHOLD,
  COLLECTION_SIZE,
  COMPOSITE_COLLECTIONS_OR_QUERIES,
  GRAPH_COUNT,
  GRAPH_NODES,
  type OrgApi,
  OrgWriteError,
  chunks,
  type Subrequest,
} from './api.js';
import { fromNumber, toNumber } from './decimal.js';
import { OrgDealStore } from './orgDeals.js';
import { OrgLogoStore } from './orgLogos.js';
import * as m from './mapping.js';
import type { SfRow } from './mapping.js';
import { date, likeContains, raw, soql } from './soql.js';

const DEFAULT_SETTINGS: Settings = { roundingMode: 'halfUp', channelMode: 'sequential', bookingsCurrency: 'USD' };
const PREFIX = { quote: 'Q', order: 'O', contract: 'C' } as const;
const NUMBER_FIELD = {
  quote: ['Channel_Quote__c', 'Quote_Number__c'],
  order: ['Channel_Order__c', 'Order_Number__c'],
  contract: ['Channel_Contract__c', 'Contract_Number__c'],
} as const;

/** The store key of the renewal quote of a contract group: what makes renewal creation an idempotent insert. */
export const renewalKey = (contractIds: readonly string[]): string => `renewal:${contractIds[0]}`;

const without = (row: SfRow, ...keys: string[]): SfRow => {
  const copy = { ...row };
  for (const k of keys) delete copy[k];
  return copy;
};
const typed = (type: string, rows: SfRow[]): SfRow[] => rows.map((r) => ({ attributes: { type }, ...r }));
const conflict = (id: string, expected: number, actual: number): ConflictError =>
  new ConflictError(
    `quote ${id} was changed by someone else (you edited version ${expected}, it is now at version ${actual}): reload it and apply your change again`,
  );

/**
 * The CpqStore port over a Salesforce org (docs/ORG-STORE.md). Reads are SOQL built with the `soql` tag;
 * multi-record writes are one allOrNone composite request each (renewals: one composite graph per
 * renewal, many graphs per call); optimistic concurrency is a conditional inside the same composite
 * request: a query subrequest that only finds the quote at the expected version, whose Id the update
 * references, so a stale version makes the reference fail and rolls the whole request back.
 */
export class OrgStore implements CpqStore {
  public readonly kind = 'org' as const;
  private referenceWrites = 0;
  /** Numbers handed out by this process, so consecutive reservations never repeat before they are written. */
  private readonly issued = { quote: 0, order: 0, contract: 0 };

  /** Deal registrations (docs/DEALS.md): Deal_Registration__c and its Deal_Claim__c rows. */
  public readonly deals: OrgDealStore;

  /** Reseller logos: the File titled "Quote logo" on the reseller's account (orgLogos.ts, docs/DOCUMENT.md). */
  public readonly logos: OrgLogoStore;

  public constructor(
    private readonly connection: Connection,
    private readonly api: OrgApi,
  ) {
    this.deals = new OrgDealStore(api);
    this.logos = new OrgLogoStore(api);
  }

  public apiCalls(): number {
    return this.api.apiCalls();
  }

  public close(): Promise<void> {
    return Promise.resolve();
  }

  // Reference data

  private async settingsRow(): Promise<SfRow | undefined> {
    const orgId = this.connection.getAuthInfoFields().orgId ?? '';
    const [row] = await this.api.query(
      soql`SELECT ${raw(m.SETTINGS_FIELDS)} FROM Cpq_Settings__c WHERE SetupOwnerId = ${orgId} LIMIT 1`,
    );
    return row;
  }

  public async getSettings(): Promise<Settings> {
    const row = await this.settingsRow();
    return row ? m.settingsFromSf(row) : DEFAULT_SETTINGS;
  }

  public async listAccounts(): Promise<AccountRecord[]> {
    const rows = await this.api.query(
      soql`SELECT ${raw(m.ACCOUNT_FIELDS)} FROM Account WHERE External_Id__c != NULL ORDER BY External_Id__c`,
    );
    return rows.map(m.accountFromSf);
  }

  /**
   * The CLI's side of adding an end customer (an admin's run): a look-up then an upsert by external id, not one
   * transaction. Partner users add end customers through Apex (QuoteService.createEndCustomer), which also
   * shares the account with the partner; here `partnerId` changes nothing (an admin sees every account).
   */
  public async addEndCustomer(
    candidate: AccountRecord,
    _partnerId?: string,
  ): Promise<{ account: AccountRecord; created: boolean }> {
    const match = (await this.listAccounts()).find((a) => a.type === 'endCustomer' && sameEndCustomer(candidate, a));
    if (match) return { account: match, created: false };
    try {
      await this.upsertReferenceData({ accounts: [candidate] });
    } catch (error) {
      // Added by someone else since the look-up: the unique Dedupe_Key__c refused this copy, so use theirs.
      if (!(error instanceof OrgWriteError && error.has('DUPLICATE_VALUE'))) throw error;
      const theirs = (await this.listAccounts()).find((a) => a.type === 'endCustomer' && sameEndCustomer(candidate, a));
      if (!theirs) throw error;
      return { account: theirs, created: false };
    }
    return { account: candidate, created: true };
  }

  public async listUsers(): Promise<User[]> {
    const rows = await this.api.query(
      soql`SELECT ${raw(m.USER_FIELDS)} FROM User WHERE IsActive = TRUE AND ContactId != NULL ORDER BY Id`,
    );
    return rows.map(m.userFromSf).filter((u): u is User => u !== undefined);
  }

  public async getUser(id: string): Promise<User | undefined> {
    // A Salesforce user id is 15 or 18 letters and digits; an org refuses anything else in an Id filter.
    if (!/^[a-zA-Z0-9]{15}([a-zA-Z0-9]{3})?$/.test(id)) return undefined;
    const [row] = await this.api.query(soql`SELECT ${raw(m.USER_FIELDS)} FROM User WHERE Id = ${id}`);
    return row ? m.userFromSf(row) : undefined;
  }

  public async listProducts(): Promise<ProductRecord[]> {
    const rows = await this.api.query(
      soql`SELECT ${raw(m.PRODUCT_FIELDS)} FROM Product2 WHERE External_Id__c != NULL ORDER BY External_Id__c`,
    );
    return rows.map(m.productFromSf);
  }

  public async listPriceBook(): Promise<PriceBookEntry[]> {
    const rows = await this.api.query(
      soql`SELECT ${raw(m.PRICE_FIELDS)} FROM Cpq_Price__c ORDER BY Product__r.External_Id__c, Currency_Code__c`,
    );
    return rows.map(m.priceFromSf);
  }

  public async listDiscountSchedules(): Promise<DiscountSchedule[]> {
    const schedules = await this.api.query(
      soql`SELECT ${raw(m.SCHEDULE_FIELDS)} FROM Discount_Schedule__c ORDER BY External_Id__c`,
    );
    if (schedules.length === 0) return [];
    const tiers = await this.api.query(
      soql`SELECT ${raw(m.TIER_FIELDS)} FROM Discount_Tier__c ORDER BY Discount_Schedule__r.External_Id__c, Sort_Order__c`,
    );
    const byParent = groupBy(tiers, (t) => refOf(t, 'Discount_Schedule__r'));
    return schedules.map((s) => m.scheduleFromSf(s, byParent.get(s.External_Id__c as string) ?? []));
  }

  public async listProductFamilies(): Promise<ProductFamily[]> {
    const rows = await this.api.query(
      soql`SELECT ${raw(m.FAMILY_FIELDS)} FROM Product_Family__c WHERE External_Id__c != NULL ORDER BY External_Id__c`,
    );
    return rows.map(m.familyFromSf);
  }

  public async listAgreements(partnerIds?: readonly string[]): Promise<Agreement[]> {
    if (partnerIds && partnerIds.length === 0) return [];
    const where = partnerIds ? soql` WHERE Partner__r.External_Id__c IN ${partnerIds}` : '';
    const childWhere = partnerIds ? soql` WHERE Partner_Agreement__r.Partner__r.External_Id__c IN ${partnerIds}` : '';
    const agreements = await this.api.query(
      `${soql`SELECT ${raw(m.AGREEMENT_FIELDS)} FROM Partner_Agreement__c`}${where} ORDER BY External_Id__c`,
    );
    if (agreements.length === 0) return [];
    const rules = await this.api.query(
      `${soql`SELECT ${raw(m.RULE_FIELDS)} FROM Agreement_Rule__c`}${childWhere} ORDER BY Partner_Agreement__r.External_Id__c, Sort_Order__c`,
    );
    const tiers = await this.api.query(
      `${soql`SELECT ${raw(m.AGREEMENT_TIER_FIELDS)} FROM Agreement_Tier__c`}${childWhere} ORDER BY Partner_Agreement__r.External_Id__c, Sort_Order__c`,
    );
    const rulesOf = groupBy(rules, (r) => refOf(r, 'Partner_Agreement__r'));
    const tiersOf = groupBy(tiers, (r) => refOf(r, 'Partner_Agreement__r'));
    return agreements.map((a) => {
      const id = a.External_Id__c as string;
      return m.agreementFromSf(a, rulesOf.get(id) ?? [], tiersOf.get(id) ?? []);
    });
  }

  public async listOrderTerms(agreementIds: readonly string[]): Promise<OrderTerms[]> {
    const rows = await this.api.queryIn(
      agreementIds,
      (chunk) =>
        soql`SELECT External_Id__c, Auto_Fulfil__c, Credit_Limit__c, Credit_Limit_Currency__c FROM Partner_Agreement__c WHERE External_Id__c IN ${chunk} ORDER BY External_Id__c`,
    );
    return rows.map((r) => {
      const currency =
        typeof r.Credit_Limit_Currency__c === 'string' && r.Credit_Limit_Currency__c ? r.Credit_Limit_Currency__c : null;
      return {
        agreementId: r.External_Id__c as string,
        autoFulfil: r.Auto_Fulfil__c === true,
        creditLimit: fromNumber(r.Credit_Limit__c, minorUnits(currency ?? '') ?? 2),
        creditLimitCurrency: currency,
      };
    });
  }

  /** An update by external id of the three fields alone, once the agreement is known to exist (no upsert creates one). */
  public async setOrderTerms(terms: OrderTerms): Promise<void> {
    const rows = await this.api.query(soql`SELECT Id FROM Partner_Agreement__c WHERE External_Id__c = ${terms.agreementId}`);
    if (rows.length === 0) throw new NotFoundError('Agreement', terms.agreementId);
    await this.api.upsert('Partner_Agreement__c', [
      {
        External_Id__c: terms.agreementId,
        Auto_Fulfil__c: terms.autoFulfil,
        Credit_Limit__c: terms.creditLimit === null ? null : toNumber(terms.creditLimit),
        Credit_Limit_Currency__c: terms.creditLimitCurrency,
      },
    ]);
  }

  public async listDefaultDistributorRules(): Promise<DefaultDistributorRule[]> {
    const rows = await this.api.query(
      soql`SELECT ${raw(m.DEFAULT_RULE_FIELDS)} FROM Default_Distributor_Rule__c ORDER BY External_Id__c`,
    );
    return rows.map(m.defaultRuleFromSf);
  }

  /** Small loads: sObject Collections (200 per call, allOrNone); large ones: a Bulk API 2.0 job per object. */
  private async load(type: string, records: SfRow[]): Promise<void> {
    if (records.length === 0) return;
    if (records.length > BULK_THRESHOLD) await this.api.bulkUpsert(type, records);
    else await this.api.upsert(type, records);
  }

  /** Deletes the children of the given parents that the new data no longer has (a rule removed, a tier fewer). */
  private async deleteStale(type: string, parentRelationship: string, parents: string[], keep: Set<string>): Promise<void> {
    if (parents.length === 0) return;
    const rows = await this.api.queryIn(
      parents,
      (chunk) => soql`SELECT Id, External_Id__c FROM ${raw(type)} WHERE ${raw(parentRelationship)}.External_Id__c IN ${chunk}`,
    );
    await this.api.delete(rows.filter((r) => !keep.has(r.External_Id__c as string)).map((r) => r.Id as string));
  }

  /**
   * Upserts by external id, parents before children. Each call is all or nothing (200 records), a bulk
   * job per object above 2,000 records; the whole load is not one transaction (an org has none that
   * large), but it is idempotent: running it again after a failure converges on the same records.
   */
  public async upsertReferenceData(data: Partial<ReferenceData>): Promise<void> {
    this.referenceWrites++;
    if (data.users && data.users.length > 0) {
      throw new Error(
        'users are Salesforce users: create them in Setup (partner users of the partner accounts); the org store does not write users',
      );
    }
    // Order terms ride on their agreement's own record (the same upsert); terms of an agreement not loaded
    // here update one that must exist already (an upsert by external id would create it): checked before
    // anything is written.
    const terms = new Map((data.orderTerms ?? []).map((t) => [t.agreementId, t]));
    const termsFields = (t: OrderTerms): SfRow => ({
      Auto_Fulfil__c: t.autoFulfil,
      Credit_Limit__c: t.creditLimit === null ? null : toNumber(t.creditLimit),
      Credit_Limit_Currency__c: t.creditLimitCurrency,
    });
    const loaded = new Set((data.agreements ?? []).map((a) => a.id));
    const elsewhere = [...terms.values()].filter((t) => !loaded.has(t.agreementId));
    if (elsewhere.length > 0) {
      const found = await this.api.queryIn(
        elsewhere.map((t) => t.agreementId),
        (chunk) => soql`SELECT External_Id__c FROM Partner_Agreement__c WHERE External_Id__c IN ${chunk}`,
      );
      const existing = new Set(found.map((r) => r.External_Id__c as string));
      const missing = elsewhere.find((t) => !existing.has(t.agreementId));
      if (missing) throw new NotFoundError('Agreement', missing.agreementId);
    }
    if (data.settings) {
      const existing = await this.settingsRow();
      const body = m.settingsToSf(data.settings);
      if (existing) await this.api.request('PATCH', `${this.api.base}/sobjects/Cpq_Settings__c/${String(existing.Id)}`, body);
      else {
        const orgId = this.connection.getAuthInfoFields().orgId;
        await this.api.request('POST', `${this.api.base}/sobjects/Cpq_Settings__c`, { ...body, SetupOwnerId: orgId });
      }
    }
    await this.load('Account', (data.accounts ?? []).map(m.accountToSf));
    const schedules = data.discountSchedules ?? [];
    await this.load('Discount_Schedule__c', schedules.map(m.scheduleToSf));
    const tiers = schedules.flatMap(m.scheduleTiersToSf);
    await this.load('Discount_Tier__c', tiers);
    await this.deleteStale(
      'Discount_Tier__c',
      'Discount_Schedule__r',
      schedules.map((s) => s.id),
      new Set(tiers.map((t) => t.External_Id__c as string)),
    );
    await this.load('Product_Family__c', (data.productFamilies ?? []).map(m.familyToSf));
    await this.load('Product2', (data.products ?? []).map(m.productToSf));
    await this.load('Cpq_Price__c', (data.priceBook ?? []).map(m.priceToSf));
    const agreements = data.agreements ?? [];
    await this.load(
      'Partner_Agreement__c',
      agreements.map((a) => {
        const t = terms.get(a.id);
        return t ? { ...m.agreementToSf(a), ...termsFields(t) } : m.agreementToSf(a);
      }),
    );
    await this.load(
      'Partner_Agreement__c',
      elsewhere.map((t) => ({ External_Id__c: t.agreementId, ...termsFields(t) })),
    );
    const rules = agreements.flatMap(m.rulesToSf);
    const agreementTiers = agreements.flatMap(m.agreementTiersToSf);
    await this.load('Agreement_Rule__c', rules);
    await this.load('Agreement_Tier__c', agreementTiers);
    const agreementIds = agreements.map((a) => a.id);
    await this.deleteStale(
      'Agreement_Rule__c',
      'Partner_Agreement__r',
      agreementIds,
      new Set(rules.map((r) => r.External_Id__c as string)),
    );
    await this.deleteStale(
      'Agreement_Tier__c',
      'Partner_Agreement__r',
      agreementIds,
      new Set(agreementTiers.map((r) => r.External_Id__c as string)),
    );
    await this.load('Default_Distributor_Rule__c', (data.defaultDistributorRules ?? []).map(m.defaultRuleToSf));
    await this.load('Distributor_Inventory__c', (data.inventory ?? []).map(m.inventoryToSf));
  }

  /** Changes with every reference write through this store; another writer's changes show in a new process. */
  public referenceRevision(): Promise<string> {
    return Promise.resolve(String(this.referenceWrites));
  }

  /**
   * The bookings ledger (Channel_Booking__c, written with the activation): entries of exactly these
   * (partner, seller) pairs, in their order currencies (converted when counted). No order is read.
   */
  public async listBookings(parties: readonly BookingParty[], from: string, to: string): Promise<Booking[]> {
    if (parties.length === 0) return [];
    const pairs = new Set(parties.map((p) => `${p.partnerId}\u0000${p.sellerId}`));
    const partnerIds = [...new Set(parties.map((p) => p.partnerId))];
    const sellerIds = [...new Set(parties.map((p) => p.sellerId))];
    const rows = await this.api.query(
      soql`SELECT Partner__r.External_Id__c, Seller__r.External_Id__c, Order_Date__c, Amount__c, Currency_Code__c
        FROM Channel_Booking__c WHERE Partner__r.External_Id__c IN ${partnerIds} AND Seller__r.External_Id__c IN ${sellerIds}
        AND Order_Date__c >= ${date(from)} AND Order_Date__c < ${date(to)}
        ORDER BY Order_Date__c, External_Id__c`,
    );
    const bookings: Booking[] = [];
    for (const r of rows) {
      const partnerId = refOf(r, 'Partner__r')!;
      const sellerId = refOf(r, 'Seller__r')!;
      if (!pairs.has(`${partnerId}\u0000${sellerId}`)) continue;
      const currency = r.Currency_Code__c as string;
      bookings.push({
        partnerId,
        sellerId,
        date: r.Order_Date__c as string,
        amount: fromNumber(r.Amount__c, minorUnits(currency) ?? 2)!,
        currency,
      });
    }
    return bookings;
  }

  /** The ledger rows of an activated order (core/ledger.ts), by external id: `<order>:R` and `<order>:D`. */
  private async bookingRows(order: OrderRecord): Promise<SfRow[]> {
    const vendorId = (await this.listAccounts()).find((a) => a.type === 'vendor')?.id;
    if (!vendorId) throw new StateError('there is no vendor account: the order cannot be booked', 'NO_VENDOR');
    return ledgerEntriesOf(order, vendorId).map((e) => ({
      External_Id__c: `${order.id}:${e.partnerId === order.distributorId ? 'D' : 'R'}`,
      Order__r: { External_Id__c: order.id },
      Partner__r: { External_Id__c: e.partnerId },
      Seller__r: { External_Id__c: e.sellerId },
      Order_Date__c: e.date,
      Amount__c: toNumber(e.amount),
      Currency_Code__c: e.currency ?? order.currency,
    }));
  }

  /**
   * Dated exchange rates from DatedConversionRate (multi-currency with advanced currency management), but
   * the corporate currency's own (always 1).
   */
  public async listExchangeRates(): Promise<ExchangeRate[]> {
    const corporate = (await this.getSettings()).bookingsCurrency;
    const rows = await this.api.query(
      soql`SELECT IsoCode, StartDate, ConversionRate FROM DatedConversionRate WHERE IsoCode != ${corporate} ORDER BY IsoCode, StartDate`,
    );
    return rows.map((r) => ({
      currency: r.IsoCode as string,
      startDate: r.StartDate as string,
      rate: fromNumber(r.ConversionRate)!,
    }));
  }

  /**
   * Upserts DatedConversionRate records by (IsoCode, StartDate) in one allOrNone composite request:
   * existing ones get their ConversionRate updated, the others are created. A currency the org does not
   * have yet is activated in the same request (a CurrencyType, DecimalPlaces its ISO 4217 minor unit,
   * ConversionRate its latest rate); an inactive one is refused (activate it in Setup, Manage Currencies).
   */
  public async importExchangeRates(rates: readonly ExchangeRate[]): Promise<void> {
    if (rates.length === 0) return;
    const [existing, currencies] = await Promise.all([
      this.api.query(soql`SELECT Id, IsoCode, StartDate FROM DatedConversionRate`),
      this.api.query(soql`SELECT IsoCode, IsActive FROM CurrencyType`),
    ]);
    const ids = new Map(existing.map((r) => [`${r.IsoCode as string}\u0000${r.StartDate as string}`, r.Id as string]));
    const known = new Map(currencies.map((c) => [c.IsoCode as string, c.IsActive === true]));
    const inactive = [...new Set(rates.map((r) => r.currency))].filter((c) => known.get(c) === false);
    if (inactive.length > 0) {
      throw new StateError(
        `${inactive.join(', ')}: not an active currency of the org: activate it in Setup, Manage Currencies, then import again`,
        'INACTIVE_CURRENCY',
      );
    }
    const latest = new Map<string, ExchangeRate>();
    for (const r of rates)
      if (!known.has(r.currency) && (latest.get(r.currency)?.startDate ?? '') < r.startDate) latest.set(r.currency, r);
    const newCurrencies: SfRow[] = [...latest.values()].map((r) => ({
      IsoCode: r.currency,
      IsActive: true,
      DecimalPlaces: minorUnits(r.currency) ?? 2,
      ConversionRate: toNumber(r.rate),
    }));
    const inserts: SfRow[] = [];
    const updates: SfRow[] = [];
    for (const r of rates) {
      const id = ids.get(`${r.currency}\u0000${r.startDate}`);
      if (id) updates.push({ attributes: { type: 'DatedConversionRate' }, Id: id, ConversionRate: toNumber(r.rate) });
      else inserts.push({ IsoCode: r.currency, StartDate: r.startDate, ConversionRate: toNumber(r.rate) });
    }
    const subrequests: Subrequest[] = [
      ...collectionInserts('CurrencyType', newCurrencies, 'newCurrencies'),
      ...collectionInserts('DatedConversionRate', inserts, 'newRates'),
      ...chunks(updates, COLLECTION_SIZE).map((chunk, i) => ({
        method: 'PATCH',
        url: '/composite/sobjects',
        referenceId: `rates${i}`,
        body: { allOrNone: true, records: chunk },
      })),
    ];
    if (subrequests.length > COMPOSITE_COLLECTIONS_OR_QUERIES) {
      throw new StateError(
        `at most ${COMPOSITE_COLLECTIONS_OR_QUERIES * COLLECTION_SIZE} exchange rates per import (one all-or-nothing composite request): split the file`,
        'TOO_MANY_RATES',
      );
    }
    await this.api.composite(subrequests);
    this.referenceWrites++;
  }

  // Quotes

  private async assembleQuotes(rows: SfRow[]): Promise<QuoteRecord[]> {
    if (rows.length === 0) return [];
    const ids = rows.map((r) => r.External_Id__c as string);
    const lines = await this.api.queryIn(
      ids,
      (chunk) =>
        soql`SELECT ${raw(m.QUOTE_LINE_FIELDS)} FROM Channel_Quote_Line__c WHERE Channel_Quote__r.External_Id__c IN ${chunk} ORDER BY Sort_Order__c`,
    );
    const renewalIds = rows.filter((r) => r.Is_Renewal__c === true).map((r) => r.External_Id__c as string);
    const links =
      renewalIds.length === 0
        ? []
        : await this.api.queryIn(
            renewalIds,
            (chunk) =>
              soql`SELECT External_Id__c, Renewal_Quote__r.External_Id__c FROM Channel_Contract__c WHERE Renewal_Quote__r.External_Id__c IN ${chunk} ORDER BY External_Id__c`,
          );
    const dealClaims = await this.api.queryIn(
      ids,
      (chunk) =>
        soql`SELECT ${raw(m.REGISTERED_DEAL_CLAIM_FIELDS)} FROM Deal_Claim__c WHERE Deal_Registration__r.Channel_Quote__r.External_Id__c IN ${chunk} ORDER BY External_Id__c`,
    );
    const linesOf = groupBy(lines, (l) => refOf(l, 'Channel_Quote__r'));
    const contractsOf = groupBy(links, (l) => refOf(l, 'Renewal_Quote__r'));
    const dealsOf = m.registeredDealsFromSf(dealClaims);
    return rows.map((r) => {
      const id = r.External_Id__c as string;
      return m.quoteFromSf(
        r,
        linesOf.get(id) ?? [],
        (contractsOf.get(id) ?? []).map((c) => c.External_Id__c as string),
        dealsOf.get(id),
      );
    });
  }

  public async getQuote(id: string): Promise<QuoteRecord | undefined> {
    const rows = await this.api.query(soql`SELECT ${raw(m.QUOTE_FIELDS)} FROM Channel_Quote__c WHERE External_Id__c = ${id}`);
    return (await this.assembleQuotes(rows))[0];
  }

  public async listQuotes(filter: QuoteFilter): Promise<QuoteRecord[]> {
    const where = partyWhere(filter);
    if (filter.statuses && filter.statuses.length > 0) where.push(soql`Status__c IN ${filter.statuses}`);
    if (filter.renewal !== undefined) where.push(soql`Is_Renewal__c = ${filter.renewal}`);
    if (filter.search) {
      const like = likeContains(filter.search);
      where.push(
        soql`(Quote_Number__c LIKE ${like} OR Name LIKE ${like} OR End_Customer__r.Name LIKE ${like} OR Reseller__r.Name LIKE ${like} OR Distributor__r.Name LIKE ${like})`,
      );
    }
    const rows = await this.api.query(
      `${soql`SELECT ${raw(m.QUOTE_FIELDS)} FROM Channel_Quote__c`}${whereClause(where)}${soql` ORDER BY LastModifiedDate DESC, Quote_Number__c DESC LIMIT ${filter.limit ?? 500}`}`,
    );
    return this.assembleQuotes(rows);
  }

  private effectRequests(effects: QuoteSideEffects | undefined): Subrequest[] {
    const out: Subrequest[] = [];
    if (effects?.insertApproval) {
      out.push({
        method: 'POST',
        url: '/sobjects/Quote_Approval__c',
        referenceId: 'newApproval',
        body: m.approvalToSf(effects.insertApproval),
      });
    }
    if (effects?.updateApproval) {
      const a = effects.updateApproval;
      out.push({
        method: 'PATCH',
        url: `/sobjects/Quote_Approval__c/External_Id__c/${encodeURIComponent(a.id)}`,
        referenceId: 'approval',
        body: without(m.approvalToSf(a), 'External_Id__c', 'Channel_Quote__r'),
      });
    }
    return out;
  }

  public async insertQuote(quote: QuoteRecord, effects?: QuoteSideEffects): Promise<void> {
    await this.api.composite([
      { method: 'POST', url: '/sobjects/Channel_Quote__c', referenceId: 'quote', body: m.quoteToSf(quote) },
      ...collectionInserts('Channel_Quote_Line__c', m.quoteLinesToSf(quote), 'lines'),
      ...this.effectRequests(effects),
      ...(quote.registeredDeal ? [this.registeredDealLink(quote.id, quote.registeredDeal.id)] : []),
    ]);
  }

  /**
   * A quote converted from a registration (quote.registeredDeal) is linked by the registration's Channel_Quote__c:
   * the one link of docs/ORG-SCHEMA.md, which the Apex service writes and PricingGuard reads (and a partner cannot
   * edit), written here in the quote's own all-or-nothing request. The registration must already exist: an upsert
   * by its external id that would create one fails on its required fields, and the quote with it.
   */
  private registeredDealLink(quoteId: string, dealId: string): Subrequest {
    return {
      method: 'PATCH',
      url: `/sobjects/Deal_Registration__c/External_Id__c/${encodeURIComponent(dealId)}`,
      referenceId: 'registeredDeal',
      body: { Channel_Quote__r: { External_Id__c: quoteId } },
    };
  }

  /** The subrequest that finds the quote only at the expected version: what every conditional write references. */
  private versionCheck(id: string, expectedVersion: number): Subrequest {
    return {
      method: 'GET',
      url: `/query?q=${encodeURIComponent(soql`SELECT Id FROM Channel_Quote__c WHERE External_Id__c = ${id} AND Record_Version__c = ${expectedVersion}`)}`,
      referenceId: 'versionCheck',
    };
  }

  /** After a refused conditional write: the quote's real state, as the error the caller should see. */
  private async explainVersion(id: string, expectedVersion: number): Promise<Error | undefined> {
    const [row] = await this.api.query(soql`SELECT Record_Version__c FROM Channel_Quote__c WHERE External_Id__c = ${id}`);
    if (!row) return new NotFoundError('Quote', id);
    const actual = row.Record_Version__c as number;
    return actual === expectedVersion ? undefined : conflict(id, expectedVersion, actual);
  }

  /** Subrequests that write a quote at `expectedVersion` + 1, its lines (upsert / delete), given its current lines. */
  private quoteUpdateRequests(quote: QuoteRecord, expectedVersion: number, existingLines: SfRow[]): Subrequest[] {
    const next = { ...quote, version: expectedVersion + 1 };
    const lines = m.quoteLinesToSf(next);
    const existing = new Map(existingLines.map((l) => [l.External_Id__c as string, l.Id as string]));
    const keep = new Set(lines.map((l) => l.External_Id__c as string));
    const updates = lines
      .filter((l) => existing.has(l.External_Id__c as string))
      .map((l) => ({ Id: existing.get(l.External_Id__c as string), ...without(l, 'Channel_Quote__r', 'External_Id__c') }));
    const inserts = lines.filter((l) => !existing.has(l.External_Id__c as string));
    const removed = [...existing].filter(([key]) => !keep.has(key)).map(([, id]) => id);
    return [
      this.versionCheck(quote.id, expectedVersion),
      {
        method: 'PATCH',
        url: '/sobjects/Channel_Quote__c/@{versionCheck.records[0].Id}',
        referenceId: 'quote',
        body: without(m.quoteToSf(next), 'External_Id__c'),
      },
      ...chunks(updates, COLLECTION_SIZE).map((records, i) => ({
        method: 'PATCH',
        url: '/composite/sobjects',
        referenceId: `lineUpdates${i}`,
        body: { allOrNone: true, records: typed('Channel_Quote_Line__c', records) },
      })),
      ...collectionInserts('Channel_Quote_Line__c', inserts, 'lineInserts'),
      ...chunks(removed, COLLECTION_SIZE).map((ids, i) => ({
        method: 'DELETE',
        url: `/composite/sobjects?ids=${ids.join(',')}&allOrNone=true`,
        referenceId: `lineDeletes${i}`,
      })),
    ];
  }

  private async linesOf(quoteId: string): Promise<SfRow[]> {
    return this.api.query(
      soql`SELECT Id, External_Id__c FROM Channel_Quote_Line__c WHERE Channel_Quote__r.External_Id__c = ${quoteId}`,
    );
  }

  public async updateQuote(quote: QuoteRecord, expectedVersion: number, effects?: QuoteSideEffects): Promise<void> {
    const existing = await this.linesOf(quote.id);
    try {
      await this.api.composite([...this.quoteUpdateRequests(quote, expectedVersion, existing), ...this.effectRequests(effects)]);
    } catch (error) {
      throw (await this.explainVersion(quote.id, expectedVersion)) ?? error;
    }
    quote.version = expectedVersion + 1;
  }

  public async deleteQuote(id: string, expectedVersion: number): Promise<void> {
    try {
      await this.api.composite([
        this.versionCheck(id, expectedVersion),
        { method: 'DELETE', url: '/sobjects/Channel_Quote__c/@{versionCheck.records[0].Id}', referenceId: 'quote' },
      ]);
    } catch (error) {
      throw (await this.explainVersion(id, expectedVersion)) ?? error;
    }
  }

  public async listApprovals(quoteIds: readonly string[]): Promise<ApprovalRecord[]> {
    if (quoteIds.length === 0) return [];
    const rows = await this.api.queryIn(
      quoteIds,
      (chunk) =>
        soql`SELECT ${raw(m.APPROVAL_FIELDS)} FROM Quote_Approval__c WHERE Channel_Quote__r.External_Id__c IN ${chunk} ORDER BY CreatedDate, Id`,
    );
    return rows.map(m.approvalFromSf);
  }

  // Orders, inventory, contracts

  private async assembleOrders(rows: SfRow[]): Promise<OrderRecord[]> {
    if (rows.length === 0) return [];
    const lines = await this.api.queryIn(
      rows.map((r) => r.External_Id__c as string),
      (chunk) =>
        soql`SELECT ${raw(m.ORDER_LINE_FIELDS)} FROM Channel_Order_Line__c WHERE Channel_Order__r.External_Id__c IN ${chunk} ORDER BY Sort_Order__c`,
    );
    const linesOf = groupBy(lines, (l) => refOf(l, 'Channel_Order__r'));
    return rows.map((r) => m.orderFromSf(r, linesOf.get(r.External_Id__c as string) ?? []));
  }

  public async getOrder(id: string): Promise<OrderRecord | undefined> {
    const rows = await this.api.query(soql`SELECT ${raw(m.ORDER_FIELDS)} FROM Channel_Order__c WHERE External_Id__c = ${id}`);
    return (await this.assembleOrders(rows))[0];
  }

  public async getOrderByQuote(quoteId: string): Promise<OrderRecord | undefined> {
    const rows = await this.api.query(soql`SELECT ${raw(m.ORDER_FIELDS)} FROM Channel_Order__c WHERE Quote_Key__c = ${quoteId}`);
    return (await this.assembleOrders(rows))[0];
  }

  public async listOrders(filter: OrderFilter): Promise<OrderRecord[]> {
    const rows = await this.api.query(
      `${soql`SELECT ${raw(m.ORDER_FIELDS)} FROM Channel_Order__c`}${whereClause(partyWhere(filter))}${soql` ORDER BY Order_Date__c DESC, Order_Number__c DESC LIMIT ${filter.limit ?? 500}`}`,
    );
    return this.assembleOrders(rows);
  }

  public async listInventory(distributorId?: string): Promise<InventoryRecord[]> {
    const where = distributorId === undefined ? '' : soql` WHERE Distributor__r.External_Id__c = ${distributorId}`;
    const rows = await this.api.query(
      `${soql`SELECT ${raw(m.INVENTORY_FIELDS)} FROM Distributor_Inventory__c`}${where} ORDER BY Distributor__r.External_Id__c, Product__r.External_Id__c`,
    );
    return rows.map(m.inventoryFromSf);
  }

  /**
   * One composite request: the stock rows updated only if they still hold the quantities read (a
   * compare-and-set through one query subrequest), the quote moved on at its expected version, the order
   * and its lines inserted (Quote_Key__c is unique: one order per quote). If anything moved meanwhile the
   * request rolls back; the order is then re-read (someone placed it: return theirs), the quote's version
   * checked (ConflictError), or the stock re-read and the order tried again.
   */
  public async placeOrder(
    newOrder: NewOrder,
    inventory: readonly InventoryDelta[],
    quote?: { record: QuoteRecord; expectedVersion: number },
  ): Promise<OrderRecord> {
    for (let attempt = 1; ; attempt++) {
      if (newOrder.quoteId) {
        const existing = await this.getOrderByQuote(newOrder.quoteId);
        if (existing) return existing;
      }
      const keys = inventory.map((d) => m.inventoryKey(d.distributorId, d.productId));
      const rows =
        keys.length === 0
          ? []
          : await this.api.query(
              soql`SELECT Id, External_Id__c, Quantity__c FROM Distributor_Inventory__c WHERE External_Id__c IN ${keys}`,
            );
      const byKey = new Map(rows.map((r) => [r.External_Id__c as string, r]));
      const short: string[] = [];
      const checks: { id: string; held: string }[] = [];
      const writes: { id: string; quantity: number }[] = [];
      const inserts: Subrequest[] = [];
      inventory.forEach((d, i) => {
        const row = byKey.get(keys[i]!);
        const held = row ? fromNumber(row.Quantity__c)! : '0';
        const have = parseScaled(held, QUANTITY_DECIMALS) ?? 0;
        const next = have + (parseScaled(d.delta, QUANTITY_DECIMALS) ?? 0);
        if (next < 0) {
          short.push(
            `${d.productId}: ${formatScaledShort(-next, QUANTITY_DECIMALS)} missing (in stock ${formatScaledShort(have, QUANTITY_DECIMALS)})`,
          );
          return;
        }
        const quantity = toNumber(formatScaledShort(next, QUANTITY_DECIMALS));
        if (row) {
          checks.push({ id: row.Id as string, held });
          writes.push({ id: row.Id as string, quantity });
        } else {
          inserts.push({
            method: 'POST',
            url: '/sobjects/Distributor_Inventory__c',
            referenceId: `stockNew${i}`,
            body: m.inventoryToSf({
              distributorId: d.distributorId,
              productId: d.productId,
              quantity: formatScaledShort(next, QUANTITY_DECIMALS),
            }),
          });
        }
      });
      if (short.length > 0) throw new StateError(`not enough licences in stock: ${short.join('; ')}`, 'INSUFFICIENT_STOCK');
      const stock: Subrequest[] = [...this.stockCompareAndSet(checks, writes), ...inserts];
      // Placing an order moves the quote to Ordered and changes none of its lines: only the quote itself is
      // written (at its expected version), which keeps the request within the composite limits.
      const quoteRequests: Subrequest[] = quote ? this.quoteHeaderRequests(quote.record, quote.expectedVersion) : [];
      // Numbered only once the stock is known to suffice; a write that fails hands the number back.
      const issuedBefore = this.issued.order;
      const order: OrderRecord = { ...newOrder, number: newOrder.number ?? (await this.reserveNumbers('order', 1))[0]! };
      // An order placed Activated (a stock order) is booked in the same request.
      const booked = order.status === 'Activated' ? await this.bookingRows(order) : [];
      try {
        await this.api.composite([
          ...stock,
          ...quoteRequests,
          { method: 'POST', url: '/sobjects/Channel_Order__c', referenceId: 'order', body: m.orderToSf(order) },
          ...collectionInserts('Channel_Order_Line__c', m.orderLinesToSf(order), 'orderLines'),
          ...bookingInserts(booked),
        ]);
        if (quote) quote.record.version = quote.expectedVersion + 1;
        return order;
      } catch (error) {
        if (newOrder.number === undefined && this.issued.order === Number(order.number.slice(2)))
          this.issued.order = issuedBefore;
        if (order.quoteId) {
          const existing = await this.getOrderByQuote(order.quoteId);
          if (existing) return existing;
        }
        if (quote) {
          const stale = await this.explainVersion(quote.record.id, quote.expectedVersion);
          if (stale) throw stale;
        }
        // The stock moved between the read and the write: read it again (a few times, then give up).
        if (!(error instanceof OrgWriteError) || attempt >= 3) throw error;
      }
    }
  }

  /**
   * Compare-and-set of stock rows with one query subrequest, which finds the rows only where each still
   * holds the quantity read: a guard subrequest references its last expected row (an empty update), so if
   * any row moved the query finds fewer rows, the reference fails and the whole composite request rolls
   * back. The writes address their rows by Id, never by position in the result.
   */
  private stockCompareAndSet(checks: { id: string; held: string }[], writes: { id: string; quantity: number }[]): Subrequest[] {
    if (checks.length === 0) return [];
    const where = checks.map((c) => soql`(Id = ${c.id} AND Quantity__c = ${toNumber(c.held)})`).join(' OR ');
    return [
      {
        method: 'GET',
        url: `/query?q=${encodeURIComponent(`SELECT Id FROM Distributor_Inventory__c WHERE ${where}`)}`,
        referenceId: 'stock',
      },
      {
        method: 'PATCH',
        url: `/sobjects/Distributor_Inventory__c/@{stock.records[${checks.length - 1}].Id}`,
        referenceId: 'stockUnchanged',
        body: {},
      },
      ...writes.map((w, i) => ({
        method: 'PATCH',
        url: `/sobjects/Distributor_Inventory__c/${w.id}`,
        referenceId: `stockWrite${i}`,
        body: { Quantity__c: w.quantity },
      })),
    ];
  }

  /** The quote record alone (not its lines) written at `expectedVersion` + 1. */
  private quoteHeaderRequests(quote: QuoteRecord, expectedVersion: number): Subrequest[] {
    return [
      this.versionCheck(quote.id, expectedVersion),
      {
        method: 'PATCH',
        url: '/sobjects/Channel_Quote__c/@{versionCheck.records[0].Id}',
        referenceId: 'quote',
        body: without(m.quoteToSf({ ...quote, version: expectedVersion + 1 }), 'External_Id__c'),
      },
    ];
  }

  public async activateOrder(orderId: string, contracts: readonly ContractRecord[]): Promise<OrderRecord> {
    const order = await this.getOrder(orderId);
    if (!order) throw new NotFoundError('Order', orderId);
    if (order.status === 'Activated') return order;
    const contractRows = contracts.map(m.contractToSf);
    const subscriptionRows = contracts.flatMap(m.subscriptionsToSf);
    const bookingRows = await this.bookingRows(order);
    try {
      await this.api.composite([
        {
          method: 'GET',
          url: `/query?q=${encodeURIComponent(soql`SELECT Id FROM Channel_Order__c WHERE External_Id__c = ${orderId} AND Status__c = 'Placed'`)}`,
          referenceId: 'placed',
        },
        {
          method: 'PATCH',
          url: '/sobjects/Channel_Order__c/@{placed.records[0].Id}',
          referenceId: 'order',
          body: { Status__c: 'Activated' },
        },
        ...collectionInserts('Channel_Contract__c', contractRows, 'contracts'),
        ...collectionInserts('Channel_Subscription__c', subscriptionRows, 'subscriptions'),
        ...bookingInserts(bookingRows),
      ]);
    } catch (error) {
      const now = await this.getOrder(orderId);
      if (now?.status === 'Activated') return now;
      throw error;
    }
    return { ...order, status: 'Activated' };
  }

  private async assembleContracts(rows: SfRow[], subscriptions?: SfRow[]): Promise<ContractRecord[]> {
    if (rows.length === 0) return [];
    const subs =
      subscriptions ??
      (await this.api.queryIn(
        rows.map((r) => r.External_Id__c as string),
        (chunk) =>
          soql`SELECT ${raw(m.SUBSCRIPTION_FIELDS)} FROM Channel_Subscription__c WHERE Channel_Contract__r.External_Id__c IN ${chunk} ORDER BY Sort_Order__c`,
      ));
    const subsOf = groupBy(subs, (s) => refOf(s, 'Channel_Contract__r'));
    return rows.map((r) => m.contractFromSf(r, subsOf.get(r.External_Id__c as string) ?? []));
  }

  public async getContract(id: string): Promise<ContractRecord | undefined> {
    const rows = await this.api.query(
      soql`SELECT ${raw(m.CONTRACT_FIELDS)} FROM Channel_Contract__c WHERE External_Id__c = ${id}`,
    );
    return (await this.assembleContracts(rows))[0];
  }

  public async listContracts(filter: ContractFilter): Promise<ContractRecord[]> {
    const where = partyWhere(filter);
    if (filter.endingBy !== undefined) where.push(soql`End_Date__c <= ${date(filter.endingBy)}`);
    const rows = await this.api.query(
      `${soql`SELECT ${raw(m.CONTRACT_FIELDS)} FROM Channel_Contract__c`}${whereClause(where)}${soql` ORDER BY End_Date__c, External_Id__c LIMIT ${filter.limit ?? 1000}`}`,
    );
    return this.assembleContracts(rows);
  }

  /** Two queries whatever the count: the contracts, and their subscriptions through the same filter on the parent. */
  public async listRenewableContracts(endingBy: string): Promise<ContractRecord[]> {
    const rows = await this.api.query(
      soql`SELECT ${raw(m.CONTRACT_FIELDS)} FROM Channel_Contract__c
        WHERE Status__c = 'Active' AND End_Date__c <= ${date(endingBy)} AND Renewal_Quote__c = NULL ORDER BY End_Date__c, External_Id__c`,
    );
    if (rows.length === 0) return [];
    const subs = await this.api.query(
      soql`SELECT ${raw(m.SUBSCRIPTION_FIELDS)} FROM Channel_Subscription__c
        WHERE Channel_Contract__r.Status__c = 'Active' AND Channel_Contract__r.End_Date__c <= ${date(endingBy)}
        AND Channel_Contract__r.Renewal_Quote__c = NULL ORDER BY Sort_Order__c`,
    );
    return this.assembleContracts(rows, subs);
  }

  /** The renewable members of co-termination groups (group names in URL-sized chunks), then their subscriptions. */
  public async listRenewableContractsInGroups(groups: readonly string[]): Promise<ContractRecord[]> {
    if (groups.length === 0) return [];
    const rows = await this.api.queryIn(
      groups,
      (chunk) =>
        soql`SELECT ${raw(m.CONTRACT_FIELDS)} FROM Channel_Contract__c
          WHERE Status__c = 'Active' AND Renewal_Quote__c = NULL AND Contract_Group__c IN ${chunk} ORDER BY End_Date__c, External_Id__c`,
    );
    return this.assembleContracts(rows);
  }

  public async createRenewalQuote(quote: QuoteRecord, contractIds: readonly string[]): Promise<boolean> {
    return (await this.createRenewalQuotes([{ quote, contractIds }]))[0]!;
  }

  /**
   * Renewals as composite graphs, one graph per renewal (its own transaction): insert the quote under the
   * key `renewal:<first contract>` (unique External_Id__c: a second insert fails, so two runs can never
   * both create it), its lines, and set Renewal_Quote__c on its contracts. As many graphs per request as
   * 500 nodes allow (about 70 renewals of 5 lines). Contracts already linked are skipped before writing.
   * The store id of a renewal quote is that key: `quote.id` is set to it.
   */
  public async createRenewalQuotes(items: readonly { quote: QuoteRecord; contractIds: readonly string[] }[]): Promise<boolean[]> {
    for (const item of items) item.quote.id = renewalKey(item.contractIds);
    const linked = new Set(
      (
        await this.api.queryIn(
          items.flatMap((i) => i.contractIds),
          (chunk) =>
            soql`SELECT External_Id__c FROM Channel_Contract__c WHERE External_Id__c IN ${chunk} AND Renewal_Quote__c != NULL`,
        )
      ).map((r) => r.External_Id__c as string),
    );
    const result = items.map(() => false);
    let pending = items
      .map((item, index) => ({ item, index }))
      .filter(({ item }) => !item.contractIds.some((id) => linked.has(id)));
    let done = 0;
    while (pending.length > 0) {
      const payload: typeof pending = [];
      let nodes = 0;
      for (const p of pending) {
        const size = 1 + p.item.quote.lines.length + p.item.contractIds.length;
        if (payload.length > 0 && (nodes + size > GRAPH_NODES || payload.length >= GRAPH_COUNT)) break;
        payload.push(p);
        nodes += size;
      }
      const graphs = await this.api.graph(
        payload.map(({ item, index }) => ({
          graphId: `r${index}`,
          compositeRequest: renewalGraph(item.quote, item.contractIds, index),
        })),
      );
      const halted: typeof pending = [];
      payload.forEach((p, i) => {
        const g = graphs[i]!;
        if (g.isSuccessful) {
          result[p.index] = true;
          return;
        }
        const errors = g.graphResponse.compositeResponse.flatMap((r) =>
          Array.isArray(r.body) ? (r.body as { errorCode?: string; message: string }[]) : [],
        );
        const real = errors.filter((e) => e.errorCode !== 'PROCESSING_HALTED');
        if (real.length === 0)
          halted.push(p); // not processed (too many failed graphs before it): send again
        else if (!real.some((e) => e.errorCode === 'DUPLICATE_VALUE')) {
          throw new OrgWriteError(
            `renewal of ${p.item.contractIds.join(', ')} was not saved: ${real.map((e) => e.message).join('; ')}`,
            real,
          );
        }
      });
      done += payload.length - halted.length;
      this.api.report('renewals', done, items.length);
      pending = [...halted, ...pending.slice(payload.length)];
    }
    return result;
  }

  public withBulkWrites<T>(job: () => Promise<T>): Promise<T> {
    return job();
  }

  public async nextNumber(kind: 'quote' | 'order' | 'contract'): Promise<string> {
    return (await this.reserveNumbers(kind, 1))[0]!;
  }

  /**
   * Next numbers after the highest in the org (and any this process handed out). Two processes reserving
   * at once can get the same numbers; the unique number fields then refuse the second insert.
   */
  public async reserveNumbers(kind: 'quote' | 'order' | 'contract', count: number): Promise<string[]> {
    const [type, field] = NUMBER_FIELD[kind];
    const prefix = PREFIX[kind];
    const [row] = await this.api.query(
      soql`SELECT ${raw(field)} FROM ${raw(type)} WHERE ${raw(field)} LIKE ${`${prefix}-%`} ORDER BY ${raw(field)} DESC LIMIT 1`,
    );
    const inOrg = row ? Number.parseInt(String(row[field]).slice(prefix.length + 1), 10) || 0 : 0;
    const last = Math.max(inOrg, this.issued[kind]);
    this.issued[kind] = last + count;
    return Array.from({ length: count }, (_, i) => `${prefix}-${String(last + 1 + i).padStart(5, '0')}`);
  }
}

function refOf(row: SfRow, relationship: string): string | null {
  return ((row[relationship] as { External_Id__c?: string } | null | undefined) ?? null)?.External_Id__c ?? null;
}

function groupBy(rows: SfRow[], key: (row: SfRow) => string | null): Map<string, SfRow[]> {
  const map = new Map<string, SfRow[]>();
  for (const row of rows) {
    const k = key(row);
    if (k === null) continue;
    const list = map.get(k);
    if (list) list.push(row);
    else map.set(k, [row]);
  }
  return map;
}

function partyWhere(filter: { resellerId?: string; distributorId?: string }): string[] {
  const where: string[] = [];
  if (filter.resellerId !== undefined) where.push(soql`Reseller__r.External_Id__c = ${filter.resellerId}`);
  if (filter.distributorId !== undefined) where.push(soql`Distributor__r.External_Id__c = ${filter.distributorId}`);
  return where;
}

/** Joins conditions that were each built with the soql tag. */
const whereClause = (where: string[]): string => (where.length ? ` WHERE ${where.join(' AND ')}` : '');

/** An order's (at most two) ledger rows as plain sObject subrequests: they take no sObject Collections slot. */
function bookingInserts(rows: SfRow[]): Subrequest[] {
  return rows.map((body, i) => ({ method: 'POST', url: '/sobjects/Channel_Booking__c', referenceId: `booking${i}`, body }));
}

function collectionInserts(type: string, records: SfRow[], reference: string): Subrequest[] {
  return chunks(records, COLLECTION_SIZE).map((chunk, i) => ({
    method: 'POST',
    url: '/composite/sobjects',
    referenceId: `${reference}${i}`,
    body: { allOrNone: true, records: typed(type, chunk) },
  }));
}

/** One renewal's graph; reference ids carry the item's index so they are unique in the whole payload. */
function renewalGraph(quote: QuoteRecord, contractIds: readonly string[], n: number): Subrequest[] {
  const q = `q${n}`;
  return [
    { method: 'POST', url: '/sobjects/Channel_Quote__c', referenceId: q, body: m.quoteToSf(quote) },
    ...m.quoteLinesToSf(quote).map((line, i) => ({
      method: 'POST',
      url: '/sobjects/Channel_Quote_Line__c',
      referenceId: `${q}_line${i}`,
      body: { ...without(line, 'Channel_Quote__r'), Channel_Quote__c: `@{${q}.id}` },
    })),
    ...contractIds.map((id, i) => ({
      method: 'PATCH',
      url: `/sobjects/Channel_Contract__c/External_Id__c/${encodeURIComponent(id)}`,
      referenceId: `${q}_contract${i}`,
      body: { Renewal_Quote__c: `@{${q}.id}` },
    })),
  ];
}
