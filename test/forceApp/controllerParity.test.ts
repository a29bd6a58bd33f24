import { expect } from 'chai';
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import type { z } from 'zod';
import { controllerContracts } from '../../plugin/src/preview/contracts.js';

/**
 * The Lightning components call `@salesforce/apex/Class.method` with one object of named parameters; in an
 * org Aura maps those names onto the Apex method's parameters, locally the preview server's zod contracts
 * check them. A renamed or missing parameter on either side would only fail in an org, so the two are
 * compared here: same controllers, same methods, same parameter names.
 */

const CLASSES = path.resolve(import.meta.dirname, '../../force-app/main/default/classes');

type ApexMethod = { name: string; params: string[] };

/** The `@AuraEnabled` static methods of an Apex class, with their parameter names. */
export function auraMethods(source: string): ApexMethod[] {
  const methods: ApexMethod[] = [];
  const pattern = /@AuraEnabled(?:\([^)]*\))?\s+(?:public|global)\s+static\s+[\w<>,.\s]+?\s(\w+)\s*\(([^)]*)\)/g;
  for (const match of source.matchAll(pattern)) {
    const params: string[] = [];
    let depth = 0;
    let current = '';
    for (const ch of match[2]!) {
      if (ch === '<') depth++;
      if (ch === '>') depth--;
      if (ch === ',' && depth === 0) {
        params.push(current);
        current = '';
      } else current += ch;
    }
    if (current.trim()) params.push(current);
    methods.push({ name: match[1]!, params: params.map((p) => p.trim().split(/\s+/).at(-1)!) });
  }
  return methods;
}

function contractParams(schema: z.ZodType): string[] {
  return Object.keys((schema as unknown as { shape: Record<string, unknown> }).shape);
}

describe('Apex controllers and the controller contracts', () => {
  const controllerFiles = readdirSync(CLASSES).filter((f) => /Controller\.cls$/.test(f));

  it('have the same controller classes', () => {
    expect(controllerFiles.map((f) => f.replace(/\.cls$/, '')).sort()).to.deep.equal(Object.keys(controllerContracts).sort());
  });

  for (const [cls, methods] of Object.entries(controllerContracts)) {
    it(`${cls}: same methods and parameter names`, () => {
      const apex = auraMethods(readFileSync(path.join(CLASSES, `${cls}.cls`), 'utf8'));
      expect(apex.map((m) => m.name).sort(), `${cls} methods`).to.deep.equal(Object.keys(methods).sort());
      for (const [method, contract] of Object.entries(methods) as [string, { params: z.ZodType }][]) {
        const apexMethod = apex.find((m) => m.name === method)!;
        expect(apexMethod.params.sort(), `${cls}.${method} parameters`).to.deep.equal(contractParams(contract.params).sort());
      }
    });
  }

  it('reads parameter names across generics and lines (so a mismatch could be seen)', () => {
    const source = `@AuraEnabled\n  public static Map<String, Object> replenish(String currencyCode,\n List<Map<String, Object>> lines) {`;
    expect(auraMethods(source)).to.deep.equal([{ name: 'replenish', params: ['currencyCode', 'lines'] }]);
  });
});
