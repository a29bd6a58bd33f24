import * as m from '../../plugin/src/store/org/mapping.js';
import type { ReferenceData } from '../../plugin/src/store/port.js';
import { FakeOrg, platformName } from '../../plugin/test/store/org/fakeOrg.js';

/**
 * A fake org holding a ReferenceData world as the org store writes it (the same mapping functions), plus what
 * Setup holds for partner users: each user a Contact of its account and a User with that account, a partner
 * role per partner account with its role group, the Partner Community User profile (a Standard User profile for
 * the vendor admin) and each role's permission set (Cpq_Reseller_User, Cpq_Distributor_User, Cpq_Admin).
 */
export type SeededOrg = { org: FakeOrg; userIds: Map<string, string>; accountIds: Map<string, string> };

export function seedOrg(reference: ReferenceData): SeededOrg {
  const org = new FakeOrg();
  const { users, ...data } = reference;
  if (data.settings) org.insert('Cpq_Settings__c', { ...m.settingsToSf(data.settings), SetupOwnerId: org.orgId });
  const load = (type: string, rows: m.SfRow[]): void => {
    for (const row of rows) org.insert(type, stripNullRefs(row));
  };
  load('Account', data.accounts.map(m.accountToSf));
  load('Discount_Schedule__c', data.discountSchedules.map(m.scheduleToSf));
  load('Discount_Tier__c', data.discountSchedules.flatMap(m.scheduleTiersToSf));
  load('Product_Family__c', (data.productFamilies ?? []).map(m.familyToSf));
  load('Product2', data.products.map(m.productToSf));
  load('Cpq_Price__c', data.priceBook.map(m.priceToSf));
  load('Partner_Agreement__c', data.agreements.map(m.agreementToSf));
  load('Agreement_Rule__c', data.agreements.flatMap(m.rulesToSf));
  load('Agreement_Tier__c', data.agreements.flatMap(m.agreementTiersToSf));
  load('Default_Distributor_Rule__c', (data.defaultDistributorRules ?? []).map(m.defaultRuleToSf));
  load('Distributor_Inventory__c', (data.inventory ?? []).map(m.inventoryToSf));
  const accountIds = new Map(org.records('Account').map((a) => [a.External_Id__c as string, a.Id as string]));
  const userIds = new Map<string, string>();
  const sets = new Map(
    ['Cpq_Admin', 'Cpq_Reseller_User', 'Cpq_Distributor_User'].map((name) => [
      name,
      org.insert('PermissionSet', { Name: name, Label: name }),
    ]),
  );
  const partnerProfile = org.insert('Profile', { Name: 'Partner Community User', UserType: 'PowerPartner' });
  const internalProfile = org.insert('Profile', { Name: 'Standard User', UserType: 'Standard' });
  const setOf = { vendorAdmin: 'Cpq_Admin', resellerUser: 'Cpq_Reseller_User', distributorUser: 'Cpq_Distributor_User' };
  const roles = new Map<string, string>();
  for (const u of users) {
    const accountId = accountIds.get(u.accountId) ?? null;
    const partner = u.role !== 'vendorAdmin';
    let roleId: string | null = null;
    if (partner && accountId) {
      // The platform makes a partner role (and its group) for the account with its first partner user.
      roleId = roles.get(accountId) ?? null;
      if (!roleId) {
        roleId = org.insert('UserRole', {
          Name: platformName('UserRole', 'Name', `${u.accountId} Partner User`),
          PortalAccountId: accountId,
          PortalType: 'Partner',
        });
        org.insert('Group', {
          Name: platformName('Group', 'Name', `${u.accountId} Partner User`),
          Type: 'Role',
          RelatedId: roleId,
        });
        roles.set(accountId, roleId);
      }
    }
    const contact = partner ? org.insert('Contact', { LastName: u.name, AccountId: accountId }) : null;
    const id = org.insert('User', {
      Name: u.name,
      Email: u.email,
      ContactId: contact,
      AccountId: partner ? accountId : null,
      UserRoleId: roleId,
      ProfileId: partner ? partnerProfile : internalProfile,
      IsActive: true,
    });
    org.insert('PermissionSetAssignment', { AssigneeId: id, PermissionSetId: sets.get(setOf[u.role]) });
    userIds.set(u.id, id);
  }
  return { org, userIds, accountIds };
}

/** `Rel__r: null` is how the mapping writes an empty lookup to the REST API; the fake's insert takes `Rel__c: null`. */
function stripNullRefs(row: m.SfRow): m.SfRow {
  const out: m.SfRow = {};
  for (const [k, v] of Object.entries(row)) {
    if (k.endsWith('__r') && v === null) out[k.replace(/__r$/, '__c')] = null;
    else out[k] = v;
  }
  return out;
}
