import { escapeHtml, renderEntries, renderLogin } from '../../../sample-app/src/views.js';

describe('views', () => {
  it('escapes the five HTML-significant characters', () => {
    expect(escapeHtml(`<a href="x" title='y'>&amp;</a>`)).toBe(
      '&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;amp;&lt;/a&gt;',
    );
  });

  it('escapes the user name, the flash, the token and typed values', () => {
    const context = { user: '<u>', csrfToken: '"tok', flash: '<b>hi</b>' };
    const html = renderEntries({ entries: [], olderBefore: undefined }, context, {
      values: { title: '"><x', text: '</textarea><x>' },
      error: '<e>',
    });
    expect(html).not.toMatch(/<u>|<b>|<x|<e>|"tok/);
    expect(html).toContain('value="&quot;&gt;&lt;x"');
    expect(renderLogin(context, '"><script>', '<i>')).not.toMatch(/<script>|<i>/);
  });

  it('puts a CSRF field in every form and no inline style or script', () => {
    const entries = [{ id: 1, title: 't', text: 'x', createdAt: '2026-01-01T00:00:00.000Z' }];
    const html = renderEntries(
      { entries, olderBefore: undefined },
      { user: 'admin', csrfToken: 'tok', flash: undefined },
    );
    const forms = html.match(/<form/g) ?? [];
    expect(forms).toHaveLength(2);
    expect(html.match(/name="csrf_token" value="tok"/g)).toHaveLength(2);
    expect(html).not.toMatch(/<script|style=|<style/);
  });

  it('links to the older page only when there is one, by the cursor it is given', () => {
    const context = { user: undefined, csrfToken: 'tok', flash: undefined };
    const entries = [{ id: 7, title: 't', text: 'x', createdAt: '2026-01-01T00:00:00.000Z' }];
    expect(renderEntries({ entries, olderBefore: 7 }, context)).toContain(
      '<a href="/?before=7" rel="next">older posts</a>',
    );
    expect(renderEntries({ entries, olderBefore: undefined }, context)).not.toContain('older posts');
  });
});
