import crypto from 'node:crypto';
import type { FastifyInstance, InjectOptions } from 'fastify';
import { addStaff, type StaffMember, type StaffRole } from '#accounts';
import { generateTotpSecret } from '../../src/accounts/totp.ts';

/** A tiny cookie-keeping client over app.inject(), carrying the CSRF token of the last page. */
export class Browser {
  readonly app: FastifyInstance;
  readonly cookies = new Map<string, string>();
  csrf = '';
  ip: string;
  constructor(app: FastifyInstance, ip = '203.0.113.7') {
    this.app = app;
    this.ip = ip;
  }

  private cookieHeader(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }

  private remember(res: Awaited<ReturnType<FastifyInstance['inject']>>): void {
    for (const c of res.cookies) {
      if (c.value === '' || (c.expires && c.expires.getTime() < Date.now()) || c.maxAge === 0)
        this.cookies.delete(c.name);
      else this.cookies.set(c.name, c.value);
    }
    const m = /name="_csrf" value="([^"]+)"/.exec(res.body);
    if (m?.[1]) this.csrf = m[1];
  }

  async get(url: string, extra: Partial<InjectOptions> = {}) {
    const res = await this.app.inject({
      method: 'GET',
      url,
      remoteAddress: this.ip,
      headers: { cookie: this.cookieHeader() },
      ...extra,
    });
    this.remember(res);
    return res;
  }

  async post(
    url: string,
    form: Record<string, string | string[]>,
    opts: { csrf?: string | null; origin?: string | null } = {},
  ) {
    const body = new URLSearchParams();
    for (const [k, v] of Object.entries(form)) for (const item of Array.isArray(v) ? v : [v]) body.append(k, item);
    const token = opts.csrf === undefined ? this.csrf : opts.csrf;
    if (token !== null) body.append('_csrf', token);
    const headers: Record<string, string> = {
      cookie: this.cookieHeader(),
      'content-type': 'application/x-www-form-urlencoded',
    };
    const origin = opts.origin === undefined ? 'http://localhost:80' : opts.origin;
    if (origin !== null) headers.origin = origin;
    const res = await this.app.inject({
      method: 'POST',
      url,
      remoteAddress: this.ip,
      headers,
      payload: body.toString(),
    });
    this.remember(res);
    return res;
  }
}

export const STRONG_PASSWORD = 'correct horse battery staple on the river';

/** A staff member of the given role; editors and above get TOTP switched on, as required. */
export async function makeStaff(
  app: FastifyInstance,
  role: StaffRole,
  name = `${role} person`,
): Promise<StaffMember & { password: string; totpSecret: string | null }> {
  const email = `${role}-${crypto.randomBytes(4).toString('hex')}@news.example.test`;
  const member = await addStaff(app.masthead.accounts, null, { email, name, role, password: STRONG_PASSWORD });
  let totpSecret: string | null = null;
  if (['owner', 'admin', 'editor'].includes(role)) {
    totpSecret = generateTotpSecret();
    await app.masthead.db.kysely
      .updateTable('staff')
      .set({ totp_secret: totpSecret, totp_enabled: 1 })
      .where('id', '=', member.id)
      .execute();
  }
  return { ...member, totpEnabled: totpSecret !== null, password: STRONG_PASSWORD, totpSecret };
}

/** A browser already signed in (both factors) as the given staff member. */
export async function signedIn(app: FastifyInstance, staff: StaffMember): Promise<Browser> {
  const token = crypto.randomBytes(32).toString('base64url');
  const now = new Date();
  await app.masthead.db.kysely
    .insertInto('staff_sessions')
    .values({
      id: crypto.createHash('sha256').update(token).digest('hex'),
      staff_id: staff.id,
      second_factor_done: 1,
      created_at: now.toISOString(),
      last_seen_at: now.toISOString(),
      expires_at: new Date(now.getTime() + 86_400_000).toISOString(),
      reauthenticated_at: null,
    })
    .execute();
  const b = new Browser(app);
  b.cookies.set('masthead_session', token);
  await b.get('/newsroom/account'); // picks up a CSRF token
  return b;
}
