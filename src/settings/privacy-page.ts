import { html, unsafeRaw, type SafeHtml } from '#lib/html.ts';
import type { PrivacyPolicy } from './privacy.ts';
import type { Settings } from './service.ts';

/**
 * The public privacy page's content, for the site's layout (`layout(ctx, { title, main, … })`).
 * The body was sanitised when it was published, so it is printed as stored.
 */
export function privacyPolicyPage(
  policy: PrivacyPolicy,
  settings: Pick<Settings, 'name' | 'language' | 'timeZone'>,
): { title: string; description: string; main: SafeHtml; lastModified: string } {
  const date = new Intl.DateTimeFormat(settings.language, { dateStyle: 'long', timeZone: settings.timeZone }).format(
    new Date(policy.publishedAt),
  );
  return {
    title: 'Privacy policy',
    description: `How ${settings.name} handles your personal data.`,
    lastModified: policy.publishedAt,
    main: html`<article class="article wrap-narrow privacy-policy">
<header class="article-header"><h1 class="headline">Privacy policy</h1>
<p class="meta">Version ${policy.version}, in force since <time datetime="${policy.publishedAt}">${date}</time></p></header>
<div class="article-body">${unsafeRaw(policy.html)}</div>
</article>`,
  };
}
