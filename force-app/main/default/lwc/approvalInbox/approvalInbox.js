import { LightningElement } from 'lwc';
import { NavigationMixin } from 'lightning/navigation';
import { ShowToastEvent } from 'lightning/platformShowToastEvent';
import listPendingApprovals from '@salesforce/apex/ApprovalController.listPendingApprovals';
import decide from '@salesforce/apex/ApprovalController.decide';
import getQuote from '@salesforce/apex/QuoteController.getQuote';
import getCatalog from '@salesforce/apex/QuoteController.getCatalog';
import getCurrentUser from '@salesforce/apex/SessionController.getCurrentUser';
import { errorMessages, formatDate, formatMoney, isConflict, quotePage } from 'c/cpqUtils';

/** Why a decision cannot go without a comment (CHANNEL.md: each decision carries one), said at the comment field. */
function commentMissing(decision, level) {
  if (decision === 'reject') return 'Tell the reseller why you reject it (a comment is required).';
  if (level === 'Vendor') return 'Say why you approve this price (a comment is required).';
  return 'Write a comment for the reseller: every decision carries one.';
}

/**
 * The approval inbox: quotes whose additional discount is above the reseller's cap, waiting for the
 * distributor (ApprovalController.listPendingApprovals). A distributor approves or rejects each with a
 * comment (every decision carries one, CHANNEL.md); the vendor sees every distributor's inbox, a reseller what it
 * waits for, both read-only. A decision removes the quote at once and puts it back if the server refuses.
 */
export default class ApprovalInbox extends NavigationMixin(LightningElement) {
  user;
  items = [];
  loading = true;
  errors = [];

  async connectedCallback() {
    await this.load();
  }

  async load() {
    this.loading = true;
    try {
      const [user, pending, catalog] = await Promise.all([getCurrentUser(), listPendingApprovals({}), getCatalog({})]);
      this.user = user;
      const names = new Map(catalog.products.map((p) => [p.id, p.name ?? p.id]));
      this.items = await Promise.all(pending.map((p) => this.item(p, names)));
      this.errors = [];
    } catch (error) {
      this.errors = errorMessages(error);
    } finally {
      this.loading = false;
    }
  }

  /** One inbox entry, with the lines above the cap read from the server's pricing of the quote. */
  async item({ quote, approval, channelConflicts }, names) {
    const [url, lines] = await Promise.all([
      this[NavigationMixin.GenerateUrl](quotePage(quote.id)),
      getQuote({ quoteId: quote.id }).then(
        (detail) => detail.pricing.lines.filter((l) => l.approvalRequired || l.vendorApprovalRequired),
        () => null,
      ),
    ]);
    // The approval chain (CHANNEL.md): the distributor decides its level, then the vendor admin the vendor's.
    const level = approval?.level ?? 'Distributor';
    const role = this.user?.role;
    const canDecide = (role === 'distributorUser' && level === 'Distributor') || (role === 'vendorAdmin' && level === 'Vendor');
    const money = (value) => formatMoney(value, quote.currency);
    return {
      key: quote.id,
      quote,
      url,
      linkTitle: `Open quote ${quote.number}`,
      linesLabel: `Lines of ${quote.number} that need approval`,
      requestComment: approval?.comment ?? '',
      requestedAt: formatDate(approval?.requestedAt),
      customerTotal: money(quote.customerTotal),
      partnerTotal: money(quote.partnerTotal),
      netTotal: quote.netTotal === undefined ? null : money(quote.netTotal),
      linesUnknown: lines === null,
      lines: (lines ?? []).map((l) => ({
        key: l.lineId,
        product: names.get(l.productId) ?? l.productId,
        quantity: l.quantity,
        discount:
          l.additionalDiscount.percent !== null ? `${l.additionalDiscount.percent} %` : money(l.additionalDiscount.amount),
        cap: l.additionalDiscount.capPercent === null ? '—' : `${l.additionalDiscount.capPercent} %`,
        customerTotal: money(l.customer.total),
        // Distributors and the vendor only (showNet): the Net total and the vendor's floor it is held against.
        netTotal: l.net ? money(l.net.total) : '—',
        floor: l.priceFloor ? `${l.priceFloor.percent} % of list (${l.priceFloor.source})` : '—',
      })),
      hasLines: (lines ?? []).length > 0,
      // CHANNEL.md, channel conflict: the vendor admin's inbox alone is told which registration protects the customer.
      conflicts: (channelConflicts ?? []).map((c) => ({
        key: c.registrationNumber,
        text: `Channel conflict: ${c.resellerName} registered this customer for ${c.families.join(', ')} (${c.registrationNumber}, protected until ${formatDate(c.protectedUntil)})`,
      })),
      hasConflicts: (channelConflicts ?? []).length > 0,
      level,
      levelText:
        level === 'Vendor'
          ? inConflict(lines, channelConflicts)
            ? 'Waiting for the vendor’s approval: channel conflict (another partner registered this customer)'
            : 'Waiting for the vendor’s approval (price floor or vendor discount limit); the distributor approved'
          : 'Waiting for the distributor’s approval',
      canDecide,
      // Each decision carries a comment (CHANNEL.md): the vendor says why it approves a price below its floor,
      // the distributor writes a word for the reseller, anybody says why it rejects.
      commentPlaceholder:
        level === 'Vendor'
          ? 'Required: why you approve or reject this price'
          : 'Required: your word to the reseller on this decision',
      comment: '',
      commentError: null,
      commentLabel: `Your comment on ${quote.number}`,
      approveTitle: `Approve ${quote.number} for ${quote.resellerName}`,
      rejectTitle: `Reject ${quote.number}: tell ${quote.resellerName} why`,
      errors: [],
      hasErrors: false,
    };
  }

  /** Whether any entry is the viewer's to decide (else the page is read-only). */
  get canDecide() {
    return this.items.some((i) => i.canDecide);
  }

  get showNet() {
    return Boolean(this.user) && this.user.role !== 'resellerUser';
  }

  get heading() {
    return this.user?.role === 'resellerUser' ? 'Waiting for approval' : 'Approvals';
  }

  get hasItems() {
    return this.items.length > 0;
  }

  get isEmpty() {
    return !this.loading && this.errors.length === 0 && this.items.length === 0;
  }

  get hasErrors() {
    return this.errors.length > 0;
  }

  update(quoteId, change) {
    this.items = this.items.map((i) => (i.key === quoteId ? { ...i, ...change } : i));
  }

  handleComment(event) {
    const comment = event.target.value ?? '';
    const item = this.items.find((i) => i.key === event.target.dataset.id);
    // A comment written clears the field's message; clearing the field again does not bring it back.
    this.update(event.target.dataset.id, { comment, commentError: comment.trim() ? null : (item?.commentError ?? null) });
  }

  async handleDecision(event) {
    const { id: quoteId, decision } = event.target.dataset;
    const index = this.items.findIndex((i) => i.key === quoteId);
    if (index < 0) return;
    const item = this.items[index];
    const comment = item.comment.trim();
    if (!comment) {
      this.update(quoteId, { commentError: commentMissing(decision, item.level), errors: [], hasErrors: false });
      this.template.querySelector(`lightning-textarea.comment[data-id="${quoteId}"]`)?.focus?.();
      return;
    }
    // Optimistic: the quote leaves the inbox now, and comes back if the server refuses the decision.
    this.items = this.items.filter((i) => i.key !== quoteId);
    try {
      const detail = await decide({ quoteId, version: item.quote.version, decision, comment });
      // Approved at the distributor's level with a line the vendor must approve: still pending, at the vendor.
      const passedOn = decision === 'approve' && detail?.quote?.status === 'NeedsApproval';
      let message = `${item.quote.resellerName} can now ${decision === 'approve' ? 'have it accepted' : 'revise it'}.`;
      if (passedOn) message = 'It now waits for the vendor’s approval: a line’s price is below its floor or above its limit.';
      this.dispatchEvent(
        new ShowToastEvent({
          title: `${item.quote.number} ${decision === 'approve' ? 'approved' : 'rejected'}`,
          message,
          variant: 'success',
        }),
      );
    } catch (error) {
      const messages = isConflict(error)
        ? ['Somebody changed this quote in the meantime. Check it again before you decide.']
        : errorMessages(error);
      const restored = [...this.items];
      restored.splice(Math.min(index, restored.length), 0, { ...item, commentError: null, errors: messages, hasErrors: true });
      this.items = restored;
    }
  }
}

/** CHANNEL.md: a line in CHANNEL_CONFLICT (any reader), or the vendor's list of protecting registrations. */
function inConflict(lines, channelConflicts) {
  return (
    (channelConflicts ?? []).length > 0 ||
    (lines ?? []).some((l) => (l.warnings ?? []).some((w) => w.code === 'CHANNEL_CONFLICT'))
  );
}
