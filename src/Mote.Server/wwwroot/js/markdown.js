// A small, safe Markdown renderer for model output: headings, paragraphs, emphasis, lists, quotes, links, tables,
// inline code and fenced code blocks (with a copy button). Every piece of source text is HTML-escaped before any
// tag is added, and links keep only http(s) and mailto targets, so model output can never inject markup or script.
// It accepts unfinished input (an unclosed fence renders as code) because replies are rendered while they stream.

const ESCAPES = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeHtml(text) {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c]);
}

const FENCE = /^ {0,3}(`{3,}|~{3,})\s*([^`\s]*)[^`]*$/;
const HEADING = /^ {0,3}(#{1,6})\s+(.*?)(?:\s+#+)?\s*$/;
const RULE = /^ {0,3}([-*_])(?:\s*\1){2,}\s*$/;
const QUOTE = /^ {0,3}>\s?(.*)$/;
const LIST_ITEM = /^(\s*)([-*+]|\d{1,9}[.)])\s+(.*)$/;
const TABLE_RULE = /^\s*\|?\s*:?-+:?\s*(\|\s*:?-+:?\s*)*\|?\s*$/;
const MAX_DEPTH = 8;

/** Renders Markdown source to an HTML string that is safe to assign to innerHTML. */
export function renderMarkdown(source, depth = 0) {
  // NUL marks inline placeholders below, so the source may not contain it.
  const lines = String(source).replace(/\r\n?/g, '\n').replace(/\u0000/g, '').split('\n');
  const out = [];
  let i = 0;
  while (i < lines.length) {
    const line = lines[i];
    if (line.trim() === '') {
      i++;
      continue;
    }
    const fence = FENCE.exec(line);
    if (fence) {
      i = codeBlock(lines, i, fence, out);
      continue;
    }
    const heading = HEADING.exec(line);
    if (heading) {
      const level = heading[1].length;
      // Headings inside a message sit below the page's own h1/h2.
      out.push(`<h${Math.min(level + 2, 6)} class="md-h${level}">${inline(heading[2])}</h${Math.min(level + 2, 6)}>`);
      i++;
      continue;
    }
    if (RULE.test(line)) {
      out.push('<hr>');
      i++;
      continue;
    }
    if (QUOTE.test(line)) {
      const inner = [];
      while (i < lines.length && lines[i].trim() !== '' && QUOTE.test(lines[i])) inner.push(QUOTE.exec(lines[i++])[1]);
      out.push(depth < MAX_DEPTH ? `<blockquote>${renderMarkdown(inner.join('\n'), depth + 1)}</blockquote>`
        : `<blockquote><p>${inline(inner.join(' '))}</p></blockquote>`);
      continue;
    }
    if (LIST_ITEM.test(line)) {
      i = list(lines, i, out, depth);
      continue;
    }
    if (line.includes('|') && i + 1 < lines.length && TABLE_RULE.test(lines[i + 1]) && lines[i + 1].includes('-')) {
      i = table(lines, i, out);
      continue;
    }
    i = paragraph(lines, i, out);
  }
  return out.join('');
}

function startsBlock(line) {
  return FENCE.test(line) || HEADING.test(line) || RULE.test(line) || QUOTE.test(line) || LIST_ITEM.test(line);
}

function paragraph(lines, i, out) {
  const text = [];
  while (i < lines.length && lines[i].trim() !== '' && (text.length === 0 || !startsBlock(lines[i]))) text.push(lines[i++].trim());
  // Models use single newlines on purpose (poems, addresses): keep them as line breaks.
  out.push(`<p>${text.map(inline).join('<br>')}</p>`);
  return i;
}

function codeBlock(lines, i, fence, out) {
  const marker = fence[1];
  const language = fence[2].replace(/[^\w+#.-]/g, '').slice(0, 32);
  const code = [];
  i++;
  while (i < lines.length) {
    const close = lines[i].trim();
    if (close.length >= marker.length && close[0] === marker[0] && /^(`+|~+)$/.test(close)) {
      i++;
      break;
    }
    code.push(lines[i++]);
  }
  const label = language ? escapeHtml(language) : 'code';
  const cls = language ? ` class="language-${escapeHtml(language)}"` : '';
  out.push(`<div class="code-block"><div class="code-head"><span class="code-lang">${label}</span>` +
    `<button type="button" class="copy-code" aria-label="Copy code">Copy</button></div>` +
    `<pre><code${cls}>${escapeHtml(code.join('\n'))}</code></pre></div>`);
  return i;
}

// A list block: items, their indented continuation lines and nested lists, up to the first line that belongs to none.
function list(lines, i, out, depth) {
  const first = LIST_ITEM.exec(lines[i]);
  const baseIndent = first[1].length;
  const ordered = /\d/.test(first[2]);
  const items = [];
  while (i < lines.length) {
    const line = lines[i];
    const item = LIST_ITEM.exec(line);
    if (item && item[1].length <= baseIndent + 1 && /\d/.test(item[2]) === ordered) {
      items.push([item[3]]);
      i++;
      continue;
    }
    if (item && item[1].length <= baseIndent + 1) break; // a list of the other kind starts
    if (line.trim() === '') {
      // A blank line ends the list unless the next line carries on inside it.
      const next = lines[i + 1];
      if (next === undefined || !(/^\s{2,}\S/.test(next) || (LIST_ITEM.test(next) && LIST_ITEM.exec(next)[1].length <= baseIndent + 1
        && /\d/.test(LIST_ITEM.exec(next)[2]) === ordered))) break;
      items[items.length - 1].push('');
      i++;
      continue;
    }
    if (/^\s{2,}\S/.test(line) || !startsBlock(line)) {
      // Indented continuation (or a nested list), or a lazy continuation of the item's paragraph.
      items[items.length - 1].push(line.slice(Math.min(indentOf(line), baseIndent + 2)));
      i++;
      continue;
    }
    break;
  }
  const tag = ordered ? 'ol' : 'ul';
  const start = ordered ? parseInt(first[2], 10) : 1;
  const attrs = ordered && start !== 1 ? ` start="${start}"` : '';
  out.push(`<${tag}${attrs}>`);
  for (const item of items) {
    const body = item.join('\n');
    if (depth < MAX_DEPTH && item.length > 1) {
      // Render the item as its own document; a lone paragraph loses its <p> so tight lists stay tight.
      const html = renderMarkdown(body, depth + 1);
      out.push(`<li>${html.startsWith('<p>') && html.indexOf('</p>') === html.length - 4 ? html.slice(3, -4) : html}</li>`);
    } else {
      out.push(`<li>${inline(body.replace(/\n/g, ' '))}</li>`);
    }
  }
  out.push(`</${tag}>`);
  return i;
}

function indentOf(line) {
  return line.length - line.trimStart().length;
}

function table(lines, i, out) {
  const cells = (row) => row.trim().replace(/^\|/, '').replace(/\|$/, '').split('|').map((c) => c.trim());
  const header = cells(lines[i]);
  const aligns = cells(lines[i + 1]).map((c) => (c.startsWith(':') && c.endsWith(':') ? 'center' : c.endsWith(':') ? 'right' : ''));
  const align = (k) => (aligns[k] ? ` class="align-${aligns[k]}"` : '');
  const html = ['<div class="table-wrap"><table><thead><tr>'];
  header.forEach((cell, k) => html.push(`<th${align(k)}>${inline(cell)}</th>`));
  html.push('</tr></thead><tbody>');
  i += 2;
  while (i < lines.length && lines[i].includes('|') && lines[i].trim() !== '') {
    const row = cells(lines[i++]);
    html.push('<tr>');
    header.forEach((_, k) => html.push(`<td${align(k)}>${inline(row[k] ?? '')}</td>`));
    html.push('</tr>');
  }
  html.push('</tbody></table></div>');
  out.push(html.join(''));
  return i;
}

const SAFE_URL = /^(https?:\/\/|mailto:)/i;

/** Inline Markdown of one line or paragraph: code spans, links, bold, italic, strikethrough. */
export function inline(text) {
  const held = [];
  const hold = (html) => `\u0000${held.push(html) - 1}\u0000`;

  // Code spans first: nothing inside them is Markdown.
  let s = text.replace(/(`+)([\s\S]*?[^`])\1(?!`)/g, (_, __, code) => hold(`<code>${escapeHtml(code.trim() || code)}</code>`));
  s = escapeHtml(s);
  // Links, on escaped text: the target is already attribute-safe; only the scheme needs checking.
  s = s.replace(/\[([^\]\u0000]*(?:\u0000\d+\u0000[^\]\u0000]*)*)\]\(\s*([^\s()\u0000]+)(?:\s+&quot;[^]*?&quot;)?\s*\)/g, (whole, label, url) =>
    SAFE_URL.test(url.replace(/&amp;/g, '&'))
      ? hold(`<a href="${url}" target="_blank" rel="noopener noreferrer">${emphasis(label)}</a>`)
      : label);
  // Bare URLs; &lt; &gt; &quot; end them, &amp; does not.
  s = s.replace(/\bhttps?:\/\/(?:[^\s&\u0000]|&amp;)+/g, (url) => {
    const trail = /[.,:;!?)\]]+$/.exec(url);
    const href = trail ? url.slice(0, -trail[0].length) : url;
    return hold(`<a href="${href}" target="_blank" rel="noopener noreferrer">${href}</a>`) + (trail ? trail[0] : '');
  });
  s = emphasis(s);
  // Restore held pieces (link labels may hold code spans, hence the loop).
  while (s.includes('\u0000')) s = s.replace(/\u0000(\d+)\u0000/g, (_, k) => held[Number(k)]);
  return s;
}

function emphasis(s) {
  return s
    .replace(/\*\*(?=\S)([^]*?\S)\*\*/g, '<strong>$1</strong>')
    .replace(/(^|[^\w])__(?=\S)([^]*?\S)__(?!\w)/g, '$1<strong>$2</strong>')
    .replace(/(^|[^*\w])\*(?=[^\s*])([^*]*?[^\s*])\*(?![*\w])/g, '$1<em>$2</em>')
    .replace(/(^|[^\w])_(?=[^\s_])([^_]*?[^\s_])_(?!\w)/g, '$1<em>$2</em>')
    .replace(/~~(?=\S)([^]*?\S)~~/g, '<del>$1</del>');
}
