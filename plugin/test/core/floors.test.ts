import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { priceScenario, resellerQuote, viewFor, type PricedQuoteJson } from '../../src/core/index.js';

/**
 * Price floors and the vendor's approval limit (PRICING.md Price floor, CHANNEL.md approval chain): what
 * each party reads of a line that needs the vendor's approval. The numbers are those of the vectors.
 */
const vectors = path.resolve(import.meta.dirname, '../../../test/vectors');

function priced(name: string): PricedQuoteJson {
  const { expected: _expected, ...scenario } = JSON.parse(readFileSync(path.join(vectors, name), 'utf8')) as Record<
    string,
    unknown
  >;
  const result = priceScenario(scenario);
  if (!result.ok) throw new Error(JSON.stringify(result.issues));
  return result.quote;
}

describe('price floors: who sees what', () => {
  it('the vendor and the distributor read the floor, its source and the Net that falls below it', () => {
    const quote = priced('floor-family-vs-product.json');
    const line = quote.lines[1]!;
    expect(line.vendorApprovalRequired).to.equal(true);
    expect(line.priceFloor).to.deep.equal({ percent: '60', source: 'family' });
    expect(line.warnings.map((w) => w.code)).to.deep.equal(['BELOW_PRICE_FLOOR']);
    expect(line.warnings[0]!.message).to.equal(
      'the net price is below the family price floor of 60 % of list: the vendor must approve',
    );
    expect(viewFor(quote, 'distributor')).to.equal(quote);
    expect(quote.vendorApprovalRequired).to.equal(true);
    expect(quote.orderable).to.equal(false);
  });

  it('a reseller learns that the vendor must approve the line, never the floor or the Net it is measured on', () => {
    const quote = priced('floor-family-vs-product.json');
    const view = resellerQuote(quote);
    const line = view.lines[1]!;
    expect(line.vendorApprovalRequired).to.equal(true);
    expect(line.warnings).to.deep.equal([
      { code: 'VENDOR_APPROVAL_REQUIRED', message: 'the vendor must approve the price of this line' },
    ]);
    expect(view.vendorApprovalRequired).to.equal(true);
    const text = JSON.stringify(view);
    for (const secret of ['priceFloor', 'BELOW_PRICE_FLOOR', 'floor', '"net"', '560.00', '1680.00', '"60"']) {
      expect(text, secret).not.to.include(secret);
    }
  });

  it('a reseller reads why its own discount needs the vendor: the limit is about the discount it chose', () => {
    const view = resellerQuote(priced('vendor-approval-and-distributor-cap.json'));
    expect(view.lines[0]!.warnings.map((w) => w.code).sort()).to.deep.equal([
      'ABOVE_VENDOR_APPROVAL_PERCENT',
      'APPROVAL_REQUIRED',
      'VENDOR_APPROVAL_REQUIRED',
    ]);
    expect(view.lines[0]!.warnings.find((w) => w.code === 'ABOVE_VENDOR_APPROVAL_PERCENT')!.message).to.equal(
      'the additional discount is above 20 %: the vendor must approve',
    );
    expect(view.lines[1]!.vendorApprovalRequired).to.equal(false);
    expect(view.approvalRequired).to.equal(true);
  });
});
