import { expect } from 'chai';
import { storeContract } from '../contract.js';
import { useFakeOrg } from './fakeOrgStore.js';

describe('org store over the fake org', () => {
  const open = useFakeOrg();
  storeContract('org (fake org)', async (reference) => (await open(reference)).store);

  it('opens', async () => {
    const { store } = await open({});
    expect(store.kind).to.equal('org');
  });
});
