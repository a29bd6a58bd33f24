import { expect } from 'chai';
import http from 'node:http';
import { PortalClient, USERS, signedIn, startTestPortal, type ErrorReply, type TestPortal } from './fixtures.js';

describe('preview server: sign-in and sessions', () => {
  let portal: TestPortal;
  before(async () => {
    portal = await startTestPortal();
  });
  after(async () => {
    await portal.stop();
  });

  it('listens on 127.0.0.1 and logs the renewal run at start', () => {
    expect(portal.server.url).to.equal(`http://127.0.0.1:${portal.server.port}`);
    expect(portal.server.port).to.be.greaterThan(0);
    expect(portal.logs.join('\n')).to.match(
      /Renewals as of 2026-03-01 \(90 days ahead\): 1 contract\(s\) due, 1 renewal quote\(s\) created/,
    );
  });

  it('sends a visitor without a session to the sign-in page', async () => {
    const reply = await new PortalClient(portal.server.url).request('GET', '/');
    expect(reply.status).to.equal(303);
    expect(reply.headers.get('location')).to.equal('/login');
  });

  it('lists every user of the store on the sign-in page, grouped by role', async () => {
    const reply = await new PortalClient(portal.server.url).request('GET', '/login');
    expect(reply.status).to.equal(200);
    expect(reply.headers.get('content-type')).to.match(/^text\/html/);
    for (const user of Object.values(USERS)) {
      expect(reply.text).to.contain(user.name);
      expect(reply.text).to.contain(`name="userId" value="${user.id}"`);
    }
    expect(reply.text.indexOf('Vendor admin')).to.be.lessThan(reply.text.indexOf('Distributor users'));
    expect(reply.text.indexOf('Distributor users')).to.be.lessThan(reply.text.indexOf('Reseller users'));
  });

  it('sets an HttpOnly, SameSite=Strict session cookie with a random token on sign-in', async () => {
    const a = new PortalClient(portal.server.url);
    const reply = await a.login(USERS.r1.id);
    expect(reply.status).to.equal(303);
    expect(reply.headers.get('location')).to.equal('/');
    const cookie = reply.headers.getSetCookie().find((c) => c.startsWith('cpq_session='))!;
    expect(cookie).to.match(/; HttpOnly/i);
    expect(cookie).to.match(/; SameSite=Strict/i);
    expect(cookie).to.match(/; Path=\//i);
    const token = a.cookie!.split('=')[1]!;
    expect(token).to.match(/^[A-Za-z0-9_-]{43}$/);
    const b = new PortalClient(portal.server.url);
    await b.login(USERS.r1.id);
    expect(b.cookie).to.not.equal(a.cookie);

    const me = await a.ok<{ id: string; role: string; accountId: string; accountName: string }>(
      'SessionController.getCurrentUser',
    );
    expect(me).to.include({ id: USERS.r1.id, role: 'resellerUser', accountId: 'R1', accountName: 'Reseller One' });
  });

  it('refuses a sign-in as a user that does not exist', async () => {
    const client = new PortalClient(portal.server.url);
    const reply = await client.login('u-nobody');
    expect(reply.status).to.equal(400);
    expect(client.cookie).to.equal(undefined);
    expect(reply.text).to.contain('Choose one of the users');
  });

  it('answers 401 to a controller call without a session, or with an unknown token', async () => {
    const anonymous = new PortalClient(portal.server.url);
    const reply = await anonymous.apex<ErrorReply>('QuoteController.listQuotes', {});
    expect(reply.status).to.equal(401);
    expect(reply.body.error.code).to.equal('UNAUTHENTICATED');
    anonymous.cookie = 'cpq_session=forged-token';
    expect((await anonymous.apex('QuoteController.listQuotes', {})).status).to.equal(401);
  });

  it('reads a big body only from a signed-in caller, and refuses one over the limit with 413', async () => {
    const anonymous = new PortalClient(portal.server.url);
    const big = { quoteId: 'Q1', version: 1, lines: [], filler: 'x'.repeat(5 * 1024 * 1024) };
    // No session: 401 before a byte of the 5 MB is parsed.
    expect((await anonymous.apex<ErrorReply>('QuoteController.saveQuote', big)).status).to.equal(401);
    // The sign-in form takes 16 KB at most.
    const form = await anonymous.request('POST', '/login', {
      body: `userId=${'x'.repeat(20_000)}`,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(form.status).to.equal(413);
    const client = await signedIn(portal.server, 'r1');
    const reply = await client.apex<ErrorReply>('QuoteController.saveQuote', big);
    expect(reply.status).to.equal(413);
    expect(reply.body.error.code).to.equal('BODY_TOO_LARGE');
    expect(reply.body.error.message).to.equal(
      'the request is larger than the 4096 KB this server reads (a quote may hold at most 2000 lines)',
    );
  });

  it('answers 415 to a controller call that is not JSON (what a cross-site form can send)', async () => {
    const client = await signedIn(portal.server, 'r1');
    for (const type of ['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x']) {
      const reply = await client.request('POST', '/apex/QuoteController/listQuotes', {
        body: '{}',
        headers: { 'content-type': type },
      });
      expect(reply.status, type).to.equal(415);
      expect((reply.body as ErrorReply).error.code).to.equal('UNSUPPORTED_MEDIA_TYPE');
    }
    const none = await client.request('POST', '/apex/QuoteController/listQuotes', { body: '{}' });
    expect(none.status).to.equal(415);
    const withCharset = await client.request('POST', '/apex/QuoteController/listQuotes', {
      body: '{}',
      headers: { 'content-type': 'application/json; charset=utf-8' },
    });
    expect(withCharset.status).to.equal(200);
  });

  it('refuses cross-site POSTs and foreign host names', async () => {
    const client = await signedIn(portal.server, 'r1');
    const crossSite = await client.request('POST', '/apex/QuoteController/listQuotes', {
      body: '{}',
      headers: { 'content-type': 'application/json', origin: 'https://evil.example' },
    });
    expect(crossSite.status).to.equal(403);
    const sameSite = await client.request('POST', '/apex/QuoteController/listQuotes', {
      body: '{}',
      headers: { 'content-type': 'application/json', origin: portal.server.url },
    });
    expect(sameSite.status).to.equal(200);
    // DNS rebinding: fetch cannot forge Host, node:http can.
    const status = await new Promise<number | undefined>((resolve, reject) => {
      const req = http.get(
        { host: '127.0.0.1', port: portal.server.port, path: '/login', headers: { host: `evil.example:${portal.server.port}` } },
        (res) => {
          res.resume();
          resolve(res.statusCode);
        },
      );
      req.on('error', reject);
    });
    expect(status).to.equal(421);
  });

  it('answers 400 to a body that is not JSON or not an object, 404 to an unknown method', async () => {
    const client = await signedIn(portal.server, 'r1');
    const broken = await client.request('POST', '/apex/QuoteController/listQuotes', {
      body: '{"status":',
      headers: { 'content-type': 'application/json' },
    });
    expect(broken.status).to.equal(400);
    expect((broken.body as ErrorReply).error.message).to.be.a('string');
    const list = await client.apex<ErrorReply>('QuoteController.listQuotes', []);
    expect(list.status).to.equal(400);
    expect(list.body.error.issues[0]!.message).to.equal('must be an object');
    const empty = await client.request('POST', '/apex/SessionController/getCurrentUser', {
      body: '',
      headers: { 'content-type': 'application/json' },
    });
    expect(empty.status).to.equal(200);
    for (const target of [
      'QuoteController.dropTables',
      'NoController.listQuotes',
      'QuoteController.__proto__',
      'QuoteController.constructor',
    ]) {
      const reply = await client.apex<ErrorReply>(target, {});
      expect(reply.status, target).to.equal(404);
      expect(reply.body.error.code).to.equal('NOT_FOUND');
    }
  });

  it('ends the session on sign-out', async () => {
    const client = await signedIn(portal.server, 'd1');
    const cookie = client.cookie;
    const reply = await client.request('POST', '/logout');
    expect(reply.status).to.equal(303);
    expect(reply.headers.get('location')).to.equal('/login');
    expect(client.cookie).to.equal(undefined);
    // The old token is dead on the server too, not only forgotten by the browser.
    client.cookie = cookie;
    expect((await client.apex('SessionController.getCurrentUser')).status).to.equal(401);
    expect((await client.request('GET', '/')).status).to.equal(303);
  });

  it('a new sign-in replaces the previous session', async () => {
    const client = await signedIn(portal.server, 'r1');
    const first = client.cookie;
    await client.login(USERS.r2.id);
    expect(client.cookie).to.not.equal(first);
    expect((await client.ok<{ id: string }>('SessionController.getCurrentUser')).id).to.equal(USERS.r2.id);
    client.cookie = first;
    expect((await client.apex('SessionController.getCurrentUser')).status).to.equal(401);
  });
});
