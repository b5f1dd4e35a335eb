import * as accounts from '#accounts';
import { recordAudit } from '#accounts';
import { NotFoundError, ValidationError } from '#lib/errors.ts';
import * as articles from '#articles';
import * as settings from '#settings';
import { SOCIAL_NETWORKS, type SocialNetwork } from '#settings';
import type { RouteContext, RouteSpec } from './framework.ts';
import { formFromSettings, privacyView, settingsView, type SettingsForm } from './settings-views.ts';
import { parseId, str } from '#http';

function formFromBody(b: unknown): SettingsForm {
  return {
    name: str(b, 'name'),
    tagline: str(b, 'tagline'),
    description: str(b, 'description'),
    language: str(b, 'language'),
    timeZone: str(b, 'timeZone'),
    baseUrl: str(b, 'baseUrl'),
    social: Object.fromEntries(SOCIAL_NETWORKS.map((n) => [n, str(b, `social.${n}`)])) as Record<SocialNetwork, string>,
    logoMediaId: str(b, 'logoMediaId').trim(),
  };
}

/** The logo field names an image in the media library; the settings keep what pages need of it. */
async function resolveLogo(ctx: RouteContext, raw: string): Promise<settings.Settings['logo']> {
  if (raw === '') return null;
  const fail = () =>
    new ValidationError('SETTINGS_INVALID', 'Some settings are not valid.', {
      logoMediaId: 'Give the number of an image in the media library',
    });
  const id = parseId(raw);
  if (id === null) throw fail();
  const m = ctx.request.server.masthead;
  const item = await articles.getMedia(m.articles, id).catch(() => null);
  // The smallest variant (480 px wide at most) is plenty for a masthead.
  const variant = item?.variants.filter((v) => v.format === 'webp').sort((a, b) => a.width - b.width)[0];
  if (!item || !variant) throw fail();
  return { mediaId: item.id, file: variant.file, width: variant.width, height: variant.height };
}

const FLASH: Record<string, string> = {
  '1': 'Settings saved.',
  '0': 'Nothing had changed.',
  published: 'The new version of the privacy policy is published.',
};

function settingsPage(
  ctx: RouteContext,
  values: SettingsForm,
  extra: { errors?: Record<string, string>; status?: number; flash?: string | null } = {},
) {
  const canSeeOutbox = ctx.session !== null && accounts.can(ctx.session.staff.role, 'supporters.view');
  return ctx.page('Settings', settingsView(values, { csrf: ctx.csrf(), errors: extra.errors, canSeeOutbox }), {
    status: extra.status ?? 200,
    flash: extra.flash ?? null,
  });
}

async function privacyPage(
  ctx: RouteContext,
  extra: {
    version?: number;
    draft?: string;
    errors?: Record<string, string>;
    status?: number;
    flash?: string | null;
  } = {},
) {
  const m = ctx.request.server.masthead;
  const [current, history, staff] = await Promise.all([
    settings.findPrivacyPolicyVersion(m.settings, 'current'),
    settings.listPrivacyPolicyVersions(m.settings),
    accounts.listStaff(m.accounts),
  ]);
  const shown =
    extra.version === undefined || extra.version === current?.version
      ? current
      : await settings.findPrivacyPolicyVersion(m.settings, extra.version);
  if (!shown && extra.version !== undefined)
    throw new NotFoundError('NEWSROOM_NOT_FOUND', 'There is no such version of the privacy policy.');
  return ctx.page(
    'Privacy policy',
    privacyView({
      csrf: ctx.csrf(),
      current,
      shown,
      history: history.items,
      names: new Map(staff.map((s) => [s.id, s.name])),
      draft: extra.draft ?? current?.markdown ?? '',
      errors: extra.errors,
    }),
    { status: extra.status ?? 200, flash: extra.flash ?? null },
  );
}

export const settingsRoutes: RouteSpec[] = [
  {
    method: 'GET',
    url: '/settings',
    access: 'staff',
    action: 'settings.manage',
    async handler(ctx) {
      const current = await settings.getSettings(ctx.request.server.masthead.settings);
      return settingsPage(ctx, formFromSettings(current), { flash: FLASH[str(ctx.request.query, 'saved')] ?? null });
    },
  },
  {
    method: 'POST',
    url: '/settings',
    access: 'staff',
    action: 'settings.manage',
    async handler(ctx) {
      const { request, reply, session } = ctx;
      const values = formFromBody(request.body);
      let changed: string[];
      try {
        const { logoMediaId, ...rest } = values;
        const logo = await resolveLogo(ctx, logoMediaId);
        ({ changed } = await settings.saveSettings(request.server.masthead.settings, { ...rest, logo }));
      } catch (err) {
        if (err instanceof ValidationError) return settingsPage(ctx, values, { errors: err.fields, status: 400 });
        throw err;
      }
      // Key names only: the audit log never holds the values.
      if (changed.length > 0)
        await recordAudit(
          request.server.masthead.accounts,
          session?.staff ?? null,
          'settings.changed',
          { type: 'settings', id: 'publication' },
          { keys: changed },
        );
      return reply.redirect(`/newsroom/settings?saved=${changed.length > 0 ? '1' : '0'}`, 303);
    },
  },
  {
    method: 'GET',
    url: '/settings/privacy',
    access: 'staff',
    action: 'settings.manage',
    async handler(ctx) {
      const raw = str(ctx.request.query, 'version');
      const version = /^[1-9][0-9]{0,8}$/.test(raw) ? Number(raw) : undefined;
      return privacyPage(ctx, {
        ...(version === undefined ? {} : { version }),
        flash: FLASH[str(ctx.request.query, 'done')] ?? null,
      });
    },
  },
  {
    method: 'POST',
    url: '/settings/privacy',
    access: 'staff',
    action: 'settings.manage',
    async handler(ctx) {
      const { request, reply, session } = ctx;
      const markdown = str(request.body, 'markdown');
      let published: settings.PrivacyPolicyVersion;
      try {
        published = await settings.publishPrivacyPolicy(
          request.server.masthead.settings,
          session?.staff ?? null,
          markdown,
        );
      } catch (err) {
        if (err instanceof ValidationError)
          return privacyPage(ctx, { draft: markdown, errors: err.fields, status: 400 });
        throw err;
      }
      await recordAudit(request.server.masthead.accounts, session?.staff ?? null, 'privacy_policy.published', {
        type: 'privacy_policy',
        id: published.version,
      });
      return reply.redirect('/newsroom/settings/privacy?done=published', 303);
    },
  },
];
