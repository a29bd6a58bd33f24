import { priceScenario } from 'c/cpqEngine';

describe('c/cpqEngine', () => {
  it('exposes the pricing engine to other components', () => {
    expect(typeof priceScenario).toBe('function');
  });
});
