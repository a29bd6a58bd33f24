import { InvalidInputError, NotFoundError, listIssues } from '../core/errors.js';
import type { User, Viewer } from '../core/records.js';
import { fromZodIssues } from '../core/validation.js';
import { OrderService } from '../services/orders.js';
import { QuoteService } from '../services/quotes.js';
import { fastSaveQuoteParams } from '../services/fastSaveInput.js';
import type { CpqStore } from '../store/port.js';
import { controllerContracts, type ControllerClass, type ControllerMethod, type ParamsOf, type ResultOf } from './contracts.js';
import {
  catalogFor,
  currentUser,
  getVisibleContract,
  listPendingApprovals,
  listVisibleAgreements,
  listVisibleContracts,
  pricingContextFor,
} from '../services/visibleReads.js';
import { agreementStandings } from '../services/agreementStanding.js';
import { channelDashboard, partnerScorecard } from '../services/dashboard.js';
import { createEndCustomer, listEndCustomers } from '../services/endCustomers.js';
import { DealService } from '../services/deals.js';
import { documentFile } from '../services/quoteDocument.js';
import { NotificationService } from '../services/notifications.js';

/**
 * The preview server's controllers: the same classes and methods as the Apex controllers, thin in the
 * same way (parse the parameters with the contract, call a service with the caller's Viewer, return its
 * result). Visibility, validation of the records and atomic writes are the services' and the store's.
 */

/** The caller, from the session: who the services filter and authorise by. */
export type CallContext = { user: User; viewer: Viewer };

export function viewerOf(user: User): Viewer {
  return { userId: user.id, role: user.role, accountId: user.accountId };
}

type Handler<C extends ControllerClass, M extends ControllerMethod<C>> = (
  ctx: CallContext,
  params: ParamsOf<C, M>,
) => Promise<ResultOf<C, M>>;

export type Controllers = { [C in ControllerClass]: { [M in ControllerMethod<C>]: Handler<C, M> } };

export function createControllers(
  store: CpqStore,
  today: () => string,
  /** The quote service (a pricing worker keeps a handle on it: controllerWorker.ts). */
  quotes: QuoteService = new QuoteService(store, today),
): Controllers {
  const orders = new OrderService(store, today);
  const deals = new DealService(store, quotes, today);
  const notifications = new NotificationService(store);
  return {
    QuoteController: {
      listQuotes: ({ viewer }, p) => quotes.listQuotes(viewer, { statuses: p.status ? [p.status] : undefined, search: p.search }),
      getQuote: ({ viewer }, p) => quotes.getQuote(viewer, p.quoteId),
      createQuote: ({ viewer }, p) => underParam('quote', quotes.createParsedQuote(viewer, p.quote)),
      saveQuote: ({ viewer }, p) => quotes.saveParsedQuote(viewer, p, 'slim'),
      cloneQuote: ({ viewer }, p) => quotes.cloneQuote(viewer, p.quoteId),
      deleteQuote: async ({ viewer }, p) => {
        await quotes.deleteQuote(viewer, p.quoteId, p.version);
        return { quoteId: p.quoteId, deleted: true };
      },
      withdrawApproval: ({ viewer }, p) => quotes.withdrawApproval(viewer, p.quoteId, p.version, p.comment),
      submitForApproval: ({ viewer }, p) => quotes.submitForApproval(viewer, p.quoteId, p.version, p.comment),
      acceptQuote: ({ viewer }, p) =>
        quotes.acceptQuote(viewer, p.quoteId, p.version, {
          purchaseOrderNumber: p.purchaseOrderNumber,
          documentVersion: p.documentVersion,
        }),
      setChannelMode: ({ viewer }, p) => quotes.setChannelMode(viewer, p.quoteId, p.version, p.channelMode),
      getCatalog: async ({ viewer }, p) =>
        catalogFor(store, p.quoteId === undefined ? p.currencyCode : (await quotes.load(viewer, p.quoteId)).currency),
      getPricingContext: ({ viewer }, p) => pricingContextFor(store, quotes, viewer, p.quoteId),
      listEndCustomers: ({ viewer }) => listEndCustomers(store, viewer),
      createEndCustomer: ({ viewer }, p) => underParam('endCustomer', createEndCustomer(store, viewer, p.endCustomer)),
    },
    ApprovalController: {
      listPendingApprovals: ({ viewer }) => listPendingApprovals(store, quotes, viewer),
      decide: ({ viewer }, p) => quotes.decideApproval(viewer, p.quoteId, p.version, p.decision, p.comment),
    },
    OrderController: {
      listOrders: ({ viewer }) => orders.listOrders(viewer),
      getOrder: ({ viewer }, p) => orders.getOrder(viewer, p.orderId),
      placeOrder: ({ viewer }, p) => orders.placeOrder(viewer, p.quoteId),
      requestOrder: ({ viewer }, p) => quotes.requestOrder(viewer, p.quoteId, p.version, p.comment),
      activateOrder: ({ viewer }, p) => orders.activateOrder(viewer, p.orderId),
      listInventory: ({ viewer }) => orders.listInventory(viewer),
      replenish: ({ viewer }, p) => orders.replenish(viewer, { currency: p.currencyCode, lines: p.lines }),
      submitOrder: ({ viewer }, p) => orders.submitOrder(viewer, p.quoteId, p.version, p.comment),
      previewReplenishment: ({ viewer }, p) => orders.previewReplenishment(viewer, { currency: p.currencyCode, lines: p.lines }),
    },
    RenewalController: {
      listContracts: ({ viewer }) => listVisibleContracts(store, viewer),
      listRenewalQuotes: ({ viewer }) => quotes.listQuotes(viewer, { renewal: true }),
      getContract: ({ viewer }, p) => getVisibleContract(store, viewer, p.contractId),
    },
    AgreementController: {
      listMyAgreements: ({ viewer }) => listVisibleAgreements(store, viewer),
      getAgreementStanding: ({ viewer }) => agreementStandings(store, viewer, today()),
      listOrderTerms: ({ viewer }) => orders.listOrderTerms(viewer),
      setOrderTerms: ({ viewer }, p) => orders.setOrderTerms(viewer, p),
    },
    DashboardController: {
      getChannelDashboard: ({ viewer }, p) =>
        channelDashboard(store, viewer, today(), { months: p.months, from: p.fromDate, to: p.toDate, currency: p.currencyCode }),
      getPartnerScorecard: ({ viewer }, p) =>
        partnerScorecard(store, viewer, today(), p.partnerId, {
          months: p.months,
          from: p.fromDate,
          to: p.toDate,
          currency: p.currencyCode,
        }),
    },
    SessionController: {
      getCurrentUser: ({ user }) => currentUser(store, user),
    },
    DealRegistrationController: {
      registerDeal: ({ viewer }, p) => underParam('registration', deals.registerDeal(viewer, p.registration)),
      listDeals: ({ viewer }, p) => deals.listDeals(viewer, p.status ? { status: p.status } : {}),
      getDeal: ({ viewer }, p) => deals.getDeal(viewer, p.dealId),
      decideDeal: ({ viewer }, p) => deals.decideDeal(viewer, p.dealId, p.version, p.decision, p.comment),
      extendDeal: ({ viewer }, p) => deals.extendDeal(viewer, p.dealId, p.version, p.comment),
      withdrawDeal: ({ viewer }, p) => deals.withdrawDeal(viewer, p.dealId, p.version, p.comment),
      convertToQuote: ({ viewer }, p) => deals.convertToQuote(viewer, p.dealId, p.version),
    },
    QuoteDocumentController: {
      saveDocument: async ({ viewer }, p) => documentFile(await quotes.load(viewer, p.quoteId)),
    },
    NotificationController: {
      listNotifications: ({ viewer }, p) => notifications.listNotifications(viewer, p),
      markRead: ({ viewer }, p) => notifications.markRead(viewer, p),
      listOutbox: ({ viewer }) => notifications.listOutbox(viewer),
    },
  };
}

/**
 * The service names fields of the object it was given (`endCustomerId`); the caller sent them inside a
 * parameter (`quote.endCustomerId`): name them as sent.
 */
async function underParam<T>(param: string, call: Promise<T>): Promise<T> {
  try {
    return await call;
  } catch (error) {
    if (!(error instanceof InvalidInputError)) throw error;
    let message = error.message;
    for (const path of new Set(error.issues.map((i) => i.path).filter((p) => p !== ''))) {
      const named = new RegExp(`(^|[\\s;(])${path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:`, 'g');
      message = message.replace(named, `$1${param}.${path}:`);
    }
    const issues = error.issues.map((i) => ({ ...i, path: i.path === '' ? param : `${param}.${i.path}` }));
    throw new InvalidInputError(message, issues);
  }
}

/** True when `Class.method` is a controller method (own properties only: no `__proto__` or `toString`). */
export function isControllerMethod(className: string, methodName: string): boolean {
  if (!Object.hasOwn(controllerContracts, className)) return false;
  return Object.hasOwn(controllerContracts[className as ControllerClass], methodName);
}

/**
 * Calls `Class.method` with a request body: parses it with the method's contract (400 naming each field
 * that is wrong or unknown), then runs the controller. Unknown methods are NotFoundError.
 */
export async function invokeController(
  controllers: Controllers,
  className: string,
  methodName: string,
  body: unknown,
  ctx: CallContext,
): Promise<unknown> {
  if (!isControllerMethod(className, methodName)) throw new NotFoundError('Controller method', `${className}.${methodName}`);
  const cls = className as ControllerClass;
  const handler = (controllers[cls] as Record<string, (ctx: CallContext, params: unknown) => Promise<unknown>>)[methodName]!;
  // The editor's save: a hand-written check of the common valid case first, zod for everything else.
  const fast = cls === 'QuoteController' && methodName === 'saveQuote' ? fastSaveQuoteParams(body) : undefined;
  if (fast) return handler(ctx, fast);
  const contract = controllerContracts[cls][methodName as never] as { params: { safeParse(input: unknown): ParseOutcome } };
  const parsed = contract.params.safeParse(body);
  if (!parsed.success) {
    const issues = fromZodIssues(parsed.error.issues, [], body).map((i) => ({ path: i.path, message: i.message, code: i.code }));
    const described = listIssues(issues.map((i) => `${i.path === '' ? '(parameters)' : i.path}: ${i.message}`));
    throw new InvalidInputError(`${className}.${methodName}: ${described}`, issues);
  }
  return handler(ctx, parsed.data);
}

type ParseOutcome = { success: true; data: unknown } | { success: false; error: { issues: Parameters<typeof fromZodIssues>[0] } };
