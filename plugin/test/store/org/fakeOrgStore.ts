import { AuthInfo, Connection } from '@salesforce/core';
import { MockTestOrgData, TestContext } from '@salesforce/core/testSetup';
import type { AnyJson } from '@salesforce/ts-types';
import { openOrgStore } from '../../../src/store/org/index.js';
import type { CpqStore, ReferenceData } from '../../../src/store/port.js';
import { FakeOrg } from './fakeOrg.js';
import { permissionSetNames } from './orgSchema.js';

export type FakeOrgStore = { store: CpqStore & { apiCalls(): number }; org: FakeOrg; connection: Connection };

/**
 * Sets up @salesforce/core's TestContext for the enclosing describe (its hooks stub auth files and
 * Connection.request) and returns a function that opens the org store on a new fake org: a real
 * Connection from AuthInfo of a MockTestOrgData, whose requests `$$.fakeConnectionRequest` hands to the
 * fake. Users are not written by the adapter (they are Salesforce users): the fake org gets them as
 * User -> Contact -> Account records, as partner users are in an org. The connection's user is a
 * System Administrator with the Cpq_Admin permission set (what `sf cpq deploy` assigns): the fake org applies
 * that permission set's field-level security to every request.
 */
export function useFakeOrg(): (reference?: Partial<ReferenceData>) => Promise<FakeOrgStore> {
  const $$ = new TestContext();
  return async (reference = {}) => {
    const testOrg = new MockTestOrgData();
    await $$.stubAuths(testOrg);
    const org = new FakeOrg(testOrg.orgId);
    adminWithCpqAdmin(org);
    $$.fakeConnectionRequest = (request: AnyJson): Promise<AnyJson> => org.handle(request) as Promise<AnyJson>;
    const connection = await Connection.create({ authInfo: await AuthInfo.create({ username: testOrg.username }) });
    const store = await openOrgStore(connection);
    const { users = [], ...rest } = reference;
    await store.upsertReferenceData(rest);
    for (const u of users) {
      const account = org.records('Account').find((a) => a.External_Id__c === u.accountId);
      const contact = org.insert('Contact', { LastName: u.name, AccountId: account?.Id ?? null });
      org.insert('User', { Id: u.id, Name: u.name, Email: u.email, ContactId: contact, IsActive: true });
    }
    org.requests.length = 0;
    return { store, org, connection };
  };
}

/**
 * What a deploy leaves in an org: the project's permission sets, and the deploying admin (a System
 * Administrator) with Cpq_Admin assigned. REST requests then run as that admin. Returns its user id.
 */
export function adminWithCpqAdmin(org: FakeOrg): string {
  const profile = org.insert('Profile', { Name: 'System Administrator', UserType: 'Standard' });
  const admin = org.insert('User', { Name: 'Ada Admin', Email: 'ada@vendor.test', ProfileId: profile, IsActive: true });
  for (const name of permissionSetNames()) {
    const set = org.insert('PermissionSet', { Name: name, Label: name });
    if (name === 'Cpq_Admin') org.insert('PermissionSetAssignment', { AssigneeId: admin, PermissionSetId: set });
  }
  org.apiUserId = admin;
  return admin;
}
