import type { CpqStore } from '../store/port.js';

/**
 * The end customers a reseller may name on a new quote. End customers are not owned by a partner (any
 * reseller may quote any of them, as createQuote accepts), so every end customer account is listed, with
 * only what the "New quote" form shows: no renewal defaults or other terms.
 */
export type EndCustomerOption = { id: string; name: string; country: string | null; region: string | null };

export async function listEndCustomers(store: CpqStore): Promise<EndCustomerOption[]> {
  return (await store.listAccounts())
    .filter((a) => a.type === 'endCustomer')
    .map((a) => ({ id: a.id, name: a.name ?? a.id, country: a.country ?? null, region: a.region ?? null }))
    .sort((x, y) => (x.name < y.name ? -1 : x.name > y.name ? 1 : 0));
}
