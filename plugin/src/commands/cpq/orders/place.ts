import { Messages, SfError } from '@salesforce/core';
import { Flags, SfCommand } from '@salesforce/sf-plugins-core';
import { cliError, findQuote } from '../../../cli/errors.js';
import { openCommandStore, storeFlags } from '../../../cli/store.js';
import { Decimal } from 'decimal.js';
import type { InventoryRecord, OrderRecord, User } from '../../../core/records.js';
import { OrderService } from '../../../services/orders.js';

Messages.importMessagesDirectoryFromMetaUrl(import.meta.url);
const messages = Messages.loadMessages('@channel-cpq/plugin-cpq', 'cpq.orders.place');

export type StockEffect = { productId: string; before: string; after: string; change: string };

export type CpqOrdersPlaceResult = {
  target: string;
  quoteNumber: string;
  /** The distributor user the order was placed as. */
  placedAs: Pick<User, 'id' | 'name' | 'accountId'>;
  /** True when the quote already had its order: that order is returned and nothing changed. */
  alreadyPlaced: boolean;
  order: OrderRecord;
  /** The distributor's stock of each licence the order drew on. */
  stock: StockEffect[];
};

export default class CpqOrdersPlace extends SfCommand<CpqOrdersPlaceResult> {
  public static override readonly summary = messages.getMessage('summary');
  public static override readonly description = messages.getMessage('description');
  public static override readonly examples = messages.getMessages('examples');

  public static override readonly flags = {
    ...storeFlags,
    'quote-id': Flags.string({ char: 'q', summary: messages.getMessage('flags.quote-id.summary'), required: true }),
    as: Flags.string({ summary: messages.getMessage('flags.as.summary') }),
  };

  public async run(): Promise<CpqOrdersPlaceResult> {
    const { flags } = await this.parse(CpqOrdersPlace);
    const { store, target } = await openCommandStore(flags);
    try {
      const quote = await findQuote(
        (id) => store.getQuote(id),
        (text) => store.listQuotes({ search: text, limit: 10 }),
        flags['quote-id'],
      );
      if (!quote) throw new SfError(messages.getMessage('error.NotFound', [flags['quote-id'], target]), 'NOT_FOUND', [], 1);

      const users = await store.listUsers();
      const user = flags.as
        ? users.find((u) => u.id === flags.as || u.email.toLowerCase() === flags.as!.toLowerCase())
        : users.find((u) => u.role === 'distributorUser' && u.accountId === quote.distributorId);
      if (!user) {
        throw new SfError(
          flags.as
            ? messages.getMessage('error.UnknownUser', [flags.as, target])
            : messages.getMessage('error.NoDistributorUser', [quote.distributorId, quote.number]),
          'UNKNOWN_USER',
          messages.getMessages('error.UnknownUser.actions'),
          1,
        );
      }

      const alreadyPlaced = (await store.getOrderByQuote(quote.id)) !== undefined;
      const before = await store.listInventory(quote.distributorId);
      let order: OrderRecord;
      try {
        const viewer = { userId: user.id, role: user.role, accountId: user.accountId };
        order = (await new OrderService(store).placeOrder(viewer, quote.id)) as OrderRecord;
      } catch (error) {
        throw cliError(error, messages.getMessages('error.NotPlaced.actions'));
      }
      const after = await store.listInventory(quote.distributorId);
      const result: CpqOrdersPlaceResult = {
        target,
        quoteNumber: quote.number,
        placedAs: { id: user.id, name: user.name, accountId: user.accountId },
        alreadyPlaced,
        order,
        stock: alreadyPlaced ? [] : stockEffects(before, after),
      };
      this.report(result);
      return result;
    } finally {
      await store.close();
    }
  }

  private report(r: CpqOrdersPlaceResult): void {
    const o = r.order;
    if (r.alreadyPlaced) this.log(messages.getMessage('info.already', [r.quoteNumber, o.number]));
    else this.log(messages.getMessage('info.placed', [o.number, r.quoteNumber, r.placedAs.name, r.placedAs.accountId, r.target]));
    this.table({
      title: `Order ${o.number} (${o.status}) in ${o.currency}`,
      data: o.lines.map((l) => ({
        product: l.productId,
        qty: l.quantity,
        customer: l.customer,
        partner: l.partner,
        net: l.net,
        customerTotal: l.customerTotal,
        netTotal: l.netTotal,
      })),
    });
    this.log(messages.getMessage('info.totals', [o.customerTotal ?? '-', o.partnerTotal ?? '-', o.netTotal]));
    if (r.stock.length > 0) this.table({ title: 'Stock of the distributor', data: r.stock });
    else if (!r.alreadyPlaced) this.log(messages.getMessage('info.noStock'));
  }
}

function stockEffects(before: readonly InventoryRecord[], after: readonly InventoryRecord[]): StockEffect[] {
  const was = new Map(before.map((i) => [i.productId, i.quantity]));
  return after.flatMap((i) => {
    const old = was.get(i.productId) ?? '0';
    const change = new Decimal(i.quantity).minus(old);
    return change.isZero() ? [] : [{ productId: i.productId, before: old, after: i.quantity, change: change.toString() }];
  });
}
