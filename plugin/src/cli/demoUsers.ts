import type { Connection } from '@salesforce/core';
import type { User } from '../core/records.js';
import type { DemoUserResolver } from '../store/demo.js';
import { assignPermissionSet, runningUserId } from './deploy.js';

/**
 * The demo's people in an org (`sf cpq deploy --seed`): the org store never writes users, so the seed
 * acts as real ones. The vendor admin is the admin who runs the command; each distributor and reseller
 * person becomes a partner user of its account (partner-enabled, a Contact, a User of the "Partner
 * Community User" profile, and the Cpq permission set of its role), found again on a rerun by username.
 * Creating partner users needs an org with Experience Cloud partner licences (docs/ADMIN-GUIDE.md).
 */

export const PARTNER_PROFILE = 'Partner Community User';
const PERMISSION_SET: Record<User['role'], string | undefined> = {
  vendorAdmin: undefined,
  distributorUser: 'Cpq_Distributor_User',
  resellerUser: 'Cpq_Reseller_User',
};

const quote = (text: string): string => `'${text.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;

type Row = { Id: string };

async function one(connection: Connection, soql: string): Promise<string | undefined> {
  return (await connection.query<Row>(soql)).records[0]?.Id;
}

async function create(connection: Connection, type: string, body: Record<string, unknown>): Promise<string> {
  const saved = await connection.sobject(type).create(body);
  if (!saved.success) throw new Error(`could not create the ${type}: ${JSON.stringify(saved.errors)}`);
  return saved.id;
}

/** A username unique across Salesforce (usernames are global): the demo email with the org's id. */
export function demoUsername(email: string, orgId: string): string {
  return `${email}.cpq-${orgId.slice(0, 15).toLowerCase()}`;
}

/** Partner users for the demo's distributor and reseller people, and the running admin as the vendor. */
export function orgDemoUsers(connection: Connection, onProgress?: (done: number, total: number) => void): DemoUserResolver {
  return async (users) => {
    const out = new Map<string, string>();
    const orgId = connection.getAuthInfoFields().orgId ?? '00D000000000000';
    let profileId: string | undefined;
    let done = 0;
    for (const u of users) {
      if (u.role === 'vendorAdmin') {
        out.set(u.id, await runningUserId(connection));
        onProgress?.(++done, users.length);
        continue;
      }
      const accountId = await one(connection, `SELECT Id FROM Account WHERE External_Id__c = ${quote(u.accountId)}`);
      if (!accountId) throw new Error(`account ${u.accountId} of ${u.name} is not in the org`);
      const username = demoUsername(u.email, orgId);
      let userId = await one(connection, `SELECT Id FROM User WHERE Username = ${quote(username)}`);
      if (!userId) {
        profileId ??= await one(connection, `SELECT Id FROM Profile WHERE Name = ${quote(PARTNER_PROFILE)}`);
        if (!profileId) {
          throw new Error(
            `the org has no "${PARTNER_PROFILE}" profile: turn on Digital Experiences and partner licences (docs/ADMIN-GUIDE.md, "The partner portal"), then run the seed again`,
          );
        }
        // A partner user belongs to a contact of a partner account.
        await connection.sobject('Account').update({ Id: accountId, IsPartner: true });
        const [firstName, ...rest] = u.name.split(' ');
        const lastName = rest.join(' ') || firstName!;
        const contactId =
          (await one(connection, `SELECT Id FROM Contact WHERE AccountId = ${quote(accountId)} AND Email = ${quote(u.email)}`)) ??
          (await create(connection, 'Contact', {
            AccountId: accountId,
            FirstName: firstName,
            LastName: lastName,
            Email: u.email,
          }));
        userId = await create(connection, 'User', {
          Username: username,
          FirstName: firstName,
          LastName: lastName,
          Email: u.email,
          Alias: u.id.replace(/[^a-z0-9]/gi, '').slice(0, 8),
          CommunityNickname: `${u.id}-${orgId.slice(-6)}`,
          ContactId: contactId,
          ProfileId: profileId,
          TimeZoneSidKey: 'Europe/Stockholm',
          LocaleSidKey: 'en_US',
          EmailEncodingKey: 'UTF-8',
          LanguageLocaleKey: 'en_US',
        });
      }
      const set = PERMISSION_SET[u.role];
      if (set) await assignPermissionSet(connection, userId, set);
      out.set(u.id, userId);
      onProgress?.(++done, users.length);
    }
    return out;
  };
}
