import { expect } from 'chai';
import { ForbiddenError, InvalidInputError, NotFoundError, type CpqError } from '../../src/core/errors.js';
import { LOGO_MAX_BYTES, logoContentType, logoProblem } from '../../src/core/logo.js';
import { AccountLogoService } from '../../src/services/logos.js';
import { DEMO_LOGO_PNG_BASE64 } from '../../src/store/demoLogo.js';
import { SqliteStore } from '../../src/store/sqlite/sqliteStore.js';
import { REFERENCE, viewer } from '../preview/fixtures.js';

const PNG = Buffer.from(DEMO_LOGO_PNG_BASE64, 'base64');
/** The first bytes of a JPEG (SOI and an APP0 marker) and some more: enough to be told a JPEG. */
const JPEG = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00, 0x01, 0xff, 0xd9]);
const GIF = Buffer.from('GIF89a\x01\x00\x01\x00', 'latin1');

async function rejects(promise: Promise<unknown>, type: new (...args: never[]) => CpqError, message: RegExp): Promise<void> {
  try {
    await promise;
  } catch (error) {
    expect(error).to.be.instanceOf(type);
    expect((error as Error).message).to.match(message);
    return;
  }
  expect.fail('expected a rejection');
}

describe('reseller logos for the quote document', () => {
  it('tells PNG and JPEG by their first bytes only', () => {
    expect(logoContentType(PNG)).to.equal('image/png');
    expect(logoContentType(JPEG)).to.equal('image/jpeg');
    expect(logoContentType(GIF)).to.equal(undefined);
    expect(logoContentType(Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"/>'))).to.equal(undefined);
    // A PNG signature cut short is no PNG.
    expect(logoContentType(PNG.subarray(0, 7))).to.equal(undefined);
    expect(logoProblem(Buffer.alloc(0))).to.equal('the file is empty');
    const big = Buffer.concat([PNG, Buffer.alloc(LOGO_MAX_BYTES - PNG.length + 1)]);
    expect(logoProblem(big)).to.match(/262,145 bytes: a logo may have at most 262,144/);
    expect(logoProblem(big.subarray(0, LOGO_MAX_BYTES))).to.equal(undefined);
  });

  describe('AccountLogoService (SQLite)', () => {
    let store: SqliteStore;
    let logos: AccountLogoService;
    before(async () => {
      store = SqliteStore.open(':memory:');
      await store.upsertReferenceData(REFERENCE);
      logos = new AccountLogoService(store, () => '2026-03-01T10:00:00.000Z');
    });
    after(async () => store.close());

    it("lets a reseller user set its own account's logo, and only that", async () => {
      const set = await logos.setLogo(viewer('r1'), PNG);
      expect(set).to.deep.equal({
        accountId: 'R1',
        contentType: 'image/png',
        bytes: PNG.length,
        updatedAt: '2026-03-01T10:00:00.000Z',
      });
      const stored = await store.logos.getLogo('R1');
      expect(stored?.data.equals(PNG)).to.equal(true);
      expect(stored).to.include({ contentType: 'image/png', updatedBy: viewer('r1').userId });
      // Another reseller's account is not found for it; distributors change no logo.
      await rejects(logos.setLogo(viewer('r1'), PNG, 'R2'), NotFoundError, /Account R2/);
      await rejects(logos.removeLogo(viewer('r2'), 'R1'), NotFoundError, /Account R1/);
      await rejects(logos.setLogo(viewer('d1'), PNG), ForbiddenError, /distributor user cannot change a reseller's logo/);
      expect(await store.logos.getLogo('R2')).to.equal(undefined);
      // A JPEG replaces the PNG.
      expect((await logos.setLogo(viewer('r1'), JPEG)).contentType).to.equal('image/jpeg');
      expect((await store.logos.getLogo('R1'))?.contentType).to.equal('image/jpeg');
    });

    it('refuses what is not a PNG or JPEG, or too large, and keeps the logo there was', async () => {
      await rejects(logos.setLogo(viewer('r1'), GIF), InvalidInputError, /^logo: the file is not a PNG or JPEG image/);
      await rejects(
        logos.setLogo(viewer('r1'), Buffer.concat([PNG, Buffer.alloc(LOGO_MAX_BYTES)])),
        InvalidInputError,
        /^logo: the file has .* bytes: a logo may have at most 262,144/,
      );
      expect((await store.logos.getLogo('R1'))?.contentType).to.equal('image/jpeg');
    });

    it("lets the vendor admin set any reseller's logo, never a distributor's; removing answers whether there was one", async () => {
      expect((await logos.setLogo(viewer('vendor'), PNG, 'R2')).accountId).to.equal('R2');
      await rejects(logos.setLogo(viewer('vendor'), PNG, 'D1'), InvalidInputError, /^accountId: Distri One is no reseller/);
      await rejects(logos.setLogo(viewer('vendor'), PNG, 'nope'), NotFoundError, /Account nope/);
      expect(await logos.removeLogo(viewer('r2'))).to.deep.equal({ accountId: 'R2', removed: true });
      expect(await logos.removeLogo(viewer('r2'))).to.deep.equal({ accountId: 'R2', removed: false });
      expect(await store.logos.getLogo('R2')).to.equal(undefined);
    });
  });
});
