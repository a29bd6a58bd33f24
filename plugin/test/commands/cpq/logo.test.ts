import { expect } from 'chai';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { CpqLogoResult } from '../../../src/commands/cpq/logo.js';
import { DEMO_LOGO_ACCOUNT_ID, DEMO_LOGO_PNG_BASE64 } from '../../../src/store/demoLogo.js';
import { SqliteStore } from '../../../src/store/sqlite/sqliteStore.js';
import { cpq } from '../../helpers/cli.js';

describe('sf cpq logo (local database)', () => {
  let dir: string;
  let db: string;
  const png = Buffer.from(DEMO_LOGO_PNG_BASE64, 'base64');
  before(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'cpq-logo-'));
    db = path.join(dir, 'cpq.db');
    const seed = await cpq('seed', '--local', '--db', db, '--today', '2026-03-15');
    expect(seed.code, seed.stderr).to.equal(0);
    await writeFile(path.join(dir, 'logo.png'), png);
    await writeFile(path.join(dir, 'logo.gif.png'), Buffer.from('GIF89a\x01\x00\x01\x00', 'latin1'));
  });
  after(async () => rm(dir, { recursive: true, force: true }));

  const logoOf = async (accountId: string): Promise<Buffer | undefined> => {
    const store = SqliteStore.open(db);
    try {
      return (await store.logos.getLogo(accountId))?.data;
    } finally {
      await store.close();
    }
  };

  it('the demo seed gives Fjord IT its logo', async () => {
    expect((await logoOf(DEMO_LOGO_ACCOUNT_ID))?.equals(png)).to.equal(true);
    expect(await logoOf('r-dach')).to.equal(undefined);
  });

  it("sets a reseller's own logo, refuses another's and a file that is no PNG or JPEG (--json)", async () => {
    const out = await cpq(
      'logo',
      '--local',
      '--db',
      db,
      '--as',
      'jonas.keller@alpenblick.example',
      '--file',
      path.join(dir, 'logo.png'),
      '--json',
    );
    expect(out.code, out.stderr).to.equal(0);
    const result = (JSON.parse(out.stdout) as { result: CpqLogoResult }).result;
    expect(result).to.include({ accountId: 'r-dach' });
    expect(result.logo).to.include({ contentType: 'image/png', bytes: png.length });
    expect((await logoOf('r-dach'))?.equals(png)).to.equal(true);

    const other = await cpq(
      'logo',
      '--local',
      '--db',
      db,
      '--as',
      'u-res-dach',
      '--account',
      'r-uk',
      '--file',
      path.join(dir, 'logo.png'),
    );
    expect(other.code).to.equal(1);
    expect(other.stderr).to.contain('Account r-uk does not exist or is not visible to you');
    expect(await logoOf('r-uk')).to.equal(undefined);

    const gif = await cpq(
      'logo',
      '--local',
      '--db',
      db,
      '--as',
      'u-res-dach',
      '--file',
      path.join(dir, 'logo.gif.png'),
      '--json',
    );
    expect(gif.code).to.equal(1);
    expect(JSON.parse(gif.stdout)).to.include({ name: 'INVALID_INPUT' });
    expect(gif.stdout).to.contain('logo: the file is not a PNG or JPEG image (by its first bytes)');

    const removed = await cpq('logo', '--local', '--db', db, '--as', 'u-res-dach', '--remove', '--json');
    expect(removed.code, removed.stderr).to.equal(0);
    expect((JSON.parse(removed.stdout) as { result: CpqLogoResult }).result).to.deep.include({
      accountId: 'r-dach',
      logo: null,
      removed: true,
    });
    expect(await logoOf('r-dach')).to.equal(undefined);
  });
});
