import crypto from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import Stripe from 'stripe';

/**
 * A local stand-in of the few Stripe API endpoints Masthead calls, speaking Stripe's HTTP
 * (form-encoded requests, JSON answers, Idempotency-Key semantics), so the real `stripe`
 * SDK can be pointed at it offline. It records every request, replays the stored answer for
 * a repeated idempotency key (no second side effect), and can be told to commit a request
 * and then drop the connection without answering. The provider side of a payment (a reader
 * paying on the hosted page, renewals, refunds, disputes) is driven by methods that also
 * produce the events Stripe would send.
 */

type Obj = Record<string, unknown>;

export interface RecordedRequest {
  method: string;
  path: string;
  idempotencyKey: string | null;
  body: Obj;
  /** True if the answer was replayed from an earlier request with the same key. */
  replayed: boolean;
}

export interface StandinEvent {
  id: string;
  type: string;
  created: number;
  data: { object: Obj };
}

/** Parses Stripe's form encoding (`a[b][0][c]=1`) into nested objects and arrays. */
export function parseStripeForm(body: string): Obj {
  const out: Obj = {};
  for (const [rawKey, value] of new URLSearchParams(body)) {
    const parts = rawKey.replace(/\]/g, '').split('[');
    let cur: Record<string, unknown> = out;
    parts.forEach((p, i) => {
      if (i === parts.length - 1) {
        cur[p] = value;
        return;
      }
      const nextIsIndex = /^[0-9]+$/.test(parts[i + 1] ?? '');
      cur[p] ??= nextIsIndex ? [] : {};
      cur = cur[p] as Record<string, unknown>;
    });
  }
  return out;
}

const newId = (prefix: string) => `${prefix}_${crypto.randomBytes(10).toString('hex')}`;

export class StripeStandin {
  readonly requests: RecordedRequest[] = [];
  readonly events: StandinEvent[] = [];
  readonly objects = new Map<string, Obj>();
  /** Side effects actually performed per idempotency key (≤ 1 each if keys are honoured). */
  readonly effectsPerKey = new Map<string, number>();
  private readonly idempotent = new Map<string, { status: number; body: string }>();
  private dropRules: { match: (method: string, path: string) => boolean; remaining: number }[] = [];
  private server: http.Server | null = null;
  private clockSeconds: () => number = () => Math.floor(Date.now() / 1000);
  url = '';

  async start(): Promise<string> {
    this.server = http.createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this.url;
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  useClock(seconds: () => number): void {
    this.clockSeconds = seconds;
  }

  /** The next `times` requests matching method and path prefix are committed, then their connection is dropped. */
  dropAfterCommit(method: string, pathPrefix: string, times = 1): void {
    this.dropRules.push({ match: (m, p) => m === method && p.startsWith(pathPrefix), remaining: times });
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const raw = Buffer.concat(chunks).toString();
    const url = new URL(req.url ?? '/', 'http://standin');
    const method = req.method ?? 'GET';
    const key = typeof req.headers['idempotency-key'] === 'string' ? req.headers['idempotency-key'] : null;
    const body = method === 'GET' ? parseStripeForm(url.search.slice(1)) : parseStripeForm(raw);
    const replay = key && method === 'POST' ? this.idempotent.get(`${method} ${url.pathname} ${key}`) : undefined;
    this.requests.push({ method, path: url.pathname, idempotencyKey: key, body, replayed: Boolean(replay) });
    let answer: { status: number; body: string };
    if (replay) {
      answer = replay;
    } else {
      let status = 200;
      let result: unknown;
      try {
        result = this.route(method, url.pathname, body);
      } catch (err) {
        status = (err as { status?: number }).status ?? 400;
        result = {
          error: {
            type: 'invalid_request_error',
            message: (err as Error).message,
            ...(status === 404 ? { code: 'resource_missing' } : {}),
          },
        };
      }
      answer = { status, body: JSON.stringify(result) };
      if (key && method !== 'GET') {
        this.idempotent.set(`${method} ${url.pathname} ${key}`, answer);
        if (status < 300) this.effectsPerKey.set(key, (this.effectsPerKey.get(key) ?? 0) + 1);
      }
    }
    const rule = this.dropRules.find((r) => r.remaining > 0 && r.match(method, url.pathname));
    if (rule) {
      rule.remaining--;
      req.socket.destroy(); // committed above; the client never hears back
      return;
    }
    res.writeHead(answer.status, {
      'content-type': 'application/json',
      'request-id': newId('req'),
      ...(replay ? { 'idempotent-replayed': 'true' } : {}),
    });
    res.end(answer.body);
  }

  private notFound(): never {
    throw Object.assign(new Error('No such object'), { status: 404 });
  }

  private get(id: string | undefined, kind: string): Obj {
    const o = id ? this.objects.get(id) : undefined;
    if (!o || o.object !== kind) this.notFound();
    return o;
  }

  private route(method: string, path: string, body: Obj): unknown {
    const [, , resource, id, sub] = path.split('/');
    if (method === 'POST' && path === '/v1/checkout/sessions') return this.createSession(body);
    if (method === 'GET' && resource === 'checkout' && id === 'sessions' && sub)
      return this.get(sub, 'checkout.session');
    if (resource === 'subscriptions' && id) {
      if (method === 'GET') return this.get(id, 'subscription');
      if (method === 'DELETE') return this.cancel(id);
      if (method === 'POST') return this.update(id, body);
    }
    if (resource === 'customers' && id) {
      if (method === 'GET') return this.get(id, 'customer');
      if (method === 'DELETE') {
        this.get(id, 'customer');
        this.objects.delete(id);
        return { id, object: 'customer', deleted: true };
      }
    }
    if (method === 'POST' && path === '/v1/billing_portal/sessions')
      return {
        id: newId('bps'),
        object: 'billing_portal.session',
        url: `https://billing.stripe.test/p/session/${newId('x')}`,
        customer: body.customer,
      };
    if (method === 'GET' && path === '/v1/refunds') {
      const data = [...this.objects.values()].filter((o) => o.object === 'refund' && o.charge === body.charge);
      return { object: 'list', data, has_more: false, url: '/v1/refunds' };
    }
    if (method === 'GET' && path === '/v1/events') {
      const gte = Number((body.created as Obj | undefined)?.gte ?? 0);
      const data = this.events
        .filter((e) => e.created >= gte)
        .map((e) => ({ object: 'event', ...e }))
        .reverse();
      return { object: 'list', data, has_more: false, url: '/v1/events' };
    }
    this.notFound();
  }

  private emit(type: string, object: Obj): StandinEvent {
    const e: StandinEvent = {
      id: newId('evt'),
      type,
      created: this.clockSeconds(),
      data: { object: structuredClone(object) },
    };
    this.events.push(e);
    return e;
  }

  /** Creates a checkout session as POST /v1/checkout/sessions does (tests may call it directly). */
  createSession(body: Obj): Obj {
    const item = (body.line_items as Obj[] | undefined)?.[0];
    const price = item?.price_data as Obj | undefined;
    if (!price || !body.success_url || !body.cancel_url)
      throw new Error('missing line_items[0][price_data], success_url or cancel_url');
    const recurring = price.recurring as Obj | undefined;
    if ((body.mode === 'subscription') !== Boolean(recurring)) throw new Error('mode and recurring disagree');
    const id = newId('cs_test');
    const session: Obj = {
      id,
      object: 'checkout.session',
      mode: body.mode,
      status: 'open',
      payment_status: 'unpaid',
      amount_total: Number(price.unit_amount),
      currency: price.currency,
      interval: recurring?.interval ?? null,
      metadata: body.metadata ?? {},
      client_reference_id: body.client_reference_id ?? null,
      success_url: body.success_url,
      cancel_url: body.cancel_url,
      url: `https://checkout.stripe.test/c/pay/${id}`,
      customer: null,
      subscription: null,
      payment_intent: null,
    };
    this.objects.set(id, session);
    return session;
  }

  private periodEnd(interval: string): number {
    return this.clockSeconds() + (interval === 'year' ? 365 : 30) * 86_400;
  }

  /** The reader pays on the hosted page: returns the events Stripe would send, in its usual order. */
  pay(sessionId: string, email: string): StandinEvent[] {
    const s = this.get(sessionId, 'checkout.session');
    const customer = newId('cus');
    this.objects.set(customer, { id: customer, object: 'customer', email });
    const out: StandinEvent[] = [];
    s.customer = customer;
    s.customer_details = { email };
    s.status = 'complete';
    s.payment_status = 'paid';
    const pi = newId('pi');
    this.objects.set(newId('ch'), { object: 'charge', payment_intent: pi });
    if (s.mode === 'payment') {
      s.payment_intent = pi;
      out.push(this.emit('checkout.session.completed', s));
      return out;
    }
    const sub = newId('sub');
    const interval = String(s.interval);
    this.objects.set(sub, {
      id: sub,
      object: 'subscription',
      customer,
      status: 'active',
      currency: s.currency,
      items: {
        object: 'list',
        data: [
          {
            id: newId('si'),
            quantity: 1,
            current_period_end: this.periodEnd(interval),
            price: {
              id: newId('price'),
              product: newId('prod'),
              unit_amount: s.amount_total,
              currency: s.currency,
              recurring: { interval },
            },
          },
        ],
      },
      canceled_at: null,
      ended_at: null,
    });
    s.subscription = sub;
    out.push(this.emit('customer.subscription.created', this.objects.get(sub)!));
    out.push(this.emit('checkout.session.completed', s));
    out.push(this.invoice(sub, email, pi));
    return out;
  }

  private invoice(sub: string, email: string, pi = newId('pi')): StandinEvent {
    const s = this.get(sub, 'subscription');
    const item = (s.items as { data: Obj[] }).data[0]!;
    const price = item.price as Obj;
    const inv = {
      id: newId('in'),
      object: 'invoice',
      customer: s.customer,
      customer_email: email,
      amount_paid: price.unit_amount,
      currency: price.currency,
      status: 'paid',
      parent: { subscription_details: { subscription: sub } },
      payments: { data: [{ payment: { payment_intent: pi } }] },
    };
    this.objects.set(inv.id, inv);
    this.objects.set(newId('ch'), { object: 'charge', payment_intent: pi });
    return this.emit('invoice.paid', inv);
  }

  /** The next period's invoice is paid. */
  renew(sub: string, email: string): StandinEvent[] {
    const s = this.get(sub, 'subscription');
    const item = (s.items as { data: Obj[] }).data[0]!;
    item.current_period_end = this.periodEnd(String((item.price as Obj & { recurring: Obj }).recurring.interval));
    return [this.invoice(sub, email), this.emit('customer.subscription.updated', s)];
  }

  /** A renewal fails: the invoice is unpaid and the subscription past due. */
  failRenewal(sub: string, email: string): StandinEvent[] {
    const s = this.get(sub, 'subscription');
    s.status = 'past_due';
    const inv = {
      id: newId('in'),
      object: 'invoice',
      customer: s.customer,
      customer_email: email,
      amount_paid: 0,
      currency: s.currency,
      status: 'open',
      parent: { subscription_details: { subscription: sub } },
    };
    return [this.emit('invoice.payment_failed', inv), this.emit('customer.subscription.updated', s)];
  }

  private update(id: string, body: Obj): Obj {
    const s = this.get(id, 'subscription');
    if (s.status === 'canceled') throw new Error('This subscription is canceled');
    const change = (body.items as Obj[] | undefined)?.[0];
    const pd = change?.price_data as Obj | undefined;
    if (!pd) throw new Error('items[0][price_data] required');
    const item = (s.items as { data: Obj[] }).data[0]!;
    const recurring = pd.recurring as Obj;
    item.price = {
      id: newId('price'),
      product: pd.product,
      unit_amount: Number(pd.unit_amount),
      currency: pd.currency,
      recurring: { interval: recurring.interval },
    };
    this.emit('customer.subscription.updated', s);
    return s;
  }

  private cancel(id: string): Obj {
    const s = this.get(id, 'subscription');
    if (s.status !== 'canceled') {
      s.status = 'canceled';
      s.canceled_at = this.clockSeconds();
      s.ended_at = this.clockSeconds();
      this.emit('customer.subscription.deleted', s);
    }
    return s;
  }

  /** Cancels from the provider's side (e.g. the dashboard). */
  cancelFromDashboard(id: string): StandinEvent[] {
    const before = this.events.length;
    this.cancel(id);
    return this.events.slice(before);
  }

  /** Refunds part or all of the charge behind a payment intent (in another currency, if a test asks). */
  refund(paymentIntent: string, amount: number, currency = 'usd'): StandinEvent {
    const charge = [...this.objects.entries()].find(
      ([, o]) => o.object === 'charge' && o.payment_intent === paymentIntent,
    );
    if (!charge) this.notFound();
    const [chargeId, c] = charge;
    c.id = chargeId;
    const refund = {
      id: newId('re'),
      object: 'refund',
      amount,
      currency,
      charge: chargeId,
      status: 'succeeded',
      created: this.clockSeconds(),
    };
    this.objects.set(refund.id, refund);
    c.amount_refunded = Number(c.amount_refunded ?? 0) + amount;
    return this.emit('charge.refunded', { ...c });
  }

  dispute(paymentIntent: string, amount: number, currency: string): StandinEvent {
    const d = {
      id: newId('dp'),
      object: 'dispute',
      amount,
      currency,
      payment_intent: paymentIntent,
      status: 'needs_response',
    };
    this.objects.set(d.id, d);
    return this.emit('charge.dispute.created', d);
  }

  closeDispute(id: string, status: 'won' | 'lost'): StandinEvent {
    const d = this.get(id, 'dispute');
    d.status = status;
    return this.emit('charge.dispute.closed', d);
  }

  subscription(id: string): Obj {
    return this.get(id, 'subscription');
  }

  /** The body and signature header of an event, as Stripe would POST it. */
  static signed(e: StandinEvent, secret: string, timestamp?: number): { payload: string; header: string } {
    const payload = JSON.stringify({ object: 'event', ...e });
    return {
      payload,
      header: Stripe.webhooks.generateTestHeaderString({
        payload,
        secret,
        ...(timestamp !== undefined ? { timestamp } : {}),
      }),
    };
  }
}
