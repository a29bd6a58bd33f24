import { z } from 'zod';
import { newId } from '../core/ids.js';
import type { AccountRecord, Viewer } from '../core/records.js';
import type { CpqStore } from '../store/port.js';
import { partyScope, requireRole } from './access.js';
import { parseInput } from './input.js';

/**
 * The end customers a partner may name on a quote, as org sharing gives them (docs/APEX.md, Sharing): an
 * end customer is visible to a partner whose quotes, orders or contracts name it, or that created it or found
 * it by de-duplication (`visibleTo`); the vendor sees every one. Another reseller's customers stay unknown.
 * Only what the "New quote" form shows leaves here: no renewal defaults or other terms.
 */
export type EndCustomerOption = { id: string; name: string; country: string | null; region: string | null };

/** Every record of a partner, not a page of them: the list must hold every customer it deals with. */
const ALL = 1_000_000;

export async function listEndCustomers(store: CpqStore, viewer: Viewer): Promise<EndCustomerOption[]> {
  const accounts = (await store.listAccounts()).filter((a) => a.type === 'endCustomer');
  let visible = accounts;
  if (viewer.role !== 'vendorAdmin') {
    const scope = { ...partyScope(viewer), limit: ALL };
    const [quotes, orders, contracts] = await Promise.all([
      store.listQuotes(scope),
      store.listOrders(scope),
      store.listContracts(scope),
    ]);
    const named = new Set<string>(
      [...quotes, ...orders, ...contracts].map((r) => r.endCustomerId).filter((id): id is string => typeof id === 'string'),
    );
    visible = accounts.filter((a) => named.has(a.id) || (a.visibleTo ?? []).includes(viewer.accountId));
  }
  return visible.map(option).sort((x, y) => (x.name < y.name ? -1 : x.name > y.name ? 1 : 0));
}

const option = (a: AccountRecord): EndCustomerOption => ({
  id: a.id,
  name: a.name ?? a.id,
  country: a.country ?? null,
  region: a.region ?? null,
});

const text = (max: number, what: string): z.ZodString =>
  z
    .string({ error: `enter the ${what}` })
    .trim()
    .min(1, { error: `enter the ${what}` })
    .max(max, { error: `must be at most ${max} characters` });

export const endCustomerInputSchema = z.strictObject({
  name: text(80, "company's name"),
  country: z
    .string({ error: 'choose the country (a two-letter ISO code such as "SE")' })
    .regex(/^[A-Za-z]{2}$/, { error: 'must be a two-letter ISO country code such as "SE"' })
    .transform((c) => c.toUpperCase()),
  region: z.string().trim().max(40, { error: 'must be at most 40 characters' }).optional(),
  registrationNumber: z.string().trim().max(40, { error: 'must be at most 40 characters' }).optional(),
});
export type EndCustomerInput = z.input<typeof endCustomerInputSchema>;

export type EndCustomerResult = { endCustomer: EndCustomerOption; created: boolean };

/**
 * A reseller (or the vendor) adds the end customer it is about to quote. If the company is already an account
 * (the same registration number, or the same name in the same country, CHANNEL.md), that account is returned
 * instead (`created: false`) and becomes visible to the reseller: one company, one account.
 */
export async function createEndCustomer(store: CpqStore, viewer: Viewer, raw: unknown): Promise<EndCustomerResult> {
  requireRole(viewer, ['resellerUser', 'vendorAdmin'], 'add end customers');
  const input = parseInput(endCustomerInputSchema, raw, 'the end customer is not valid');
  const candidate: AccountRecord = {
    id: newId(),
    type: 'endCustomer',
    name: input.name,
    country: input.country,
    ...(input.region ? { region: input.region } : {}),
    ...(input.registrationNumber ? { registrationNumber: input.registrationNumber } : {}),
  };
  const partnerId = viewer.role === 'resellerUser' ? viewer.accountId : undefined;
  const { account, created } = await store.addEndCustomer(candidate, partnerId);
  return { endCustomer: option(account), created };
}
