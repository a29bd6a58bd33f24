import {
  DealConflictError,
  assertNoConflict,
  claimKey,
  claimKeys,
  dailyDealRun,
  dealHistoryEntrySchema,
  dealRegistrationSchema,
  findConflicts,
  type DealRegistration,
} from '../../core/deals.js';
import { ConflictError } from '../../core/errors.js';
import type { DealFilter, DealRegistrationStore } from '../dealPort.js';
import {
  COLLECTION_SIZE,
  COMPOSITE_COLLECTIONS_OR_QUERIES,
  OrgLimitError,
  OrgWriteError,
  chunks,
  type OrgApi,
  type Subrequest,
} from './api.js';
import { fromNumber, toNumber } from './decimal.js';
import type { SfRow } from './mapping.js';
import { raw, soql } from './soql.js';

/**
 * Deal registrations in an org (docs/DEALS.md, "In an org"; docs/ORG-SCHEMA.md): one Deal_Registration__c per
 * registration and one Deal_Claim__c per family. While a registration holds its claim, each claim row carries
 * Claim_Key__c = END_CUSTOMER_ID|FAMILY, a unique case-insensitive field: the database refuses a second holder
 * (DUPLICATE_VALUE) whoever writes it, so of two concurrent registrations exactly one is saved. Released claims
 * carry RELEASED|<claim external id>, unique by construction. The query before the insert only gives the early,
 * precise answer (DEAL_ALREADY_REGISTERED for the reseller's own claim); the unique field is the guarantee.
 */

const DEAL_FIELDS = [
  'Id',
  'External_Id__c',
  'Registration_Number__c',
  'Reseller__r.External_Id__c',
  'Distributor__r.External_Id__c',
  'End_Customer__r.External_Id__c',
  'End_Customer__r.Name',
  'End_Customer__r.Channel_Country__c',
  'End_Customer__r.Channel_Region__c',
  'End_Customer__r.Registration_Number__c',
  'Status__c',
  'Estimated_Value__c',
  'Currency_Code__c',
  'Expected_Close_Date__c',
  'Note__c',
  'Submitted_Date__c',
  'Decision_Due_Date__c',
  'Escalated__c',
  'Decided_Date__c',
  'Protected_Until__c',
  'Extended__c',
  'Claim_Active__c',
  'Channel_Quote__r.External_Id__c',
  'Record_Version__c',
  'History__c',
].join(', ');
const CLAIM_FIELDS = 'Id, External_Id__c, Deal_Registration__r.External_Id__c, Family__c, Estimated_Quantity__c, Claim_Key__c';

const ext = (row: SfRow, relationship: string): string | null =>
  ((row[relationship] as { External_Id__c?: string } | null | undefined) ?? null)?.External_Id__c ?? null;
const ref = (id: string | null): { External_Id__c: string } | null => (id === null ? null : { External_Id__c: id });
const text = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);

/** The claim row's external id: the registration's id and the family's position (families keep their order). */
export const claimExternalId = (dealId: string, index: number): string => `${dealId}#${String(index).padStart(2, '0')}`;
/** The key a released claim keeps: unique by construction, never equal to a held key. */
export const releasedKey = (claimId: string): string => `RELEASED|${claimId}`;

function dealToSf(deal: DealRegistration): SfRow {
  return {
    External_Id__c: deal.id,
    Name: `${deal.number} ${deal.endCustomer.name}`.slice(0, 80),
    Registration_Number__c: deal.number,
    Reseller__r: ref(deal.resellerId),
    Distributor__r: ref(deal.distributorId),
    End_Customer__r: ref(deal.endCustomer.id),
    Status__c: deal.status,
    Estimated_Value__c: toNumber(deal.estimatedValue),
    Currency_Code__c: deal.currency,
    Expected_Close_Date__c: deal.expectedCloseDate,
    Note__c: deal.note === '' ? null : deal.note,
    Submitted_Date__c: deal.submittedDate,
    Decision_Due_Date__c: deal.decisionDueDate,
    Escalated__c: deal.escalated,
    Decided_Date__c: deal.decidedDate,
    Protected_Until__c: deal.protectedUntil,
    Extended__c: deal.extended,
    Claim_Active__c: deal.claimActive,
    Channel_Quote__r: ref(deal.quoteId),
    Record_Version__c: deal.version,
    History__c: JSON.stringify(deal.history),
  };
}

/** The fields an update writes (the parties, customer, families and number never change). */
function dealChangesToSf(deal: DealRegistration): SfRow {
  const all = dealToSf(deal);
  for (const key of ['External_Id__c', 'Name', 'Registration_Number__c', 'Reseller__r', 'Distributor__r', 'End_Customer__r'])
    delete all[key];
  return all;
}

function claimsToSf(deal: DealRegistration): SfRow[] {
  return deal.families.map((f, i) => {
    const id = claimExternalId(deal.id, i);
    return {
      External_Id__c: id,
      Deal_Registration__r: ref(deal.id),
      Family__c: f.family,
      Estimated_Quantity__c: f.estimatedQuantity,
      Claim_Key__c: deal.claimActive ? claimKey(deal.endCustomer.id, f.family) : releasedKey(id),
    };
  });
}

function dealFromSf(row: SfRow, claims: SfRow[]): DealRegistration {
  const customer = (row.End_Customer__r ?? {}) as SfRow;
  const history = JSON.parse(typeof row.History__c === 'string' && row.History__c !== '' ? row.History__c : '[]') as unknown[];
  return dealRegistrationSchema.parse({
    id: row.External_Id__c,
    number: row.Registration_Number__c,
    resellerId: ext(row, 'Reseller__r'),
    distributorId: ext(row, 'Distributor__r'),
    endCustomer: {
      id: customer.External_Id__c,
      name: text(customer.Name) ?? String(customer.External_Id__c),
      country: text(customer.Channel_Country__c) ?? '',
      ...(text(customer.Channel_Region__c) ? { region: customer.Channel_Region__c } : {}),
      ...(text(customer.Registration_Number__c) ? { registrationNumber: customer.Registration_Number__c } : {}),
    },
    families: [...claims]
      .sort((a, b) => String(a.External_Id__c).localeCompare(String(b.External_Id__c)))
      .map((c) => ({ family: c.Family__c, estimatedQuantity: c.Estimated_Quantity__c })),
    estimatedValue: fromNumber(row.Estimated_Value__c, 2),
    currency: row.Currency_Code__c,
    expectedCloseDate: row.Expected_Close_Date__c,
    note: text(row.Note__c) ?? '',
    status: row.Status__c,
    submittedDate: row.Submitted_Date__c,
    decisionDueDate: row.Decision_Due_Date__c,
    escalated: row.Escalated__c === true,
    decidedDate: row.Decided_Date__c ?? null,
    protectedUntil: row.Protected_Until__c ?? null,
    extended: row.Extended__c === true,
    claimActive: row.Claim_Active__c === true,
    quoteId: ext(row, 'Channel_Quote__r'),
    history: history.map((h) => dealHistoryEntrySchema.parse(h)),
    version: row.Record_Version__c,
  });
}

export class OrgDealStore implements DealRegistrationStore {
  /** Numbers handed out by this process, so consecutive reservations never repeat before they are written. */
  private issued = 0;

  public constructor(private readonly api: OrgApi) {}

  private async assemble(rows: SfRow[]): Promise<DealRegistration[]> {
    if (rows.length === 0) return [];
    const claims = await this.api.queryIn(
      rows.map((r) => r.External_Id__c as string),
      (ids) => soql`SELECT ${raw(CLAIM_FIELDS)} FROM Deal_Claim__c WHERE Deal_Registration__r.External_Id__c IN ${ids}`,
    );
    const byDeal = new Map<string, SfRow[]>();
    for (const c of claims) {
      const id = ext(c, 'Deal_Registration__r')!;
      byDeal.set(id, [...(byDeal.get(id) ?? []), c]);
    }
    return rows.map((r) => dealFromSf(r, byDeal.get(r.External_Id__c as string) ?? []));
  }

  public async getDeal(id: string): Promise<DealRegistration | undefined> {
    const rows = await this.api.query(soql`SELECT ${raw(DEAL_FIELDS)} FROM Deal_Registration__c WHERE External_Id__c = ${id}`);
    return (await this.assemble(rows))[0];
  }

  public async listDeals(filter: DealFilter): Promise<DealRegistration[]> {
    if (filter.statuses !== undefined && filter.statuses.length === 0) return [];
    const where: string[] = [];
    if (filter.resellerId !== undefined) where.push(soql`Reseller__r.External_Id__c = ${filter.resellerId}`);
    if (filter.distributorId !== undefined) where.push(soql`Distributor__r.External_Id__c = ${filter.distributorId}`);
    if (filter.endCustomerId !== undefined) where.push(soql`End_Customer__r.External_Id__c = ${filter.endCustomerId}`);
    if (filter.claimActive !== undefined) where.push(soql`Claim_Active__c = ${filter.claimActive}`);
    if (filter.statuses !== undefined) where.push(soql`Status__c IN ${[...filter.statuses]}`);
    const limit = filter.limit !== undefined ? ` LIMIT ${Math.max(0, Math.floor(filter.limit))}` : '';
    const rows = await this.api.query(
      `SELECT ${DEAL_FIELDS} FROM Deal_Registration__c${where.length ? ` WHERE ${where.join(' AND ')}` : ''} ORDER BY Registration_Number__c DESC${limit}`,
    );
    return this.assemble(rows);
  }

  private async holding(endCustomerId: string): Promise<DealRegistration[]> {
    const rows = await this.api.query(
      soql`SELECT ${raw(DEAL_FIELDS)} FROM Deal_Registration__c WHERE End_Customer__r.External_Id__c = ${endCustomerId} AND Claim_Active__c = TRUE`,
    );
    return this.assemble(rows);
  }

  /**
   * Releases the customer's lapsed claims (each its own conditional write), checks the held ones with the core,
   * then inserts the registration and its claim rows in one all-or-nothing composite request. A claim key the
   * org refuses as a duplicate (a registration saved since the check) becomes DEAL_CONFLICT, or
   * DEAL_ALREADY_REGISTERED when the holder is the reseller's own; nothing of the registration is saved.
   */
  public async registerDeal(deal: DealRegistration, today: string): Promise<DealRegistration> {
    const holding = await this.holding(deal.endCustomer.id);
    const lapsed = dailyDealRun(holding, today).filter((d) => !d.claimActive);
    for (const d of lapsed) {
      try {
        await this.updateDeal(d, d.version - 1);
      } catch (error) {
        if (!(error instanceof ConflictError)) throw error; // changed meanwhile: the check below reads it again
      }
    }
    const released = new Set(lapsed.map((d) => d.id));
    const held = holding.filter((d) => !released.has(d.id));
    assertNoConflict(findConflicts(deal, held, today), held);
    try {
      await this.api.composite([
        { method: 'POST', url: '/sobjects/Deal_Registration__c', referenceId: 'deal', body: dealToSf(deal) },
        ...chunks(claimsToSf(deal), COLLECTION_SIZE).map((records, i) => ({
          method: 'POST',
          url: '/composite/sobjects',
          referenceId: `claims${i}`,
          body: { allOrNone: true, records: records.map((r) => ({ attributes: { type: 'Deal_Claim__c' }, ...r })) },
        })),
      ]);
    } catch (error) {
      if (error instanceof OrgWriteError && error.errors.some((e) => isDuplicateClaim(e))) {
        const now = (await this.holding(deal.endCustomer.id)).filter((d) => d.id !== deal.id);
        assertNoConflict(findConflicts(deal, now, today), now);
        // The holder is not readable now (released meanwhile): the database still refused the key.
        throw new DealConflictError(
          deal.families.map((f) => f.family),
          deal.families.map((_, i) => ({
            path: `families.${i}.family`,
            message: 'already registered by another partner',
            code: 'DEAL_CONFLICT',
          })),
        );
      }
      throw error;
    }
    return deal;
  }

  /**
   * `sf cpq deals import` in one all-or-nothing composite request: the registrations (one sObject Collection of
   * at most 200) and their claims (at most four more); a larger import is refused before anything is sent.
   */
  public async importDeals(deals: readonly DealRegistration[], today: string): Promise<DealRegistration[]> {
    if (deals.length === 0) return [];
    const claimCount = deals.reduce((n, d) => n + d.families.length, 0);
    if (deals.length > COLLECTION_SIZE || Math.ceil(claimCount / COLLECTION_SIZE) > COMPOSITE_COLLECTIONS_OR_QUERIES - 1) {
      throw new OrgLimitError(
        `at most ${COLLECTION_SIZE} registrations and ${(COMPOSITE_COLLECTIONS_OR_QUERIES - 1) * COLLECTION_SIZE} families per import (one all-or-nothing request); this file has ${deals.length} and ${claimCount}: split it`,
      );
    }
    const holding = await this.listDeals({ claimActive: true });
    for (const d of dailyDealRun(holding, today).filter((x) => !x.claimActive)) {
      try {
        await this.updateDeal(d, d.version - 1);
      } catch (error) {
        if (!(error instanceof ConflictError)) throw error;
      }
    }
    const held = await this.listDeals({ claimActive: true });
    let last = Number.parseInt((await this.nextDealNumber()).slice(3), 10) - 1;
    const numbered = deals.map((d) => ({ ...d, number: `DR-${String(++last).padStart(5, '0')}` }));
    this.issued = last;
    const accepted: DealRegistration[] = [];
    for (const d of numbered) {
      assertNoConflict(findConflicts(d, [...held, ...accepted], today), [...held, ...accepted]);
      accepted.push(d);
    }
    const typed = (type: string, rows: SfRow[]): SfRow[] => rows.map((r) => ({ attributes: { type }, ...r }));
    try {
      await this.api.composite([
        {
          method: 'POST',
          url: '/composite/sobjects',
          referenceId: 'deals',
          body: { allOrNone: true, records: typed('Deal_Registration__c', numbered.map(dealToSf)) },
        },
        ...chunks(numbered.flatMap(claimsToSf), COLLECTION_SIZE).map((records, i) => ({
          method: 'POST',
          url: '/composite/sobjects',
          referenceId: `claims${i}`,
          body: { allOrNone: true, records: typed('Deal_Claim__c', records) },
        })),
      ]);
    } catch (error) {
      if (error instanceof OrgWriteError && error.errors.some((e) => isDuplicateClaim(e))) {
        throw new DealConflictError(
          [...new Set(numbered.flatMap((d) => d.families.map((f) => f.family)))],
          [{ path: 'families', message: 'registered by another partner while the file was imported', code: 'DEAL_CONFLICT' }],
        );
      }
      throw error;
    }
    return numbered;
  }

  /**
   * One composite request: a query subrequest that finds the registration only at the expected version, the
   * update referencing its Id, and (when the claim ends) each claim row's key rewritten to its released key.
   */
  public async updateDeal(deal: DealRegistration, expectedVersion: number): Promise<void> {
    const claims = await this.api.query(
      soql`SELECT ${raw(CLAIM_FIELDS)} FROM Deal_Claim__c WHERE Deal_Registration__r.External_Id__c = ${deal.id}`,
    );
    if (deal.claimActive) {
      // Claims never come back once released; an active registration keeps exactly its own keys.
      const keys = new Set(claimKeys(deal));
      const active = claims.map((c) => String(c.Claim_Key__c)).filter((k) => !k.startsWith('RELEASED|'));
      if (active.length !== keys.size || active.some((k) => !keys.has(k))) {
        throw new ConflictError(`Registration ${deal.number} no longer holds its claim: reload it`);
      }
    }
    const releases = deal.claimActive
      ? []
      : claims
          .filter((c) => !String(c.Claim_Key__c).startsWith('RELEASED|'))
          .map((c) => ({ attributes: { type: 'Deal_Claim__c' }, Id: c.Id, Claim_Key__c: releasedKey(String(c.External_Id__c)) }));
    const subrequests: Subrequest[] = [
      {
        method: 'GET',
        url: `/query?q=${encodeURIComponent(soql`SELECT Id FROM Deal_Registration__c WHERE External_Id__c = ${deal.id} AND Record_Version__c = ${expectedVersion}`)}`,
        referenceId: 'versionCheck',
      },
      {
        method: 'PATCH',
        url: '/sobjects/Deal_Registration__c/@{versionCheck.records[0].Id}',
        referenceId: 'deal',
        body: dealChangesToSf(deal),
      },
      ...chunks(releases, COLLECTION_SIZE).map((records, i) => ({
        method: 'PATCH',
        url: '/composite/sobjects',
        referenceId: `releases${i}`,
        body: { allOrNone: true, records },
      })),
    ];
    try {
      await this.api.composite(subrequests);
    } catch (error) {
      const [row] = await this.api.query(
        soql`SELECT Record_Version__c FROM Deal_Registration__c WHERE External_Id__c = ${deal.id}`,
      );
      if (!row || row.Record_Version__c !== expectedVersion) {
        throw new ConflictError(`Registration ${deal.number} was changed by someone else: reload it and try again`);
      }
      throw error;
    }
  }

  /**
   * The next DR-number after the highest in the org (and any this process handed out). Two processes at once can
   * get the same number; the unique Registration_Number__c then refuses the second insert.
   */
  public async nextDealNumber(): Promise<string> {
    const [row] = await this.api.query(
      soql`SELECT Registration_Number__c FROM Deal_Registration__c WHERE Registration_Number__c LIKE ${'DR-%'} ORDER BY Registration_Number__c DESC LIMIT 1`,
    );
    const inOrg = row ? Number.parseInt(String(row.Registration_Number__c).slice(3), 10) || 0 : 0;
    this.issued = Math.max(inOrg, this.issued) + 1;
    return `DR-${String(this.issued).padStart(5, '0')}`;
  }
}

function isDuplicateClaim(error: { errorCode?: string; statusCode?: string; message: string; fields?: string[] }): boolean {
  return (
    (error.errorCode ?? error.statusCode) === 'DUPLICATE_VALUE' &&
    (error.message.includes('Claim_Key__c') || (error.fields ?? []).includes('Claim_Key__c'))
  );
}
