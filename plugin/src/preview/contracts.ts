import { z } from 'zod';
import { quoteStatusSchema, type InventoryRecord } from '../core/records.js';
import {
  acceptConfirmationSchema,
  APPROVAL_COMMENT_REQUIRED,
  createQuoteInputSchema,
  saveQuoteInputSchema,
  type QuoteDetail,
  type SaveQuoteAnswer,
  type QuoteSummary,
} from '../services/quotes.js';
import {
  orderTermsInputSchema,
  replenishInputSchema,
  type OrderDetail,
  type OrderView,
  type ReplenishmentPreview,
  type ResellerOrderTerms,
  type SubmitOrderResult,
} from '../services/orders.js';
import type {
  AgreementView,
  CatalogResult,
  ContractView,
  CurrentUser,
  PendingApproval,
  PricingContext,
} from '../services/visibleReads.js';
import type { AgreementStanding } from '../services/agreementStanding.js';
import type { ChannelDashboard, PartnerScorecard } from '../services/dashboard.js';
import type { QuoteDocumentFile } from '../services/quoteDocument.js';
import { endCustomerInputSchema, type EndCustomerOption, type EndCustomerResult } from '../services/endCustomers.js';
import { dealStatusSchema } from '../core/deals.js';
import { channelModeSchema } from '../core/scenario.js';
import { registerDealInputSchema, type DealView } from '../services/deals.js';
import { markReadInputSchema, type NotificationList, type OutboxEmail } from '../services/notifications.js';

/**
 * The controller contracts: one entry per `Class.method` the Lightning components import as
 * `@salesforce/apex/Class.method`. The Apex controllers in force-app and the preview server's controllers
 * (controllers.ts) implement the same class, method, parameter and result names; docs/CONTROLLERS.md
 * describes them. A method takes one JSON object of named parameters, checked here with strict schemas
 * (an unknown parameter is refused), and answers JSON.
 *
 * Quote lines are the one exception to strictness: the editor sends back the lines it was given, prices
 * included, so unknown keys of a line are dropped (services/quotes.ts, lineInputSchema). Prices from the
 * client are never read: the server prices every save.
 */

const recordId = (what: string): z.ZodString =>
  z
    .string({ error: `must be the id of ${what}` })
    .min(1, { error: `must be the id of ${what}` })
    .max(200, { error: 'is too long' });

const version = z
  .int({ error: 'must be the version of the record you read (a whole number)' })
  .min(1, { error: 'must be at least 1' });
const currencyCode = z
  .string({ error: 'must be an ISO 4217 currency code like "USD"' })
  .regex(/^[A-Z]{3}$/, { error: 'must be an ISO 4217 currency code like "USD"' });
const noParams = z.strictObject({});
/** A dashboard period's day (DashboardController). */
const periodDate = z.iso.date({ error: 'must be a date written YYYY-MM-DD, like "2026-07-01"' });

const quoteId = recordId('a quote');
const orderId = recordId('an order');

export const controllerContracts = {
  QuoteController: {
    listQuotes: { params: z.strictObject({ status: quoteStatusSchema.optional(), search: z.string().max(200).optional() }) },
    getQuote: { params: z.strictObject({ quoteId }) },
    createQuote: { params: z.strictObject({ quote: createQuoteInputSchema }) },
    saveQuote: { params: saveQuoteInputSchema },
    cloneQuote: { params: z.strictObject({ quoteId }) },
    deleteQuote: { params: z.strictObject({ quoteId, version }) },
    withdrawApproval: {
      params: z.strictObject({ quoteId, version, comment: z.string().max(2000).optional() }),
    },
    submitForApproval: {
      params: z.strictObject({
        quoteId,
        version,
        comment: z.string({ error: 'tell your distributor why the discount is needed' }).max(2000),
      }),
    },
    acceptQuote: {
      // The confirmation (docs/DOCUMENT.md): the customer's purchase order number and the document version it accepted.
      params: z.strictObject({
        quoteId,
        version,
        purchaseOrderNumber: acceptConfirmationSchema.shape.purchaseOrderNumber,
        documentVersion: acceptConfirmationSchema.shape.documentVersion,
      }),
    },
    setChannelMode: {
      // The vendor admin's override of one quote's channel mode (PRICING.md); null: back to the agreement's.
      params: z.strictObject({ quoteId, version, channelMode: channelModeSchema.nullable() }),
    },
    getCatalog: {
      // With quoteId: the quote's currency (the editor asks before it has the quote, in parallel with getQuote).
      params: z
        .strictObject({ currencyCode: currencyCode.optional(), quoteId: quoteId.optional() })
        .refine((p) => p.currencyCode === undefined || p.quoteId === undefined, {
          path: ['currencyCode'],
          message: 'give a currency or a quote, not both: a quote’s catalog is in the quote’s currency',
        }),
    },
    getPricingContext: { params: z.strictObject({ quoteId }) },
    listEndCustomers: { params: noParams },
    createEndCustomer: { params: z.strictObject({ endCustomer: endCustomerInputSchema }) },
  },
  ApprovalController: {
    listPendingApprovals: { params: noParams },
    decide: {
      params: z.strictObject({
        quoteId,
        version,
        decision: z.enum(['approve', 'reject'], { error: 'must be "approve" or "reject"' }),
        // Each decision carries a comment (CHANNEL.md): an approval too, and never a blank one.
        // A missing one is parsed as '' (prefault), so that it, too, is told why rather than "is required".
        comment: z.string().trim().min(1, { error: APPROVAL_COMMENT_REQUIRED }).max(2000).prefault(''),
      }),
    },
  },
  OrderController: {
    listOrders: { params: noParams },
    getOrder: { params: z.strictObject({ orderId }) },
    placeOrder: { params: z.strictObject({ quoteId }) },
    requestOrder: { params: z.strictObject({ quoteId, version, comment: z.string().max(2000).optional() }) },
    activateOrder: { params: z.strictObject({ orderId }) },
    listInventory: { params: noParams },
    replenish: { params: z.strictObject({ currencyCode, lines: replenishInputSchema.shape.lines }) },
    // A reseller orders its accepted quote: placed at once under auto-fulfil, else an order request (docs/ORDERS.md).
    submitOrder: { params: z.strictObject({ quoteId, version, comment: z.string().max(2000).optional() }) },
    previewReplenishment: { params: z.strictObject({ currencyCode, lines: replenishInputSchema.shape.lines }) },
  },
  RenewalController: {
    listContracts: { params: noParams },
    listRenewalQuotes: { params: noParams },
    getContract: { params: z.strictObject({ contractId: recordId('a contract') }) },
  },
  AgreementController: {
    listMyAgreements: { params: noParams },
    getAgreementStanding: { params: noParams },
    // A reseller's order terms with a distributor (docs/ORDERS.md): the distributor sets them, the reseller reads its own.
    listOrderTerms: { params: noParams },
    setOrderTerms: { params: orderTermsInputSchema },
  },
  DashboardController: {
    getChannelDashboard: {
      params: z.strictObject({
        months: z
          .int({ error: 'must be a whole number of months' })
          .min(1, { error: 'must be at least 1 month' })
          .max(36, { error: 'must be at most 36 months' })
          .optional(),
        fromDate: periodDate.optional(),
        toDate: periodDate.optional(),
        currencyCode: currencyCode.optional(),
      }),
    },
    getPartnerScorecard: {
      params: z.strictObject({
        partnerId: recordId('a reseller').optional(),
        months: z
          .int({ error: 'must be a whole number of months' })
          .min(1, { error: 'must be at least 1 month' })
          .max(36, { error: 'must be at most 36 months' })
          .optional(),
        fromDate: periodDate.optional(),
        toDate: periodDate.optional(),
        currencyCode: currencyCode.optional(),
      }),
    },
  },
  SessionController: {
    getCurrentUser: { params: noParams },
  },
  DealRegistrationController: {
    registerDeal: { params: z.strictObject({ registration: registerDealInputSchema }) },
    listDeals: { params: z.strictObject({ status: dealStatusSchema.optional() }) },
    getDeal: { params: z.strictObject({ dealId: recordId('a deal registration') }) },
    decideDeal: {
      params: z.strictObject({
        dealId: recordId('a deal registration'),
        version,
        decision: z.enum(['Approved', 'Rejected'], { error: 'must be "Approved" or "Rejected"' }),
        comment: z.string().max(2000).optional(),
      }),
    },
    extendDeal: {
      params: z.strictObject({ dealId: recordId('a deal registration'), version, comment: z.string().max(2000).optional() }),
    },
    withdrawDeal: {
      params: z.strictObject({ dealId: recordId('a deal registration'), version, comment: z.string().max(2000).optional() }),
    },
    convertToQuote: { params: z.strictObject({ dealId: recordId('a deal registration'), version }) },
  },
  QuoteDocumentController: {
    saveDocument: { params: z.strictObject({ quoteId }) },
  },
  NotificationController: {
    listNotifications: { params: z.strictObject({ unreadOnly: z.boolean({ error: 'must be true or false' }).optional() }) },
    markRead: { params: markReadInputSchema },
    listOutbox: { params: noParams },
  },
} as const satisfies Record<string, Record<string, { params: z.ZodType<Record<string, unknown>> }>>;

/** What each method answers (the Apex method's return type, as JSON). */
export type ControllerResults = {
  QuoteController: {
    listQuotes: QuoteSummary[];
    getQuote: QuoteDetail;
    createQuote: QuoteDetail;
    saveQuote: SaveQuoteAnswer;
    cloneQuote: QuoteDetail;
    deleteQuote: { quoteId: string; deleted: true };
    submitForApproval: QuoteDetail;
    withdrawApproval: QuoteDetail;
    acceptQuote: QuoteDetail;
    setChannelMode: QuoteDetail;
    getCatalog: CatalogResult;
    getPricingContext: PricingContext;
    listEndCustomers: EndCustomerOption[];
    createEndCustomer: EndCustomerResult;
  };
  ApprovalController: {
    listPendingApprovals: PendingApproval[];
    decide: QuoteDetail;
  };
  OrderController: {
    listOrders: OrderView[];
    getOrder: OrderDetail;
    placeOrder: OrderView;
    requestOrder: QuoteDetail;
    activateOrder: OrderView;
    listInventory: InventoryRecord[];
    replenish: OrderView;
    submitOrder: SubmitOrderResult;
    previewReplenishment: ReplenishmentPreview;
  };
  RenewalController: {
    listContracts: ContractView[];
    listRenewalQuotes: QuoteSummary[];
    getContract: ContractView;
  };
  AgreementController: {
    listMyAgreements: AgreementView[];
    getAgreementStanding: AgreementStanding[];
    listOrderTerms: ResellerOrderTerms[];
    setOrderTerms: ResellerOrderTerms;
  };
  DashboardController: {
    getChannelDashboard: ChannelDashboard;
    getPartnerScorecard: PartnerScorecard;
  };
  SessionController: {
    getCurrentUser: CurrentUser;
  };
  DealRegistrationController: {
    registerDeal: DealView;
    listDeals: DealView[];
    getDeal: DealView;
    decideDeal: DealView;
    extendDeal: DealView;
    withdrawDeal: DealView;
    convertToQuote: { deal: DealView; quoteId: string };
  };
  QuoteDocumentController: {
    saveDocument: QuoteDocumentFile;
  };
  NotificationController: {
    listNotifications: NotificationList;
    markRead: { marked: number; unread: number };
    listOutbox: OutboxEmail[];
  };
};

export type ControllerContracts = typeof controllerContracts;
export type ControllerClass = keyof ControllerContracts;
export type ControllerMethod<C extends ControllerClass> = keyof ControllerContracts[C] & string;

type ContractOf<C extends ControllerClass, M extends ControllerMethod<C>> = ControllerContracts[C][M] extends {
  params: infer S extends z.ZodType;
}
  ? S
  : never;

/** The parameters a method receives once parsed (defaults applied). */
export type ParamsOf<C extends ControllerClass, M extends ControllerMethod<C>> = z.output<ContractOf<C, M>>;
/** The parameters a client sends. */
export type ParamsInput<C extends ControllerClass, M extends ControllerMethod<C>> = z.input<ContractOf<C, M>>;
/** A method without a declared result type is a compile error where it is implemented. */
export type ResultOf<C extends ControllerClass, M extends ControllerMethod<C>> = M extends keyof ControllerResults[C]
  ? ControllerResults[C][M]
  : never;

/** Every `Class.method` name, for documentation checks and error messages. */
export function controllerMethodNames(): string[] {
  return Object.entries(controllerContracts).flatMap(([cls, methods]) => Object.keys(methods).map((m) => `${cls}.${m}`));
}
