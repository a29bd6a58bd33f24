import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import type { Connection } from '@salesforce/core';
import { RENEWAL_JOB_NAME } from './deploy.js';
import { SHARING_CLASS } from './share.js';

/**
 * `sf cpq doctor`: is this org ready for Channel CPQ? Each check reads the org (REST API, as the admin who
 * runs it) and says what to fix when it is not. The objects and fields queried are documented in
 * docs/DOCTOR.md with their Salesforce reference pages.
 */

export type CheckStatus = 'ok' | 'warn' | 'fail';
export type DoctorCheck = { check: string; status: CheckStatus; detail: string; fix: string | null };

/** The Node version the `sf` CLI needs (docs/ADMIN-GUIDE.md, Tools). */
export const SF_CLI_NODE = '22.19.0';
const SHARED = [
  'Channel_Quote__c',
  'Channel_Order__c',
  'Channel_Contract__c',
  'Partner_Agreement__c',
  'Distributor_Inventory__c',
];
const PARTNER_SETS: Record<string, string> = { reseller: 'Cpq_Reseller_User', distributor: 'Cpq_Distributor_User' };

const atLeast = (version: string, minimum: string): boolean => {
  const [a, b] = [version, minimum].map((v) => v.replace(/^v/, '').split('.').map(Number));
  for (let i = 0; i < 3; i++) if ((a![i] ?? 0) !== (b![i] ?? 0)) return (a![i] ?? 0) > (b![i] ?? 0);
  return true;
};

/** The fields the project's Cpq_Admin permission set grants (what the org store reads and writes). */
function adminFields(projectRoot: string): string[] {
  const xml = readFileSync(
    path.join(projectRoot, 'force-app/main/default/permissionsets/Cpq_Admin.permissionset-meta.xml'),
    'utf8',
  );
  return [...xml.matchAll(/<field>([^<]+)<\/field>/g)].map((m) => m[1]!);
}

function customObjects(projectRoot: string): string[] {
  return readdirSync(path.join(projectRoot, 'force-app/main/default/objects')).filter((o) => o.endsWith('__c'));
}

async function rows<T extends Record<string, unknown>>(connection: Connection, soql: string): Promise<T[]> {
  return (await connection.query<T>(soql)).records;
}

/** Runs a check; an error reading the org is a failed check naming what could not be read. */
async function guarded(name: string, fix: string, run: () => Promise<DoctorCheck>): Promise<DoctorCheck> {
  try {
    return await run();
  } catch (error) {
    return { check: name, status: 'fail', detail: (error as Error).message, fix };
  }
}

export async function runDoctor(
  connection: Connection,
  options: { projectRoot: string; sourceApiVersion: string; nodeVersion?: string },
): Promise<DoctorCheck[]> {
  const out: DoctorCheck[] = [];
  const node = options.nodeVersion ?? process.versions.node;
  out.push(
    atLeast(node, SF_CLI_NODE)
      ? { check: 'node', status: 'ok', detail: `Node ${node}`, fix: null }
      : {
          check: 'node',
          status: 'warn',
          detail: `Node ${node}: the sf CLI needs ${SF_CLI_NODE} or later (on Node 20 only a jsforce-pinned install runs)`,
          fix: 'install Node 22.19+, or the pinned sf CLI for Node 20 (docs/ADMIN-GUIDE.md, section 1)',
        },
  );

  out.push(
    await guarded('api version', 'use an org on a current Salesforce release', async () => {
      const versions = await connection.request<{ version: string }[]>('/services/data');
      const latest =
        versions
          .map((v) => v.version)
          .sort((a, b) => Number(a) - Number(b))
          .pop() ?? '0';
      return Number(latest) >= Number(options.sourceApiVersion)
        ? { check: 'api version', status: 'ok', detail: `org up to ${latest}, project ${options.sourceApiVersion}`, fix: null }
        : {
            check: 'api version',
            status: 'fail',
            detail: `the org knows API ${latest}, the project needs ${options.sourceApiVersion}`,
            fix: 'use an org on a current release (a new scratch org: docs/ADMIN-GUIDE.md, section 4)',
          };
    }),
  );

  out.push(
    await guarded('experience cloud', 'Setup → Digital Experiences → Settings → Enable Digital Experiences', async () => {
      const sites = await rows<{ Name: string; Status: string }>(connection, 'SELECT Name, Status FROM Network');
      return sites.length > 0
        ? { check: 'experience cloud', status: 'ok', detail: sites.map((s) => `${s.Name} (${s.Status})`).join(', '), fix: null }
        : {
            check: 'experience cloud',
            status: 'fail',
            detail: 'no Experience Cloud site',
            fix: 'create the partner site: docs/ADMIN-GUIDE.md, section 7 (sf community create ...)',
          };
    }),
  );

  out.push(
    await guarded('objects and field access', 'deploy force-app: sf cpq deploy -o ORG', async () => {
      const granted = new Set(
        (
          await rows<{ Field: string; PermissionsRead: boolean }>(
            connection,
            "SELECT Field, PermissionsRead FROM FieldPermissions WHERE Parent.Name = 'Cpq_Admin'",
          )
        )
          .filter((r) => r.PermissionsRead)
          .map((r) => r.Field),
      );
      const missing = adminFields(options.projectRoot).filter((f) => !granted.has(f));
      const objects = new Set(
        (
          await rows<{ SobjectType: string }>(
            connection,
            "SELECT SobjectType FROM ObjectPermissions WHERE Parent.Name = 'Cpq_Admin'",
          )
        ).map((r) => r.SobjectType),
      );
      const missingObjects = customObjects(options.projectRoot).filter((o) => o !== 'Cpq_Settings__c' && !objects.has(o));
      if (missing.length === 0 && missingObjects.length === 0)
        return {
          check: 'objects and field access',
          status: 'ok',
          detail: `${granted.size} fields readable by Cpq_Admin`,
          fix: null,
        };
      return {
        check: 'objects and field access',
        status: 'fail',
        detail: `not deployed or not readable: ${[...missingObjects, ...missing].slice(0, 5).join(', ')}${missing.length + missingObjects.length > 5 ? ` and ${missing.length + missingObjects.length - 5} more` : ''}`,
        fix: 'deploy force-app again: sf cpq deploy -o ORG (it deploys the objects, fields and permission sets)',
      };
    }),
  );

  type PartnerUser = {
    Id: string;
    Username: string;
    Contact: { Account: { Id: string; Channel_Role__c: string | null } | null } | null;
  };
  let partners: PartnerUser[] = [];
  out.push(
    await guarded('partner permission sets', 'assign the permission sets: docs/ADMIN-GUIDE.md, section 8', async () => {
      partners = await rows<PartnerUser>(
        connection,
        'SELECT Id, Username, Contact.Account.Id, Contact.Account.Channel_Role__c FROM User WHERE IsActive = TRUE AND ContactId != NULL',
      );
      const assigned = new Set(
        (
          await rows<{ AssigneeId: string; PermissionSet: { Name: string } }>(
            connection,
            "SELECT AssigneeId, PermissionSet.Name FROM PermissionSetAssignment WHERE PermissionSet.Name IN ('Cpq_Reseller_User', 'Cpq_Distributor_User')",
          )
        ).map((a) => `${a.AssigneeId}:${a.PermissionSet.Name}`),
      );
      const lacking = partners.filter((u) => {
        const set = PARTNER_SETS[u.Contact?.Account?.Channel_Role__c ?? ''];
        return set !== undefined && !assigned.has(`${u.Id}:${set}`);
      });
      if (partners.length === 0)
        return {
          check: 'partner permission sets',
          status: 'warn',
          detail: 'no partner users yet',
          fix: 'create partner users: docs/ADMIN-GUIDE.md, section 8',
        };
      return lacking.length === 0
        ? {
            check: 'partner permission sets',
            status: 'ok',
            detail: `${partners.length} partner users, each with its Cpq permission set`,
            fix: null,
          }
        : {
            check: 'partner permission sets',
            status: 'fail',
            detail: `${lacking.length} partner user(s) without their Cpq permission set: ${lacking
              .slice(0, 3)
              .map((u) => u.Username)
              .join(', ')}`,
            fix: 'sf org assign permset -o ORG --name Cpq_Reseller_User (or Cpq_Distributor_User) --on-behalf-of <username>',
          };
    }),
  );

  out.push(
    await guarded('partner roles', 'enable the accounts as partners: docs/ADMIN-GUIDE.md, section 8', async () => {
      const accounts = new Set(partners.map((u) => u.Contact?.Account?.Id).filter((id): id is string => Boolean(id)));
      const roles = await rows<{ Id: string; PortalAccountId: string }>(
        connection,
        'SELECT Id, PortalAccountId FROM UserRole WHERE PortalAccountId != NULL',
      );
      const groups = new Set(
        (await rows<{ RelatedId: string }>(connection, "SELECT RelatedId FROM Group WHERE Type = 'Role'")).map(
          (g) => g.RelatedId,
        ),
      );
      const withGroup = new Set(roles.filter((r) => groups.has(r.Id)).map((r) => r.PortalAccountId));
      const without = [...accounts].filter((a) => !withGroup.has(a));
      return without.length === 0
        ? {
            check: 'partner roles',
            status: 'ok',
            detail: `${accounts.size} partner account(s) with partner roles and role groups`,
            fix: null,
          }
        : {
            check: 'partner roles',
            status: 'fail',
            detail: `${without.length} partner account(s) without a partner role and its group: ${without.slice(0, 3).join(', ')}`,
            fix: 'Account → Manage External Account → Enable as Partner, then sf cpq share -o ORG',
          };
    }),
  );

  out.push(
    await guarded('sharing', 'sf cpq share -o ORG', async () => {
      const gaps: string[] = [];
      for (const object of SHARED) {
        const [total] = await rows<{ expr0: number }>(connection, `SELECT COUNT(Id) FROM ${object}`);
        const [shared] = await rows<{ expr0: number }>(
          connection,
          `SELECT COUNT_DISTINCT(ParentId) FROM ${object.replace(/__c$/, '__Share')} WHERE RowCause = 'Channel_Party__c'`,
        );
        const missing = (total?.expr0 ?? 0) - (shared?.expr0 ?? 0);
        if (missing > 0) gaps.push(`${object}: ${missing} not shared`);
      }
      return gaps.length === 0
        ? { check: 'sharing', status: 'ok', detail: 'every channel record has its partner shares', fix: null }
        : { check: 'sharing', status: 'fail', detail: gaps.join('; '), fix: `sf cpq share -o ORG (runs ${SHARING_CLASS})` };
    }),
  );

  out.push(
    await guarded('renewal job', 'sf cpq deploy -o ORG schedules it', async () => {
      const jobs = await rows<{ State: string; NextFireTime: string | null }>(
        connection,
        `SELECT State, NextFireTime FROM CronTrigger WHERE CronJobDetail.Name = '${RENEWAL_JOB_NAME}'`,
      );
      return jobs.length > 0
        ? {
            check: 'renewal job',
            status: 'ok',
            detail: `${RENEWAL_JOB_NAME}: ${jobs[0]!.State}, next ${jobs[0]!.NextFireTime ?? '-'}`,
            fix: null,
          }
        : {
            check: 'renewal job',
            status: 'fail',
            detail: `'${RENEWAL_JOB_NAME}' is not scheduled`,
            fix: 'sf cpq deploy -o ORG (its schedule step), or run RenewalJob.scheduleDaily() as anonymous Apex',
          };
    }),
  );

  out.push(
    await guarded(
      'currencies',
      'Setup → Company Information → Currencies: enable multiple currencies, then Manage Currencies → Enable Advanced Currency Management',
      async () => {
        // CurrencyType exists only with multi-currency on; DatedConversionRate holds rates only with advanced
        // currency management (dated rates): the bookings that move tiers convert at them (PRICING.md).
        const active = await rows<{ IsoCode: string; IsCorporate: boolean }>(
          connection,
          'SELECT IsoCode, IsCorporate FROM CurrencyType WHERE IsActive = true',
        );
        const corporate = active.find((c) => c.IsCorporate)?.IsoCode;
        const used = [
          ...new Set(
            (await rows<{ Currency_Code__c: string }>(connection, 'SELECT Currency_Code__c FROM Cpq_Price__c')).map(
              (r) => r.Currency_Code__c,
            ),
          ),
        ].sort();
        const inactive = used.filter((c) => !active.some((a) => a.IsoCode === c));
        if (inactive.length > 0)
          return {
            check: 'currencies',
            status: 'fail',
            detail: `price book currencies not active in the org: ${inactive.join(', ')}`,
            fix: 'Setup → Manage Currencies → New, or let sf cpq rates import -o ORG add them',
          };
        const dated = new Set(
          (await rows<{ IsoCode: string }>(connection, 'SELECT IsoCode FROM DatedConversionRate')).map((r) => r.IsoCode),
        );
        const noRate = used.filter((c) => c !== corporate && !dated.has(c));
        if (noRate.length > 0)
          return {
            check: 'currencies',
            status: 'fail',
            detail: `no dated exchange rate for ${noRate.join(', ')}: orders in it cannot count towards tiers (NO_EXCHANGE_RATE)`,
            fix: 'sf cpq rates import -o ORG --file rates.csv (docs/RATES-CSV.md)',
          };
        return {
          check: 'currencies',
          status: 'ok',
          detail: `corporate ${corporate ?? '?'}; ${used.length} price book currencies active, each with dated rates`,
          fix: null,
        };
      },
    ),
  );

  out.push(
    await guarded('api allowance', 'wait for the 24-hour window to roll on, or buy more API calls', async () => {
      // The Limits resource (API 29.0+, needs View Setup and Configuration): the org's rolling 24-hour count.
      const limits = await connection.request<{ DailyApiRequests?: { Max: number; Remaining: number } }>(
        `/services/data/v${connection.getApiVersion()}/limits`,
      );
      const daily = limits.DailyApiRequests;
      if (!daily) return { check: 'api allowance', status: 'warn', detail: 'the org did not report DailyApiRequests', fix: null };
      const detail = `${daily.Remaining} of ${daily.Max} daily API requests left`;
      // A deploy with --seed and a share take a few hundred requests; renewals of thousands of contracts, dozens.
      if (daily.Remaining < API_CALLS_NEEDED)
        return {
          check: 'api allowance',
          status: 'fail',
          detail: `${detail}: the CLI's commands would be refused with REQUEST_LIMIT_EXCEEDED`,
          fix: 'wait for the 24-hour window to roll on (Setup → System Overview shows the usage), or buy more API calls',
        };
      return daily.Remaining < daily.Max / 10
        ? {
            check: 'api allowance',
            status: 'warn',
            detail: `${detail} (under 10 %)`,
            fix: 'see what uses them: Setup → System Overview',
          }
        : { check: 'api allowance', status: 'ok', detail, fix: null };
    }),
  );
  return out;
}

/** About what `sf cpq deploy --seed`, `sf cpq share` and a renewal run need together (org:story counts them). */
const API_CALLS_NEEDED = 500;
