import { escapeHtml, renderEntries, renderLogin } from '../../../sample-app/src/views.js';

describe('views', () => {
  it('escapes the five HTML-significant characters', () => {
    expect(escapeHtml(`<a href="x" title='y'>&amp;</a>`)).toBe(
      '&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;amp;&lt;/a&gt;',
    );
  });

  it('escapes the user name, the flash, the token and typed values', () => {
    const context = { user: '<u>', csrfToken: '"tok', flash: '<b>hi</b>' };
    const html = renderEntries([], context, {
      values: { title: '"><x', text: '</textarea><x>' },
      error: '<e>',
    });
    expect(html).not.toMatch(/<u>|<b>|<x|<e>|"tok/);
    expect(html).toContain('value="&quot;&gt;&lt;x"');
    expect(renderLogin(context, '"><script>', '<i>')).not.toMatch(/<script>|<i>/);
  });

  it('puts a CSRF field in every form and no inline style or script', () => {
    const html = renderEntries([{ id: 1, title: 't', text: 'x', createdAt: '2026-01-01T00:00:00.000Z' }], {
      user: 'admin',
      csrfToken: 'tok',
      flash: undefined,
    });
    const forms = html.match(/<form/g) ?? [];
    expect(forms).toHaveLength(2);
    expect(html.match(/name="csrf_token" value="tok"/g)).toHaveLength(2);
    expect(html).not.toMatch(/<script|style=|<style/);
  });
});
