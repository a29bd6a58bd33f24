import { LightningElement } from 'lwc';
import { loadScript } from 'lightning/platformResourceLoader';
import chartjs from '@salesforce/resourceUrl/chartjs';
import getChannelDashboard from '@salesforce/apex/DashboardController.getChannelDashboard';
import getPartnerScorecard from '@salesforce/apex/DashboardController.getPartnerScorecard';
import getCurrentUser from '@salesforce/apex/SessionController.getCurrentUser';
import { errorMessages, formatDate, formatMoney } from 'c/cpqUtils';
import { KPI_DEFINITIONS, KPI_GROUPS } from 'c/cpqKpis';

const MONTH_OPTIONS = [
  ...[3, 6, 12, 24, 36].map((m) => ({ label: `Last ${m} months and this one`, value: String(m) })),
  { label: 'Dates below', value: 'custom' },
];
/** On a narrow screen a long partner name would push the bars away: the axis shows its start, the table all of it. */
function shortLabel(name, width) {
  const max = width && width < 600 ? 16 : 40;
  return name.length > max ? `${name.slice(0, max - 1)}…` : name;
}
const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

// SLDS palette tokens (brand, success, warning) as Chart.js needs literal colours on a canvas.
const COLORS = ['#0176d3', '#2e844a', '#dd7a01'];

/**
 * The channel dashboard (DashboardController.getChannelDashboard) and the per-partner scorecard
 * (getPartnerScorecard): the channel KPIs of CHANNEL.md over a period, each shown with its definition (the
 * one table c/cpqKpis, generated from plugin/src/core/kpis.ts), in the corporate currency or another (every
 * order converted at its order date's rate by the server). The vendor sees everyone, a distributor its
 * resellers and its own margins, a reseller only its own scorecard. Charts are drawn with Chart.js (static
 * resource chartjs); every chart has the same figures in a table next to it, for screen readers and when the
 * script cannot load. The server computes every figure in exact decimals; the charts only plot them.
 */
export default class ChannelDashboard extends LightningElement {
  user;
  dashboard;
  scorecard;
  months = '12';
  from = '';
  to = '';
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
      if (this.isReseller) {
        await this.loadScorecard(undefined);
        return;
      }
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

  /** The period and currency asked for: months, or the dates typed (both checked by the server too). */
  params() {
    const params = this.months === 'custom' ? {} : { months: Number(this.months) };
    if (this.months === 'custom') {
      if (ISO_DATE.test(this.from)) params.fromDate = this.from;
      if (ISO_DATE.test(this.to)) params.toDate = this.to;
    }
    if (this.currency) params.currencyCode = this.currency;
    return params;
  }

  async load() {
    try {
      this.dashboard = await getChannelDashboard(this.params());
      this.currency = this.dashboard.currency;
      this.from = this.dashboard.from;
      this.to = this.dashboard.to;
      this.errors = [];
      this.chartsDrawn = false;
      if (this.scorecard) await this.loadScorecard(this.scorecard.partnerId);
    } catch (error) {
      this.errors = errorMessages(error);
    }
  }

  /** One reseller's scorecard (a reseller: its own, partnerId undefined). */
  async loadScorecard(partnerId) {
    try {
      const params = this.params();
      if (partnerId) params.partnerId = partnerId;
      this.scorecard = await getPartnerScorecard(params);
      this.currency = this.scorecard.currency;
      this.from = this.scorecard.from;
      this.to = this.scorecard.to;
      this.errors = [];
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
            labels: d.resellers.map((r) => shortLabel(r.partnerName, partners.parentElement.clientWidth)),
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

  get title() {
    return this.isReseller ? 'Your scorecard' : 'Channel dashboard';
  }

  get isDistributor() {
    return this.dashboard?.scope === 'distributor';
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

  get isCustom() {
    return this.months === 'custom';
  }

  get shown() {
    return this.dashboard ?? this.scorecard;
  }

  get currencyOptions() {
    const codes = new Set(this.shown?.currencies ?? []);
    if (this.currency) codes.add(this.currency);
    return [...codes].sort().map((c) => ({ label: c, value: c, selected: c === this.currency }));
  }

  get period() {
    const d = this.shown;
    if (!d) return '';
    const corporate =
      d.currency === d.corporateCurrency
        ? ' (the corporate currency)'
        : `, converted from every currency at each order date's rate`;
    return `${formatDate(d.from)} to ${formatDate(d.to)}, in ${d.currency}${corporate}`;
  }

  money(value) {
    return value === null || value === undefined ? '—' : formatMoney(value, this.shown.currency);
  }

  /** A KPI value as people read it; null (nothing to compute it from) is a dash. */
  kpiValue(definition, value) {
    if (!definition.available) return 'Not available yet';
    if (value === null || value === undefined) return '—';
    if (definition.unit === 'money') return this.money(value);
    if (definition.unit === 'percent') return `${value} %`;
    if (definition.unit === 'days') return `${value} days`;
    return formatMoney(value);
  }

  groupsOf(values, extra) {
    return KPI_GROUPS.map((g) => ({
      key: g.key,
      headingId: `kpi-group-${g.key}`,
      label: g.label,
      items: [
        ...KPI_DEFINITIONS.filter((k) => k.group === g.key).map((k) => ({
          key: k.key,
          label: k.label,
          definition: k.definition,
          value: this.kpiValue(k, values?.[k.key]),
          className: `kpi${k.available ? '' : ' kpi_unavailable'}`,
        })),
        ...(extra[g.key] ?? []),
      ],
    }));
  }

  /** The channel's KPIs, grouped, each with its definition; margins join the pipeline. */
  get kpiGroups() {
    const d = this.dashboard;
    if (!d) return [];
    const t = d.totals;
    return this.groupsOf(d.kpis, {
      pipeline: [
        {
          key: 'resellerMargin',
          label: 'Reseller margin',
          definition: 'Customer total − Partner total of the orders won.',
          value: this.money(t.resellerMargin),
          className: 'kpi',
        },
        {
          key: 'distributorMargin',
          label: this.isVendor ? 'Distributor margin' : 'Your margin',
          definition: 'Partner total − Net total of the orders won.',
          value: this.money(t.distributorMargin),
          className: 'kpi',
        },
      ],
    });
  }

  get scorecardGroups() {
    const c = this.scorecard;
    if (!c) return [];
    return this.groupsOf(c.kpis, {
      pipeline: [
        {
          key: 'resellerMargin',
          label: 'Reseller margin',
          definition: 'Customer total − Partner total of the orders won.',
          value: this.money(c.resellerMargin),
          className: 'kpi',
        },
      ],
    }).filter((g) => g.key !== 'partners');
  }

  get scorecardTiers() {
    return (this.scorecard?.tiers ?? []).map((t) => ({
      key: t.agreementId,
      seller: t.sellerName,
      bookings: formatMoney(t.bookings12m, t.currency),
      tier: t.currentTier ? t.currentTier.name : 'No tier yet',
      next: t.nextTier ? t.nextTier.name : 'Top tier reached',
      toNext: t.toNextTier === null ? '—' : formatMoney(t.toNextTier, t.currency),
    }));
  }

  get scorecardMonths() {
    return (this.scorecard?.bookingsByMonth ?? []).map((m) => ({
      key: m.month,
      month: m.month,
      orders: m.orders,
      customerTotal: this.money(m.customerTotal),
      resellerBookings: this.money(m.resellerBookings),
    }));
  }

  get scorecardTitle() {
    return this.scorecard ? `Scorecard: ${this.scorecard.partnerName}` : '';
  }

  row(r) {
    return {
      key: r.partnerId,
      name: r.partnerName,
      scorecardLabel: `Scorecard of ${r.partnerName}`,
      winRate: r.kpis?.winRate === null || r.kpis?.winRate === undefined ? '—' : `${r.kpis.winRate} %`,
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

  async reload() {
    if (this.isReseller) await this.loadScorecard(undefined);
    else await this.load();
  }

  async handleMonths(event) {
    this.months = event.target.value;
    if (this.months !== 'custom') await this.reload();
  }

  handleFrom(event) {
    this.from = event.target.value;
  }

  handleTo(event) {
    this.to = event.target.value;
  }

  async handleApplyDates() {
    await this.reload();
  }

  async handleCurrency(event) {
    this.currency = event.target.value;
    await this.reload();
  }

  async handleScorecard(event) {
    await this.loadScorecard(event.currentTarget.dataset.id);
    const section = this.template.querySelector('.scorecard');
    if (section?.focus) section.focus();
  }

  handleCloseScorecard() {
    this.scorecard = undefined;
  }
}
