import { CsvError } from 'csv-parse';
import { parse } from 'csv-parse/sync';
import { z } from 'zod';
import { holdsActiveAgreement } from '../core/defaultDistributor.js';
import {
  addBusinessDays,
  claimKey,
  dealFamilySchema,
  dealRegistrationSchema,
  findConflicts,
  type DealRegistration,
  type DealRules,
} from '../core/deals.js';
import { sameEndCustomer } from '../core/endCustomers.js';
import { newId } from '../core/ids.js';
import type { AccountRecord, ProductRecord } from '../core/records.js';
import { addDays } from '../core/renewals.js';
import { moneySchema, type Agreement } from '../core/scenario.js';
import { decodeCsvBytes, duplicateColumns, headerCells, malformedCsvIssue } from './csvFile.js';

/**
 * The deal registrations file of `sf cpq deals import` (docs/DEALS.md, "Importing partners' registrations"):
 * partners' existing, still live registrations (Submitted, or Approved and still protected), one per row. Every
 * problem is reported with its row (as a spreadsheet numbers it, header = 1) and column; the file is loaded all
 * or nothing.
 */

export const DEAL_COLUMNS = [
  'reseller',
  'distributor',
  'endCustomer',
  'endCustomerCountry',
  'families',
  'estimatedValue',
  'currency',
  'expectedCloseDate',
  'status',
  'submittedDate',
  'approvedDate',
  'note',
] as const;
export type DealColumn = (typeof DEAL_COLUMNS)[number];
const REQUIRED: readonly DealColumn[] = [
  'reseller',
  'distributor',
  'endCustomer',
  'families',
  'estimatedValue',
  'currency',
  'expectedCloseDate',
];

export type DealIssue = { row: number; column: string | null; code: string; message: string };
export type ParsedDeals = { rows: number; deals: DealRegistration[]; issues: DealIssue[] };

export type DealImportContext = {
  today: string;
  rules: DealRules;
  accounts: readonly AccountRecord[];
  agreements: readonly Agreement[];
  products: readonly ProductRecord[];
  /** Registrations already in the store that hold their claim. */
  held: readonly DealRegistration[];
};

export function formatDealIssue(i: DealIssue): string {
  const where = i.row === 0 ? 'file' : `row ${i.row}`;
  return `${where}${i.column ? `, ${i.column}` : ''}: ${i.message}`;
}

const isoDate = z.iso.date();
const FAMILY_ITEM = /^(.+?)\s*:\s*(\S+)$/;

/** "Security:50; Backup:3" -> families, or the reason it is not that. */
function parseFamilies(cell: string): { families: { family: string; estimatedQuantity: number }[] } | { error: string } {
  const parts = cell
    .split(';')
    .map((p) => p.trim())
    .filter((p) => p !== '');
  if (parts.length === 0) return { error: 'is empty; name at least one family as FAMILY:QUANTITY, like "Security:50"' };
  const families: { family: string; estimatedQuantity: number }[] = [];
  for (const part of parts) {
    const m = FAMILY_ITEM.exec(part);
    const quantity = m ? Number(m[2]) : Number.NaN;
    const parsed = dealFamilySchema.safeParse({ family: m?.[1] ?? '', estimatedQuantity: quantity });
    if (!m || !parsed.success) {
      return {
        error: `"${part}" is not FAMILY:QUANTITY with a whole quantity of at least 1 (families are separated by ";", like "Security:50; Backup:3")`,
      };
    }
    families.push(parsed.data);
  }
  return { families };
}

/** Reads the registrations file against the store's accounts, agreements, catalog and held claims. */
export function parseDealsCsv(file: string | Uint8Array, context: DealImportContext): ParsedDeals {
  const issues: DealIssue[] = [];
  let text: string;
  if (typeof file === 'string') text = file;
  else {
    const decoded = decodeCsvBytes(file);
    if (!decoded.ok) return { rows: 0, deals: [], issues: [decoded.issue] };
    text = decoded.text;
  }
  let cells: string[][];
  try {
    cells = parse(text, { bom: true, trim: true, relax_column_count: true, skip_empty_lines: false });
  } catch (error) {
    if (!(error instanceof CsvError)) throw error;
    return { rows: 0, deals: [], issues: [malformedCsvIssue(error, headerCells(text))] };
  }
  const header = cells[0];
  if (!header || header.every((c) => c === '')) {
    return {
      rows: 0,
      deals: [],
      issues: [{ row: 1, column: null, code: 'MISSING_COLUMN', message: `the file has no header row (${REQUIRED.join(',')})` }],
    };
  }
  const canonical = (h: string): DealColumn | undefined => DEAL_COLUMNS.find((c) => c.toLowerCase() === h.toLowerCase());
  const columns = header.map(canonical);
  header.forEach((h, i) => {
    if (!columns[i])
      issues.push({
        row: 1,
        column: h,
        code: 'UNKNOWN_COLUMN',
        message: `"${h}" is not a column of the deal registrations file (columns: ${DEAL_COLUMNS.join(', ')})`,
      });
  });
  issues.push(...duplicateColumns(header, canonical));
  for (const required of REQUIRED) {
    if (!columns.includes(required))
      issues.push({
        row: 1,
        column: required,
        code: 'MISSING_COLUMN',
        message: 'the header has no such column, and every row needs it',
      });
  }
  if (issues.length > 0) return { rows: 0, deals: [], issues };

  const { today, rules } = context;
  const accounts = new Map(context.accounts.map((a) => [a.id, a]));
  const endCustomers = context.accounts.filter((a) => a.type === 'endCustomer');
  const families = new Map(context.products.filter((p) => p.family).map((p) => [claimKey('', p.family!), p.family!]));
  const deals: DealRegistration[] = [];
  const rowOf = new Map<string, number>();
  let rows = 0;

  cells.slice(1).forEach((line, i) => {
    const row = i + 2;
    if (line.every((c) => c === '')) return;
    rows++;
    if (line.length > header.length) {
      issues.push({
        row,
        column: null,
        code: 'INVALID_INPUT',
        message: `has ${line.length} cells but the header has ${header.length} columns`,
      });
      return;
    }
    const cell: Partial<Record<DealColumn, string>> = {};
    columns.forEach((c, j) => {
      if (c) cell[c] = line[j] ?? '';
    });
    const before = issues.length;
    const bad = (column: DealColumn, message: string, code = 'INVALID_INPUT'): void => {
      issues.push({ row, column, code, message });
    };
    for (const c of REQUIRED) if ((cell[c] ?? '') === '') bad(c, 'is empty; every row needs it');
    if (issues.length > before) return;

    const reseller = accounts.get(cell.reseller!);
    if (reseller?.type !== 'reseller') bad('reseller', `"${cell.reseller}" is not the id of a reseller account`);
    const distributor = accounts.get(cell.distributor!);
    if (distributor?.type !== 'distributor') bad('distributor', `"${cell.distributor}" is not the id of a distributor account`);
    else if (reseller?.type === 'reseller' && !holdsActiveAgreement([...context.agreements], reseller.id, distributor.id, today))
      bad('distributor', `reseller ${reseller.id} holds no Active agreement with distributor ${distributor.id} on ${today}`);

    const country = cell.endCustomerCountry ?? '';
    const byId = accounts.get(cell.endCustomer!);
    const endCustomer =
      byId?.type === 'endCustomer'
        ? byId
        : endCustomers.find((a) => sameEndCustomer({ name: cell.endCustomer!, country, registrationNumber: null }, a));
    if (!endCustomer)
      bad(
        'endCustomer',
        `"${cell.endCustomer}" is neither the id nor the name${country ? ` (in ${country})` : ''} of an end customer account: add the account first`,
      );

    const parsedFamilies = parseFamilies(cell.families!);
    let lines: { family: string; estimatedQuantity: number }[] = [];
    if ('error' in parsedFamilies) bad('families', parsedFamilies.error);
    else {
      const unknown = parsedFamilies.families.filter((f) => !families.has(claimKey('', f.family)));
      const keys = parsedFamilies.families.map((f) => claimKey('', f.family));
      if (unknown.length > 0)
        bad(
          'families',
          `${unknown.map((f) => `"${f.family}"`).join(', ')} ${unknown.length === 1 ? 'is not a product family' : 'are not product families'} of the catalog`,
        );
      else if (new Set(keys).size !== keys.length) bad('families', 'names a family twice');
      else lines = parsedFamilies.families.map((f) => ({ ...f, family: families.get(claimKey('', f.family))! }));
    }
    if (!moneySchema.safeParse(cell.estimatedValue).success)
      bad('estimatedValue', `must be a decimal amount like "24000.00" (got "${cell.estimatedValue}")`);
    if (!/^[A-Z]{3}$/.test(cell.currency!))
      bad('currency', `must be an ISO 4217 currency code like "EUR" (got "${cell.currency}")`);
    if (!isoDate.safeParse(cell.expectedCloseDate).success)
      bad('expectedCloseDate', `must be a date written YYYY-MM-DD (got "${cell.expectedCloseDate}")`);
    else if (cell.expectedCloseDate! < today) bad('expectedCloseDate', `must be today (${today}) or later`);

    const status = cell.status === undefined || cell.status === '' ? 'Submitted' : cell.status;
    if (status !== 'Submitted' && status !== 'Approved')
      bad('status', `must be Submitted or Approved (got "${status}"): only live registrations are imported`);
    const submittedDate = cell.submittedDate === undefined || cell.submittedDate === '' ? today : cell.submittedDate;
    if (!isoDate.safeParse(submittedDate).success)
      bad('submittedDate', `must be a date written YYYY-MM-DD (got "${submittedDate}")`);
    else if (submittedDate > today) bad('submittedDate', `must be today (${today}) or earlier`);
    const approvedDate = cell.approvedDate ?? '';
    let protectedUntil: string | null = null;
    if (status === 'Approved') {
      if (approvedDate === '') bad('approvedDate', 'is empty; an Approved registration needs the day it was approved');
      else if (!isoDate.safeParse(approvedDate).success)
        bad('approvedDate', `must be a date written YYYY-MM-DD (got "${approvedDate}")`);
      else if (approvedDate < submittedDate || approvedDate > today)
        bad('approvedDate', `must be between the submission (${submittedDate}) and today (${today})`);
      else {
        protectedUntil = addDays(approvedDate, rules.protectionDays - 1);
        if (protectedUntil < today)
          bad(
            'approvedDate',
            `its ${rules.protectionDays} days of protection ended on ${protectedUntil}: only live registrations are imported`,
          );
      }
    } else if (approvedDate !== '') bad('approvedDate', 'is only for an Approved registration');
    if ((cell.note ?? '').length > 2000) bad('note', 'is longer than 2000 characters');
    if (issues.length > before || !endCustomer || !reseller || !distributor) return;

    const id = newId();
    const deal = dealRegistrationSchema.parse({
      id,
      number: `row-${row}`,
      resellerId: reseller.id,
      distributorId: distributor.id,
      endCustomer: {
        id: endCustomer.id,
        name: endCustomer.name ?? endCustomer.id,
        country: endCustomer.country ?? '',
        ...(endCustomer.region ? { region: endCustomer.region } : {}),
        ...(endCustomer.registrationNumber ? { registrationNumber: endCustomer.registrationNumber } : {}),
      },
      families: lines,
      estimatedValue: cell.estimatedValue,
      currency: cell.currency,
      expectedCloseDate: cell.expectedCloseDate,
      note: cell.note ?? '',
      status,
      submittedDate,
      decisionDueDate: addBusinessDays(submittedDate, rules.decisionBusinessDays),
      decidedDate: status === 'Approved' ? approvedDate : null,
      protectedUntil,
      claimActive: true,
      history: [
        { date: submittedDate, action: 'Submitted', byUserId: null, comment: 'Imported' },
        ...(status === 'Approved' ? [{ date: approvedDate, action: 'Approved', byUserId: null, comment: 'Imported' }] : []),
      ],
    });
    // One claim per customer and family: against the store's held claims and the rows above.
    const conflicts = findConflicts(deal, [...context.held, ...deals], today);
    if (conflicts.length > 0) {
      const holders = conflicts.map((c) => {
        const earlier = rowOf.get(c.holderId);
        const stored = context.held.find((d) => d.id === c.holderId);
        return `${c.family} (${earlier !== undefined ? `row ${earlier}` : `registration ${stored?.number ?? c.holderId}`})`;
      });
      bad('families', `already claimed for this end customer: ${holders.join(', ')}`, 'DEAL_CONFLICT');
      return;
    }
    rowOf.set(id, row);
    deals.push(deal);
  });
  if (rows === 0) issues.push({ row: 0, column: null, code: 'EMPTY_FILE', message: 'the file has no registration rows' });
  issues.sort((a, b) => a.row - b.row);
  return { rows, deals: issues.length > 0 ? [] : deals, issues };
}
