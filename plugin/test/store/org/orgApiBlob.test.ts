import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Connection as JsforceConnection } from '@jsforce/jsforce-node';
import type { Connection } from '@salesforce/core';
import { expect } from 'chai';
import { OrgApi } from '../../../src/store/org/api.js';

/**
 * OrgApi.blob through real jsforce over real HTTP (a local server standing for the org's sObject Blob Get): the
 * bytes of a File come back unchanged, including bytes that are no UTF-8 (jsforce's parsed body is text, which
 * would corrupt them), and an error answer is an error. The fake org answers the same request the same way.
 */
describe('OrgApi.blob over jsforce', () => {
  // A PNG signature (0x89 is no UTF-8 on its own) and every byte value.
  const bytes = Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    Buffer.from([...Array(256).keys()]),
  ]);
  let server: Server;
  let api: OrgApi;
  const seen: string[] = [];
  before(async () => {
    server = createServer((req, res) => {
      seen.push(`${req.method} ${req.url} ${req.headers.authorization}`);
      if (req.url === '/services/data/v64.0/sobjects/ContentVersion/068000000000001AAA/VersionData') {
        res.writeHead(200, { 'content-type': 'image/png' });
        res.end(bytes);
        return;
      }
      res.writeHead(404, { 'content-type': 'application/json' });
      res.end(JSON.stringify([{ errorCode: 'NOT_FOUND', message: 'The requested resource does not exist' }]));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    const connection = new JsforceConnection({ instanceUrl: `http://127.0.0.1:${port}`, accessToken: 'TOKEN', version: '64.0' });
    // @salesforce/core's Connection is this jsforce Connection (its request() adds headers and calls jsforce's),
    // plus getApiVersion.
    api = new OrgApi(Object.assign(connection, { getApiVersion: () => '64.0' }) as unknown as Connection);
  });
  after(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('reads the bytes of a blob field unchanged, and counts the call', async () => {
    const data = await api.blob('ContentVersion', '068000000000001AAA', 'VersionData');
    expect(data.equals(bytes)).to.equal(true);
    expect(api.apiCalls()).to.equal(1);
    expect(seen.at(-1)).to.equal('GET /services/data/v64.0/sobjects/ContentVersion/068000000000001AAA/VersionData Bearer TOKEN');
  });

  it('rejects on an error answer', async () => {
    try {
      await api.blob('ContentVersion', '068000000000002AAA', 'VersionData');
    } catch (error) {
      expect((error as { errorCode?: string }).errorCode).to.equal('NOT_FOUND');
      return;
    }
    expect.fail('a 404 was read as a blob');
  });
});
