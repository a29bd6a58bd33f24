import { LightningElement } from 'lwc';
import { loadScript } from 'lightning/platformResourceLoader';
import chartjs from '@salesforce/resourceUrl/chartjs';
import getChannelDashboard from '@salesforce/apex/DashboardController.getChannelDashboard';
import getCurrentUser from '@salesforce/apex/SessionController.getCurrentUser';
import { errorMessages, formatDate, formatMoney } from 'c/cpqUtils';

const MONTH_OPTIONS = [3, 6, 12, 24, 36].map((m) => ({ label: `Last ${m} months`, value: String(m) }));

// SLDS palette tokens (brand, success, warning) as Chart.js needs literal colours on a canvas.
const COLORS = ['#0176d3', '#2e844a', '#dd7a01'];

/**
 * The channel dashboard (DashboardController.getChannelDashboard): partners, quotes and orders by partner,
 * average deal value, approval acceptance rate, margins and bookings by month, for the vendor (everyone)
 * or a distributor (its resellers and its own margins). Charts are drawn with Chart.js (static resource
 * chartjs); every chart has the same figures in a table under it, for screen readers and when the script
 * cannot load. The server computes every figure in exact decimals; the charts only plot them.
 */
export default class ChannelDashboard extends LightningElement {
  user;
  dashboard;
  months = '12';
  currency;
  loading = true;
  errors = [];
  chartError;
  charts = [];
  chartsDrawn = false;
  chartLibrary;

  async connectedCallback() {
    try {
      this.user = await getCurrentUser();
      if (this.isReseller) return;
      const [, library] = await Promise.all([this.load(), this.loadChartLibrary()]);
      this.chartLibrary = library;
    } catch (error) {
      this.errors = errorMessages(error);
    } finally {
      this.loading = false;
    }
  }

  disconnectedCallback() {
    this.destroyCharts();
  }

  async loadChartLibrary() {
    try {
      await loadScript(this, chartjs);
      return window.Chart;
    } catch {
      this.chartError = 'The charts could not be loaded; the tables show the same figures.';
      return undefined;
    }
  }

  async load() {
    const params = { months: Number(this.months) };
    if (this.currency) params.currencyCode = this.currency;
    try {
      this.dashboard = await getChannelDashboard(params);
      this.currency = this.dashboard.currency;
      this.errors = [];
      this.chartsDrawn = false;
    } catch (error) {
      this.errors = errorMessages(error);
    }
  }

  renderedCallback() {
    if (this.chartsDrawn || !this.chartLibrary || !this.dashboard) return;
    this.chartsDrawn = true;
    this.drawCharts();
  }

  destroyCharts() {
    for (const chart of this.charts) chart.destroy();
    this.charts = [];
  }

  /** One canvas per chart, created by hand inside an lwc:dom="manual" container (Chart.js owns it). */
  canvasIn(selector, label) {
    const container = this.template.querySelector(selector);
    if (!container) return undefined;
    container.replaceChildren();
    const canvas = document.createElement('canvas');
    canvas.setAttribute('role', 'img');
    canvas.setAttribute('aria-label', label);
    container.appendChild(canvas);
    return canvas;
  }

  drawCharts() {
    this.destroyCharts();
    const Chart = this.chartLibrary;
    const d = this.dashboard;
    const amount = (text) => Number(text); // plotting only: the figures shown as text stay exact
    const bookings = this.canvasIn('.bookings-chart', `Bookings by month in ${d.currency}; the table below has the figures`);
    if (bookings) {
      this.charts.push(
        new Chart(bookings, {
          type: 'bar',
          data: {
            labels: d.bookingsByMonth.map((m) => m.month),
            datasets: [
              {
                label: 'Customer total',
                data: d.bookingsByMonth.map((m) => amount(m.customerTotal)),
                backgroundColor: COLORS[0],
              },
              {
                label: 'Reseller bookings',
                data: d.bookingsByMonth.map((m) => amount(m.resellerBookings)),
                backgroundColor: COLORS[1],
              },
              {
                label: 'Distributor bookings',
                data: d.bookingsByMonth.map((m) => amount(m.distributorBookings)),
                backgroundColor: COLORS[2],
              },
            ],
          },
          options: { responsive: true, maintainAspectRatio: false, animation: false },
        }),
      );
    }
    const partners = this.canvasIn(
      '.partners-chart',
      `Order value by reseller in ${d.currency}; the table below has the figures`,
    );
    if (partners) {
      this.charts.push(
        new Chart(partners, {
          type: 'bar',
          data: {
            labels: d.resellers.map((r) => r.partnerName),
            datasets: [
              { label: 'Order value', data: d.resellers.map((r) => amount(r.orderValue)), backgroundColor: COLORS[0] },
              { label: 'Reseller margin', data: d.resellers.map((r) => amount(r.resellerMargin)), backgroundColor: COLORS[1] },
              {
                label: 'Distributor margin',
                data: d.resellers.map((r) => amount(r.distributorMargin)),
                backgroundColor: COLORS[2],
              },
            ],
          },
          options: { indexAxis: 'y', responsive: true, maintainAspectRatio: false, animation: false },
        }),
      );
    }
  }

  get isReseller() {
    return this.user?.role === 'resellerUser';
  }

  get isVendor() {
    return this.dashboard?.scope === 'vendor';
  }

  get hasErrors() {
    return this.errors.length > 0;
  }

  get monthOptions() {
    return MONTH_OPTIONS.map((o) => ({ ...o, selected: o.value === this.months }));
  }

  get currencyOptions() {
    const codes = new Set(this.dashboard?.currencies ?? []);
    if (this.currency) codes.add(this.currency);
    return [...codes].sort().map((c) => ({ label: c, value: c, selected: c === this.currency }));
  }

  get period() {
    return this.dashboard ? `${formatDate(this.dashboard.from)} to ${formatDate(this.dashboard.asOf)}` : '';
  }

  money(value) {
    return value === null || value === undefined ? '—' : formatMoney(value, this.dashboard.currency);
  }

  get kpis() {
    const t = this.dashboard?.totals;
    if (!t) return [];
    const rate = t.approvalAcceptanceRate === null ? '—' : `${t.approvalAcceptanceRate} %`;
    return [
      { key: 'partners', label: 'Partners', value: String(t.partners) },
      { key: 'quotes', label: 'Quotes (won)', value: `${t.quotes} (${t.quotesWon})` },
      { key: 'orders', label: 'Orders', value: String(t.orders) },
      { key: 'orderValue', label: 'Order value', value: this.money(t.orderValue) },
      { key: 'average', label: 'Average deal', value: this.money(t.averageDealValue) },
      { key: 'acceptance', label: 'Approvals accepted', value: `${rate} of ${t.approvalsDecided}` },
      { key: 'resellerMargin', label: 'Reseller margin', value: this.money(t.resellerMargin) },
      {
        key: 'distributorMargin',
        label: this.isVendor ? 'Distributor margin' : 'Your margin',
        value: this.money(t.distributorMargin),
      },
    ];
  }

  row(r) {
    return {
      key: r.partnerId,
      name: r.partnerName,
      quotes: `${r.quotes} (${r.quotesWon})`,
      orders: r.orders,
      orderValue: this.money(r.orderValue),
      average: this.money(r.averageDealValue),
      acceptance: r.approvalAcceptanceRate === null ? '—' : `${r.approvalAcceptanceRate} % of ${r.approvalsDecided}`,
      resellerMargin: this.money(r.resellerMargin),
      distributorMargin: this.money(r.distributorMargin),
    };
  }

  get resellerRows() {
    return (this.dashboard?.resellers ?? []).map((r) => this.row(r));
  }

  get distributorRows() {
    return (this.dashboard?.distributors ?? []).map((r) => this.row(r));
  }

  get hasDistributors() {
    return this.distributorRows.length > 0;
  }

  get monthRows() {
    return (this.dashboard?.bookingsByMonth ?? []).map((m) => ({
      key: m.month,
      month: m.month,
      orders: m.orders,
      customerTotal: this.money(m.customerTotal),
      resellerBookings: this.money(m.resellerBookings),
      distributorBookings: this.money(m.distributorBookings),
    }));
  }

  async handleMonths(event) {
    this.months = event.target.value;
    await this.load();
  }

  async handleCurrency(event) {
    this.currency = event.target.value;
    await this.load();
  }
}
