import { createElement } from 'lwc';
import ChannelDashboard from 'c/channelDashboard';
import { loadScript } from 'lightning/platformResourceLoader';
import getChannelDashboard from '@salesforce/apex/DashboardController.getChannelDashboard';
import getCurrentUser from '@salesforce/apex/SessionController.getCurrentUser';
import DASHBOARD_VENDOR from './data/dashboardVendor.json';
import DASHBOARD_DISTRIBUTOR from './data/dashboardDistributor.json';
import DASHBOARD_DISTRIBUTOR_6 from './data/dashboardDistributor6.json';
import USER_VENDOR from './data/userVendor.json';
import USER_DISTRIBUTOR from './data/userDistributor.json';

jest.mock('@salesforce/apex/DashboardController.getChannelDashboard', () => ({ default: jest.fn() }), { virtual: true });
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

  it('shows a distributor its figures, with a table under each chart', async () => {
    installChart();
    const element = await mount(USER_DISTRIBUTOR, DASHBOARD_DISTRIBUTOR);
    expect(getChannelDashboard).toHaveBeenCalledWith({ months: 12 });
    expect(kpi(element, 'orderValue')).toBe('USD 111,799.20');
    expect(kpi(element, 'average')).toBe('USD 37,266.40');
    expect(kpi(element, 'acceptance')).toBe('0.0 % of 1');
    expect(kpi(element, 'distributorMargin')).toBe('USD 22,728.20');
    expect(element.shadowRoot.querySelector('.kpi[data-key="distributorMargin"]').textContent).toContain('Your margin');
    expect(element.shadowRoot.querySelectorAll('tr.month-row')).toHaveLength(12);
    const resellers = [...element.shadowRoot.querySelectorAll('tr.reseller-row')].map((r) => r.textContent);
    expect(resellers).toHaveLength(3);
    expect(resellers[1]).toContain('Golden Gate Tech Solutions LLC');
    expect(resellers[1]).toContain('USD 111,799.20');
    expect(element.shadowRoot.querySelector('.distributors-table')).toBeNull();
    await expect(element).toBeAccessible();
  });

  it('loads Chart.js from the static resource and plots the server’s figures', async () => {
    const charts = installChart();
    const element = await mount(USER_DISTRIBUTOR, DASHBOARD_DISTRIBUTOR);
    expect(loadScript).toHaveBeenCalledWith(expect.anything(), expect.stringContaining('chartjs'));
    expect(charts).toHaveLength(2);
    const [bookings, partners] = charts;
    expect(bookings.config.data.labels).toEqual(DASHBOARD_DISTRIBUTOR.bookingsByMonth.map((m) => m.month));
    const feb = DASHBOARD_DISTRIBUTOR.bookingsByMonth.findIndex((m) => m.month === '2026-02');
    expect(bookings.config.data.datasets[1].data[feb]).toBe(55474.2);
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
    expect(element.shadowRoot.querySelectorAll('tr.month-row')).toHaveLength(6);
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
    expect(element.shadowRoot.querySelectorAll('tr.month-row')).toHaveLength(12);
  });

  it('does not ask the server for a reseller', async () => {
    const element = await mount({ ...USER_DISTRIBUTOR, role: 'resellerUser' }, DASHBOARD_DISTRIBUTOR);
    expect(getChannelDashboard).not.toHaveBeenCalled();
    expect(element.shadowRoot.querySelector('.reseller-note')).not.toBeNull();
  });
});
