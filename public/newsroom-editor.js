/* global document, window, fetch, FormData, Event, HTMLElement */
// The article editor, enhanced: a formatting toolbar, a preview that follows the typing and
// autosave of drafts. All of it is optional: without this file the form posts and the
// server renders the preview. Loaded with the page's CSP nonce; it adds no inline handlers
// and loads nothing else. The preview HTML comes only from our own endpoint, which runs the
// same sanitiser as saved articles, so it is the one thing inserted as HTML.
(() => {
  'use strict';
  const form = document.getElementById('article-form');
  const body = document.getElementById('bodyMarkdown');
  if (!form || !body) return;
  const headline = document.getElementById('headline');
  const standfirst = document.getElementById('standfirst');
  const status = document.getElementById('autosave-status');
  const AUTOSAVE_EVERY_MS = 10_000;
  const PREVIEW_DELAY_MS = 400;

  const say = (text) => {
    if (status) status.textContent = text;
  };

  /** The form's fields as a urlencoded body, CSRF token included (files are never sent). */
  function formFields() {
    const data = new URLSearchParams();
    for (const [k, v] of new FormData(form)) if (typeof v === 'string') data.append(k, v);
    return data;
  }

  const csrfToken = () => form.querySelector('input[name="_csrf"]')?.value ?? '';

  function post(url, data) {
    return fetch(url, {
      method: 'POST',
      body: data,
      credentials: 'same-origin',
      headers: { accept: 'application/json' },
    });
  }

  // ---- toolbar ------------------------------------------------------------------------

  /** Puts text in place of the selection, then selects [from, to) within it. */
  function replaceSelection(text, from, to) {
    body.focus();
    const start = body.selectionStart;
    // execCommand keeps the browser's undo history (and fires `input`); setRangeText does neither.
    if (!document.execCommand || !document.execCommand('insertText', false, text)) {
      body.setRangeText(text, start, body.selectionEnd, 'end');
      body.dispatchEvent(new Event('input', { bubbles: true }));
    }
    body.setSelectionRange(start + from, start + to);
  }

  function wrap(before, after, placeholder) {
    const selected = body.value.slice(body.selectionStart, body.selectionEnd) || placeholder;
    replaceSelection(before + selected + after, before.length, before.length + selected.length);
  }

  function link() {
    const selected = body.value.slice(body.selectionStart, body.selectionEnd) || 'link text';
    const url = 'https://';
    // Select the address so typing replaces it.
    replaceSelection(`[${selected}](${url})`, selected.length + 3, selected.length + 3 + url.length);
  }

  /** Prefixes every line the selection touches; `strip` removes a marker already there. */
  function prefixLines(prefix, strip) {
    const v = body.value;
    const start = v.lastIndexOf('\n', body.selectionStart - 1) + 1;
    let end = v.indexOf('\n', Math.max(body.selectionEnd, start));
    if (end === -1) end = v.length;
    body.setSelectionRange(start, end);
    const text = v
      .slice(start, end)
      .split('\n')
      .map((line) => prefix + (strip ? line.replace(strip, '') : line))
      .join('\n');
    replaceSelection(text, 0, text.length);
  }

  const actions = {
    bold: () => wrap('**', '**', 'bold text'),
    italic: () => wrap('_', '_', 'italic text'),
    link,
    quote: () => prefixLines('> ', null),
    heading: () => prefixLines('## ', /^#{1,6}\s+/),
  };

  const toolbar = form.querySelector('.nr-toolbar');
  if (toolbar) {
    toolbar.hidden = false;
    toolbar.addEventListener('click', (event) => {
      const button = event.target instanceof HTMLElement ? event.target.closest('button[data-md]') : null;
      const action = button && actions[button.dataset.md];
      if (action) action();
    });
  }
  body.addEventListener('keydown', (event) => {
    if (!(event.ctrlKey || event.metaKey) || event.altKey || event.shiftKey) return;
    const key = event.key.toLowerCase();
    if (key === 'b' || key === 'i') {
      event.preventDefault();
      actions[key === 'b' ? 'bold' : 'italic']();
    }
  });

  // ---- live preview ---------------------------------------------------------------------

  const previewUrl = form.dataset.previewUrl;
  const previewSection = document.querySelector('.nr-preview');
  let previewTimer = 0;
  let previewSeq = 0;

  function previewArticle() {
    let article = document.getElementById('preview-article');
    if (!article && previewSection) {
      article = document.createElement('article');
      article.className = 'nr-preview-body';
      article.id = 'preview-article';
      const standfirstEl = document.createElement('p');
      standfirstEl.className = 'standfirst';
      const bodyEl = document.createElement('div');
      bodyEl.className = 'nr-preview-html';
      article.append(document.createElement('h1'), standfirstEl, bodyEl);
      document.getElementById('preview-hint')?.remove();
      previewSection.append(article);
    }
    return article;
  }

  function showTitles() {
    const article = document.getElementById('preview-article');
    if (!article) return;
    const h1 = article.querySelector('h1');
    if (h1 && headline) h1.textContent = headline.value;
    const sf = article.querySelector('.standfirst');
    if (sf && standfirst) {
      sf.textContent = standfirst.value;
      sf.hidden = standfirst.value.trim() === '';
    }
  }

  async function refreshPreview() {
    if (!previewUrl) return;
    const seq = ++previewSeq;
    try {
      const res = await post(previewUrl, new URLSearchParams({ _csrf: csrfToken(), bodyMarkdown: body.value }));
      if (!res.ok) return;
      const json = await res.json();
      if (seq !== previewSeq || typeof json.html !== 'string') return; // a newer request is on its way
      const target = previewArticle()?.querySelector('.nr-preview-html');
      if (target) target.innerHTML = json.html; // sanitised by the server (renderMarkdown)
      showTitles();
    } catch {
      // Offline or signed out: the Preview button still works.
    }
  }

  body.addEventListener('input', () => {
    window.clearTimeout(previewTimer);
    previewTimer = window.setTimeout(refreshPreview, PREVIEW_DELAY_MS);
  });
  headline?.addEventListener('input', showTitles);
  standfirst?.addEventListener('input', showTitles);
  void refreshPreview();

  // ---- autosave -------------------------------------------------------------------------

  const autosaveUrl = form.dataset.autosaveUrl;
  if (!autosaveUrl) return;
  let dirty = false;
  let saving = false;
  let stopped = false;

  form.addEventListener('input', () => {
    dirty = true;
  });
  form.addEventListener('change', () => {
    dirty = true;
  });
  // A real Save is on its way: an autosave now could only race it.
  form.addEventListener('submit', () => {
    stopped = true;
  });

  function clearFieldErrors() {
    for (const el of form.querySelectorAll('.nr-error[id$="-error"]')) el.remove();
    for (const el of form.querySelectorAll('[aria-invalid]')) {
      el.removeAttribute('aria-invalid');
      el.removeAttribute('aria-describedby');
    }
  }

  /** Shows each field's error next to it, as the server does after a form post. */
  function showFieldErrors(errors) {
    clearFieldErrors();
    for (const [name, message] of Object.entries(errors)) {
      const field = document.getElementById(name);
      if (!(field instanceof HTMLElement) || !form.contains(field)) continue;
      const p = document.createElement('p');
      p.className = 'nr-error';
      p.id = `${name}-error`;
      p.textContent = String(message);
      field.after(p);
      field.setAttribute('aria-invalid', 'true');
      field.setAttribute('aria-describedby', p.id);
    }
  }

  async function autosave() {
    if (!dirty || saving || stopped) return;
    saving = true;
    dirty = false; // edits made while this request runs mark the form dirty again
    try {
      const res = await post(autosaveUrl, formFields());
      const json = await res.json().catch(() => null);
      if (res.ok) {
        clearFieldErrors();
        const at = json && typeof json.savedAt === 'string' ? new Date(json.savedAt) : new Date();
        say(`Saved at ${at.toLocaleTimeString()}`);
      } else if (res.status === 400) {
        showFieldErrors(json?.errors ?? {});
        say('Not saved: please correct the marked fields.');
      } else if (res.status === 409 && json?.code === 'ARTICLES_PUBLIC') {
        stopped = true;
        say('Not saved: published. Use the Save button to change a published article.');
      } else if (res.status === 409) {
        say(`Not saved: ${json?.message ?? 'a conflict'}`);
      } else if (res.status === 401 || res.status === 403) {
        stopped = true;
        dirty = true;
        say('Not saved: your session may have ended. Press Save to keep your work.');
      } else {
        dirty = true;
        say('Not saved: the server had a problem; trying again shortly.');
      }
    } catch {
      dirty = true;
      say('Not saved: no connection; trying again shortly.');
    } finally {
      saving = false;
    }
  }

  window.setInterval(autosave, AUTOSAVE_EVERY_MS);
  document.addEventListener('visibilitychange', () => {
    if (document.visibilityState === 'hidden') void autosave();
  });
})();
