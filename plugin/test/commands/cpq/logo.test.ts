import { stubSfCommandUx } from '@salesforce/sf-plugins-core';
import { expect } from 'chai';
import sinon from 'sinon';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import CpqLogo, { type CpqLogoResult } from '../../../src/commands/cpq/logo.js';
import { DEMO_LOGO_ACCOUNT_ID, DEMO_LOGO_PNG_BASE64 } from '../../../src/store/demoLogo.js';
import { SqliteStore } from '../../../src/store/sqlite/sqliteStore.js';
import { worldReference } from '../../fixtures/world.js';
import { cpq } from '../../helpers/cli.js';
import type { FakeOrg } from '../../store/org/fakeOrg.js';
import { useFakeOrg } from '../../store/org/fakeOrgStore.js';

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

describe('sf cpq logo -o ORG (fake org)', () => {
  const open = useFakeOrg();
  const sandbox = sinon.createSandbox();
  let dir: string;
  const png = Buffer.from(DEMO_LOGO_PNG_BASE64, 'base64');
  const jpeg = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00, 0x01, 0xff, 0xd9]);
  before(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'cpq-logo-org-'));
    await writeFile(path.join(dir, 'logo.png'), png);
    await writeFile(path.join(dir, 'logo.jpg'), jpeg);
    await writeFile(path.join(dir, 'logo.gif.png'), Buffer.from('GIF89a\x01\x00\x01\x00', 'latin1'));
  });
  after(async () => rm(dir, { recursive: true, force: true }));
  beforeEach(() => stubSfCommandUx(sandbox));
  afterEach(() => {
    sandbox.restore();
    process.exitCode = undefined;
  });

  /** The Files titled "Quote logo" linked to an account (its ContentDocumentLinks), and their latest bytes. */
  const logoFiles = (org: FakeOrg, externalId: string): Buffer[] => {
    const account = org.records('Account').find((a) => a.External_Id__c === externalId)!.Id;
    const documents = org
      .records('ContentDocumentLink')
      .filter((l) => l.LinkedEntityId === account)
      .map((l) => l.ContentDocumentId);
    return org
      .records('ContentVersion')
      .filter((v) => documents.includes(v.ContentDocumentId) && v.IsLatest === true && v.Title === 'Quote logo')
      .map((v) => Buffer.from(v.VersionData as string, 'base64'));
  };
  const refused = async (run: Promise<unknown>): Promise<{ name: string; message: string }> => {
    try {
      await run;
    } catch (error) {
      return error as { name: string; message: string };
    }
    return expect.fail('the command was not refused');
  };

  it("sets a reseller's own logo as a File on its account, refuses another's, replaces and removes it", async () => {
    const { org, connection } = await open(worldReference());
    const o = connection.getUsername()!;
    const requests = (from: number): string[] =>
      org.requests.slice(from).map(
        (r) =>
          `${r.method} ${decodeURIComponent(r.url)
            .replace(/^.*\/v\d+\.\d+/, '')
            .slice(0, 60)}`,
      );
    let from = org.requests.length;
    const set: CpqLogoResult = await CpqLogo.run([
      '-o',
      o,
      '--as',
      'rita@r1.test',
      '--file',
      path.join(dir, 'logo.png'),
      '--json',
    ]);
    expect(set).to.deep.include({ accountId: 'R1' });
    expect(set.logo).to.include({ accountId: 'R1', contentType: 'image/png', bytes: png.length });
    expect(logoFiles(org, 'R1').map((b) => b.equals(png))).to.deep.equal([true]);
    // The org's identity, the users, the accounts (the service's checks), the account's id and Files, the upload.
    expect(requests(from)).to.have.length(6);
    expect(requests(from).at(-1)).to.equal('POST /sobjects/ContentVersion');

    const other = await refused(
      CpqLogo.run(['-o', o, '--as', 'rita@r1.test', '--account', 'R2', '--file', path.join(dir, 'logo.png')]),
    );
    expect(other.message).to.contain('Account R2 does not exist or is not visible to you');
    expect(logoFiles(org, 'R2')).to.deep.equal([]);

    const gif = await refused(CpqLogo.run(['-o', o, '--as', 'rita@r1.test', '--file', path.join(dir, 'logo.gif.png')]));
    expect(gif.message).to.contain('logo: the file is not a PNG or JPEG image (by its first bytes)');
    expect(logoFiles(org, 'R1').map((b) => b.equals(png))).to.deep.equal([true]);

    // The vendor admin replaces it: still one File titled "Quote logo" on the account, now the JPEG.
    from = org.requests.length;
    const replaced: CpqLogoResult = await CpqLogo.run([
      '-o',
      o,
      '--as',
      'vera@vendor.test',
      '--account',
      'R1',
      '--file',
      path.join(dir, 'logo.jpg'),
      '--json',
    ]);
    expect(replaced.logo).to.include({ contentType: 'image/jpeg', bytes: jpeg.length });
    expect(logoFiles(org, 'R1').map((b) => b.equals(jpeg))).to.deep.equal([true]);
    expect(org.records('ContentDocument')).to.have.length(1);
    // ... and the latest versions of the account's Files: the upload is a new version of the logo File.
    expect(requests(from)).to.have.length(7);
    expect(requests(from).at(-1)).to.equal('POST /sobjects/ContentVersion');

    from = org.requests.length;
    const removed: CpqLogoResult = await CpqLogo.run(['-o', o, '--as', 'rita@r1.test', '--remove', '--json']);
    expect(removed).to.deep.include({ accountId: 'R1', logo: null, removed: true });
    expect(logoFiles(org, 'R1')).to.deep.equal([]);
    expect(org.records('ContentDocument')).to.have.length(0);
    expect(requests(from)).to.have.length(7);
    expect(requests(from).at(-1)).to.match(/^DELETE \/composite\/sobjects\?ids=/);
    const again: CpqLogoResult = await CpqLogo.run(['-o', o, '--as', 'rita@r1.test', '--remove', '--json']);
    expect(again).to.deep.include({ removed: false });
  });
});
