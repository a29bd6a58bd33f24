/**
 * The Metadata API deploy as a fake org answers it for `sf cpq deploy` (REST deployRequest, then its status):
 * a deploy that succeeds at once. The fake org models records, not metadata; the schema it enforces is
 * force-app's own (orgSchema.ts). Returns undefined for any other request.
 */
export const FAKE_DEPLOY_ID = '0Af000000000001AAA';

export function metadataDeployAnswer(method: string | undefined, url: string): unknown {
  if (url.endsWith('/metadata/deployRequest') && method === 'POST')
    return { id: FAKE_DEPLOY_ID, deployResult: { id: FAKE_DEPLOY_ID, status: 'Pending', done: false } };
  if (!url.includes(`/metadata/deployRequest/${FAKE_DEPLOY_ID}`)) return undefined;
  return {
    deployResult: {
      id: FAKE_DEPLOY_ID,
      done: true,
      status: 'Succeeded',
      success: true,
      checkOnly: false,
      numberComponentsTotal: 1,
      numberComponentsDeployed: 1,
      numberComponentErrors: 0,
      createdDate: '2026-12-05T10:00:00.000Z',
      details: { componentSuccesses: [], componentFailures: [] },
    },
  };
}
