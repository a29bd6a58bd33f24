import { LocalPricer, formatMinor, toMinor } from '../localPricing';
import { fieldError, saveLine } from '../lineInput';
import CONTEXT_RESELLER from './data/context-reseller.json';
import CONTEXT_DISTRIBUTOR from './data/context-distributor.json';

// Reseller r-nordic via d-emea in SEK (demo data): Cloud seats share the quote-aggregated "seat pool"
// schedule [1,25) 0 %, [25,100) 5 %, [100,) 8 %; Subscriptions partner rule 15 %, distributor rule 22 %.
const seats = () => [
  { id: 'std', productId: 'sub-cloud-std', quantity: '10' },
  { id: 'pro', productId: 'sub-cloud-pro', quantity: '10' },
  { id: 'lic', productId: 'lic-analytics-std', quantity: '12', additionalDiscountPercent: '5' },
];

describe('LocalPricer (c/cpqEngine in the browser)', () => {
  it('prices the lines as the server does', () => {
    const pricer = new LocalPricer(CONTEXT_RESELLER, seats());
    const { changed, totals } = pricer.price();
    expect(changed.map((c) => c.index)).toEqual([0, 1, 2]);
    const std = changed[0].line;
    // Pool 20 seats: tier 1, 0 %. 2600.00 -> Partner 2600.00 x 0.85 = 2210.00.
    expect(std.customer).toEqual({ unit: '2600.00', total: '26000.00' });
    expect(std.partner).toEqual({ unit: '2210.00', total: '22100.00' });
    // The reseller view has no Net or distributor figures at all.
    expect(std).not.toHaveProperty('net');
    expect(std).not.toHaveProperty('distributorMargin');
    expect(std).not.toHaveProperty('distributorDiscount');
    expect(totals).not.toHaveProperty('net');
    // 26000.00 + 45000.00 + 132354.00 (the server's figure for the licence line)
    expect(totals.customer).toBe('203354.00');
  });

  it('re-serialises only the lines whose figures moved', () => {
    const pricer = new LocalPricer(CONTEXT_RESELLER, seats());
    pricer.price();
    pricer.updateLine(2, { id: 'lic', productId: 'lic-analytics-std', quantity: '13', additionalDiscountPercent: '5' });
    expect(pricer.price().changed.map((c) => c.index)).toEqual([2]);
    // 15 Professional seats bring the pool to 25: 5 % for every cloud seat line, the edited one and the other.
    pricer.updateLine(1, { id: 'pro', productId: 'sub-cloud-pro', quantity: '15' });
    const { changed, totals } = pricer.price();
    expect(changed.map((c) => c.index)).toEqual([0, 1]);
    expect(changed[0].line.regular.unit).toBe('2470.00'); // 2600.00 x 0.95
    expect(changed[0].line.partner.unit).toBe('2099.50'); // 2470.00 x 0.85
    expect(changed[1].line.customer.total).toBe('64125.00'); // 4500.00 x 0.95 = 4275.00, x 15
    // 24700.00 + 64125.00 + 13 x 11029.50 (143383.50)
    expect(totals.customer).toBe('232208.50');
    expect(pricer.price().changed).toEqual([]);
  });

  it('prorates subscriptions to the quote term', () => {
    const pricer = new LocalPricer(CONTEXT_RESELLER, seats());
    pricer.setHeader({ startDate: '2026-12-07', termMonths: '18' });
    const { changed } = pricer.price();
    expect(changed[0].line.list.unit).toBe('3900.00'); // 2600.00 x 18 / 12
    expect(changed[0].line.termMonths).toBe(18);
    expect(changed[2].line.list.unit).toBe('12900.00'); // one-time licence: not prorated
  });

  it('moves, inserts and removes lines in step with the editor', () => {
    const pricer = new LocalPricer(CONTEXT_RESELLER, seats());
    pricer.price();
    pricer.moveLine(2, 0);
    expect(pricer.price().changed).toEqual([]);
    pricer.insertLine(1, { id: 'new-1', productId: 'svc-onboarding', quantity: '2' });
    const inserted = pricer.price();
    expect(inserted.changed.map((c) => c.index)).toEqual([1]);
    expect(inserted.changed[0].line.partner.total).toBe('30360.00'); // 16500.00 x 0.92 x 2
    pricer.removeLine(1);
    expect(pricer.price().totals.customer).toBe('203354.00');
  });

  it('gives a distributor Net from its own agreement', () => {
    const pricer = new LocalPricer(CONTEXT_DISTRIBUTOR, seats());
    const { changed, totals } = pricer.price();
    // Partner 2210.00, distributor rule Subscriptions 22 % -> 1723.80.
    expect(changed[0].line.net.unit).toBe('1723.80');
    expect(totals.net).toBeDefined();
  });

  it('re-prices one edit of a 10,000-line quote by serialising that line only', () => {
    const lines = Array.from({ length: 10000 }, (_, i) => ({ id: `L${i}`, productId: 'lic-analytics-std', quantity: '12' }));
    const pricer = new LocalPricer(CONTEXT_RESELLER, lines);
    pricer.seed();
    pricer.updateLine(5000, { id: 'L5000', productId: 'lic-analytics-std', quantity: '60' });
    const { changed, totals } = pricer.price();
    expect(changed.map((c) => c.index)).toEqual([5000]);
    // 9999 x 12 x 11610.00 + 60 x 10965.00 = 1393060680.00 + 657900.00
    expect(totals.customer).toBe('1393718580.00');
  });
});

describe('line inputs', () => {
  it('checks fields with the server limits', () => {
    expect(fieldError('quantity', '2.5', 2)).toBeNull();
    expect(fieldError('quantity', '2.555', 2)).toMatch(/at most 2 decimals/);
    expect(fieldError('quantity', '', 2)).toMatch(/Enter a quantity/);
    expect(fieldError('additionalDiscountPercent', '100.5', 2)).toMatch(/between 0 and 100/);
    expect(fieldError('additionalDiscountAmount', '49.90', 2)).toBeNull();
    expect(fieldError('additionalDiscountAmount', '49.9', 0)).toMatch(/whole number/);
    expect(fieldError('termMonths', '1201', 2)).toMatch(/between 1 and 1200/);
  });

  it('saves inputs only', () => {
    expect(
      saveLine({
        id: 'a',
        productId: 'p',
        quantity: '3',
        termMonths: '24',
        renewalCustomerUnit: '10.00',
        customer: { unit: '1.00' },
      }),
    ).toEqual({ id: 'a', productId: 'p', quantity: '3', termMonths: 24 });
  });

  it('formats minor units exactly', () => {
    expect(formatMinor(123456, 2)).toBe('1234.56');
    expect(formatMinor(-5, 2)).toBe('-0.05');
    expect(formatMinor(1849, 0)).toBe('1849');
    expect(toMinor('1234.56')).toBe(123456);
  });
});
