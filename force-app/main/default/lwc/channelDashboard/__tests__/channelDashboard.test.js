import { createElement } from 'lwc';
import ChannelDashboard from 'c/channelDashboard';
import { loadScript } from 'lightning/platformResourceLoader';
import getChannelDashboard from '@salesforce/apex/DashboardController.getChannelDashboard';
import getPartnerScorecard from '@salesforce/apex/DashboardController.getPartnerScorecard';
import getCurrentUser from '@salesforce/apex/SessionController.getCurrentUser';
import { KPI_DEFINITIONS } from 'c/cpqKpis';
import SCORECARD_RESELLER from './data/scorecardReseller.json';
import SCORECARD_DISTRIBUTOR from './data/scorecardDistributor.json';
import DASHBOARD_VENDOR from './data/dashboardVendor.json';
import DASHBOARD_DISTRIBUTOR from './data/dashboardDistributor.json';
import DASHBOARD_DISTRIBUTOR_6 from './data/dashboardDistributor6.json';
import USER_VENDOR from './data/userVendor.json';
import USER_DISTRIBUTOR from './data/userDistributor.json';

jest.mock('@salesforce/apex/DashboardController.getChannelDashboard', () => ({ default: jest.fn() }), { virtual: true });
jest.mock('@salesforce/apex/DashboardController.getPartnerScorecard', () => ({ default: jest.fn() }), { virtual: true });
jest.mock('@salesforce/apex/SessionController.getCurrentUser', () => ({ default: jest.fn() }), { virtual: true });

// eslint-disable-next-line @lwc/lwc/no-async-operation
const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

/** Chart.js as loadScript would leave it on window: records every chart drawn. */
function installChart() {
  const charts = [];
  window.Chart = jest.fn().mockImplementation((canvas, config) => {
    const chart = { canvas, config, destroy: jest.fn() };
    charts.push(chart);
    return chart;
  });
  return charts;
}

async function mount(user, dashboard) {
  getCurrentUser.mockResolvedValue(user);
  getChannelDashboard.mockResolvedValue(dashboard);
  const element = createElement('c-channel-dashboard', { is: ChannelDashboard });
  document.body.appendChild(element);
  await settle();
  return element;
}

const kpi = (element, key) => element.shadowRoot.querySelector(`.kpi[data-key="${key}"] .value`).textContent;

describe('c-channel-dashboard', () => {
  afterEach(() => {
    while (document.body.firstChild) document.body.removeChild(document.body.firstChild);
    jest.clearAllMocks();
    delete window.Chart;
  });

  // The mocks are the local service's answers for the demo as of 2026-12-05 (Nordlys; the vendor; Fjord IT).
  it('shows a distributor every KPI with its definition, converted figures, and a table under each chart', async () => {
    installChart();
    const element = await mount(USER_DISTRIBUTOR, DASHBOARD_DISTRIBUTOR);
    expect(getChannelDashboard).toHaveBeenCalledWith({ months: 12 });
    expect(kpi(element, 'wonValue')).toBe('USD 254,307.39');
    expect(kpi(element, 'averageDealValue')).toBe('USD 84,769.13');
    expect(kpi(element, 'approvalRate')).toBe('100.0 %');
    expect(kpi(element, 'churnRate')).toBe('—');
    expect(kpi(element, 'partnersActive')).toBe('3');
    expect(kpi(element, 'distributorMargin')).toBe('USD 51,660.65');
    expect(element.shadowRoot.querySelector('.kpi[data-key="distributorMargin"]').textContent).toContain('Your margin');
    // Every KPI of the table is shown, with its definition next to it.
    for (const k of KPI_DEFINITIONS) {
      const box = element.shadowRoot.querySelector(`.kpi[data-key="${k.key}"]`);
      expect(box.querySelector('.definition').textContent).toBe(k.definition);
    }
    expect(kpi(element, 'dealsSubmitted')).toBe('0'); // the demo has no registrations yet
    expect(element.shadowRoot.querySelector('.period').textContent).toContain('in USD');
    expect(element.shadowRoot.querySelectorAll('tr.month-row')).toHaveLength(13);
    const resellers = [...element.shadowRoot.querySelectorAll('tr.reseller-row')].map((r) => r.textContent);
    expect(resellers).toHaveLength(3);
    expect(resellers[1]).toContain('Fjord IT Partners AB');
    expect(resellers[1]).toContain('USD 32,263.91');
    expect(element.shadowRoot.querySelector('.distributors-table')).toBeNull();
    await expect(element).toBeAccessible();
  });

  it('opens a reseller’s scorecard with its tier and the distance to the next', async () => {
    installChart();
    const element = await mount(USER_DISTRIBUTOR, DASHBOARD_DISTRIBUTOR);
    getPartnerScorecard.mockResolvedValue(SCORECARD_DISTRIBUTOR);
    const link = [...element.shadowRoot.querySelectorAll('.scorecard-link')].find((b) => b.dataset.id === 'r-nordic');
    link.click();
    await settle();
    expect(getPartnerScorecard).toHaveBeenLastCalledWith({ months: 12, currencyCode: 'USD', partnerId: 'r-nordic' });
    const card = element.shadowRoot.querySelector('.scorecard');
    expect(card.querySelector('h2').textContent).toBe('Scorecard: Fjord IT Partners AB');
    const tier = card.querySelector('tr.tier-row').textContent;
    expect(tier).toContain('Gold');
    expect(tier).toContain('Platinum');
    expect(tier).toContain('USD 32,355.22');
    expect(card.querySelector('.kpi[data-key="wonValue"] .value').textContent).toBe('USD 32,263.91');
    await expect(element).toBeAccessible();
    card.querySelector('.close-scorecard').click();
    await settle();
    expect(element.shadowRoot.querySelector('.scorecard')).toBeNull();
  });

  it('loads Chart.js from the static resource and plots the server’s figures', async () => {
    const charts = installChart();
    const element = await mount(USER_DISTRIBUTOR, DASHBOARD_DISTRIBUTOR);
    expect(loadScript).toHaveBeenCalledWith(expect.anything(), expect.stringContaining('chartjs'));
    expect(charts).toHaveLength(2);
    const [bookings, partners] = charts;
    expect(bookings.config.data.labels).toEqual(DASHBOARD_DISTRIBUTOR.bookingsByMonth.map((m) => m.month));
    const jan = DASHBOARD_DISTRIBUTOR.bookingsByMonth.findIndex((m) => m.month === '2026-01');
    expect(bookings.config.data.datasets[1].data[jan]).toBe(Number(DASHBOARD_DISTRIBUTOR.bookingsByMonth[jan].resellerBookings));
    expect(bookings.config.data.datasets[1].data[jan]).toBeGreaterThan(0);
    expect(partners.config.data.labels).toEqual(DASHBOARD_DISTRIBUTOR.resellers.map((r) => r.partnerName));
    // Each chart sits in its own container, labelled for screen readers.
    const canvas = element.shadowRoot.querySelector('.bookings-chart canvas');
    expect(canvas.getAttribute('role')).toBe('img');
    expect(bookings.canvas).toBe(canvas);
  });

  it('reloads for another period and redraws the charts', async () => {
    const charts = installChart();
    const element = await mount(USER_DISTRIBUTOR, DASHBOARD_DISTRIBUTOR);
    getChannelDashboard.mockResolvedValue(DASHBOARD_DISTRIBUTOR_6);
    const months = element.shadowRoot.querySelector('select.months');
    expect(months.value).toBe('12');
    months.value = '6';
    months.dispatchEvent(new CustomEvent('change'));
    await settle();
    expect(getChannelDashboard).toHaveBeenLastCalledWith({ months: 6, currencyCode: 'USD' });
    expect(element.shadowRoot.querySelectorAll('tr.month-row')).toHaveLength(7);
    expect(charts).toHaveLength(4);
    expect(charts[0].destroy).toHaveBeenCalled();
  });

  it('asks for another currency', async () => {
    installChart();
    const element = await mount(USER_VENDOR, DASHBOARD_VENDOR);
    const currency = element.shadowRoot.querySelector('select.currency');
    expect([...currency.options].map((o) => o.value)).toEqual(['EUR', 'SEK', 'USD']);
    expect(currency.value).toBe('USD');
    currency.value = 'EUR';
    currency.dispatchEvent(new CustomEvent('change'));
    await settle();
    expect(getChannelDashboard).toHaveBeenLastCalledWith({ months: 12, currencyCode: 'EUR' });
  });

  it('gives the vendor the distributors too', async () => {
    installChart();
    const element = await mount(USER_VENDOR, DASHBOARD_VENDOR);
    expect(element.shadowRoot.querySelectorAll('tr.distributor-row')).toHaveLength(DASHBOARD_VENDOR.distributors.length);
    expect(element.shadowRoot.querySelector('.kpi[data-key="distributorMargin"]').textContent).toContain('Distributor margin');
    await expect(element).toBeAccessible();
  });

  it('keeps the tables when Chart.js cannot load', async () => {
    loadScript.mockRejectedValueOnce(new Error('blocked'));
    const element = await mount(USER_DISTRIBUTOR, DASHBOARD_DISTRIBUTOR);
    expect(element.shadowRoot.querySelector('.chart-error').textContent).toContain('tables show the same figures');
    expect(element.shadowRoot.querySelectorAll('tr.month-row')).toHaveLength(13);
  });

  it('asks for a period by dates', async () => {
    installChart();
    const element = await mount(USER_VENDOR, DASHBOARD_VENDOR);
    const months = element.shadowRoot.querySelector('select.months');
    months.value = 'custom';
    months.dispatchEvent(new CustomEvent('change'));
    await settle();
    expect(getChannelDashboard).toHaveBeenCalledTimes(1);
    const from = element.shadowRoot.querySelector('input.from');
    from.value = '2026-01-01';
    from.dispatchEvent(new CustomEvent('change'));
    const to = element.shadowRoot.querySelector('input.to');
    to.value = '2026-03-31';
    to.dispatchEvent(new CustomEvent('change'));
    element.shadowRoot.querySelector('.apply-dates').click();
    await settle();
    expect(getChannelDashboard).toHaveBeenLastCalledWith({ fromDate: '2026-01-01', toDate: '2026-03-31', currencyCode: 'USD' });
  });

  it('gives a reseller only its own scorecard, without the channel dashboard', async () => {
    getPartnerScorecard.mockResolvedValue(SCORECARD_RESELLER);
    const element = await mount({ ...USER_DISTRIBUTOR, role: 'resellerUser' }, DASHBOARD_DISTRIBUTOR);
    expect(getChannelDashboard).not.toHaveBeenCalled();
    expect(getPartnerScorecard).toHaveBeenCalledWith({ months: 12 });
    expect(element.shadowRoot.querySelector('.reseller-note')).not.toBeNull();
    expect(element.shadowRoot.querySelector('.scorecard h2').textContent).toBe('Scorecard: Fjord IT Partners AB');
    expect(element.shadowRoot.querySelector('.kpi[data-key="distributorMargin"]')).toBeNull();
    expect(element.shadowRoot.querySelector('.close-scorecard')).toBeNull();
    await expect(element).toBeAccessible();
  });
});
