// Drawing the page: the conversation list, the messages (assistant text as Markdown), per-reply figures, errors and
// the copy buttons of code blocks. Holds no state of its own; app.js decides what to show.
import { renderMarkdown } from './markdown.js';

const $ = (id) => document.getElementById(id);

export const elements = {
  app: $('app'),
  sidebar: $('sidebar'),
  toggleSidebar: $('toggle-sidebar'),
  scrim: $('scrim'),
  newChat: $('new-chat'),
  chatList: $('chat-list'),
  clearAll: $('clear-all'),
  model: $('model'),
  settingsToggle: $('settings-toggle'),
  settings: $('settings'),
  system: $('system'),
  apiKey: $('api-key'),
  maxTokens: $('max-tokens'),
  banner: $('banner'),
  messages: $('messages'),
  empty: $('empty'),
  composer: $('composer'),
  prompt: $('prompt'),
  send: $('send'),
  stop: $('stop'),
  status: $('status'),
};

export function renderChatList(chats, currentId, onSelect, onDelete) {
  const list = elements.chatList;
  list.replaceChildren();
  for (const chat of chats) {
    const item = document.createElement('li');
    item.className = 'chat-item';
    const open = document.createElement('button');
    open.type = 'button';
    open.className = 'chat-open';
    open.textContent = chat.title || 'New chat';
    open.title = chat.title || 'New chat';
    if (chat.id === currentId) open.setAttribute('aria-current', 'true');
    open.addEventListener('click', () => onSelect(chat.id));
    const remove = document.createElement('button');
    remove.type = 'button';
    remove.className = 'chat-delete';
    remove.textContent = '×';
    remove.setAttribute('aria-label', `Delete chat: ${chat.title || 'New chat'}`);
    remove.addEventListener('click', () => onDelete(chat.id));
    item.append(open, remove);
    list.append(item);
  }
}

/** Replaces the message list with a whole conversation; a failed last reply gets a Retry button. */
export function renderConversation(chat, onRetry) {
  for (const node of [...elements.messages.querySelectorAll('.msg')]) node.remove();
  chat.messages.forEach((message, k) => {
    const last = k === chat.messages.length - 1;
    updateMessage(appendMessage(message), message, { onRetry: last && message.error ? onRetry : undefined });
  });
  elements.empty.hidden = chat.messages.length > 0;
  scrollToEnd(true);
}

export function appendMessage(message) {
  elements.empty.hidden = true;
  const article = document.createElement('article');
  article.className = `msg msg-${message.role}`;
  const who = document.createElement('div');
  who.className = 'msg-who';
  who.textContent = message.role === 'user' ? 'You' : 'Mote';
  const body = document.createElement('div');
  body.className = 'msg-body';
  const content = document.createElement('div');
  content.className = message.role === 'user' ? 'msg-content plain' : 'msg-content markdown';
  const meta = document.createElement('div');
  meta.className = 'msg-meta';
  body.append(content, meta);
  article.append(who, body);
  elements.messages.append(article);
  return article;
}

/** Redraws one message from its data: text, then figures, stop note or error. */
export function updateMessage(article, message, { streaming = false, onRetry } = {}) {
  const content = article.querySelector('.msg-content');
  if (message.role === 'user') content.textContent = message.content;
  else {
    content.innerHTML = renderMarkdown(message.content);
    if (streaming) lastTextBlock(content).append(cursor());
  }
  article.setAttribute('aria-busy', streaming ? 'true' : 'false');
  article.classList.toggle('streaming', streaming);

  const meta = article.querySelector('.msg-meta');
  meta.replaceChildren();
  if (message.stats) meta.append(figures(message.stats));
  if (message.stopped) meta.append(note('stopped', 'Stopped'));
  if (message.error) {
    const error = document.createElement('div');
    error.className = 'msg-error';
    error.setAttribute('role', 'alert');
    const text = document.createElement('span');
    text.textContent = message.error;
    error.append(text);
    if (onRetry) {
      const retry = document.createElement('button');
      retry.type = 'button';
      retry.className = 'retry';
      retry.textContent = 'Retry';
      retry.addEventListener('click', onRetry);
      error.append(retry);
    }
    meta.append(error);
  }
}

// Where the streaming cursor goes: the innermost last block (paragraph, list item, code…), so it follows the text.
function lastTextBlock(content) {
  let node = content;
  while (node.lastElementChild && !/^(P|LI|H\d|CODE|TD|TH)$/.test(node.tagName)) node = node.lastElementChild;
  return node.tagName === 'BR' || node.tagName === 'BUTTON' ? node.parentElement : node;
}

function cursor() {
  const span = document.createElement('span');
  span.className = 'cursor';
  span.setAttribute('aria-hidden', 'true');
  return span;
}

function figures(stats) {
  const parts = [`${stats.tokens} token${stats.tokens === 1 ? '' : 's'}`];
  if (stats.tokensPerSecond > 0) parts.push(`${stats.tokensPerSecond.toFixed(1)} tok/s`);
  if (stats.firstTokenMs != null) parts.push(`first token ${(stats.firstTokenMs / 1000).toFixed(2)} s`);
  const span = note('stats', parts.join(' · '));
  span.title = stats.fromUsage ? 'Token count from the server\'s usage report' : 'Token count from the streamed chunks';
  return span;
}

function note(className, text) {
  const span = document.createElement('span');
  span.className = className;
  span.textContent = text;
  return span;
}

/** Follows the newest text, unless the reader has scrolled up to read something else. */
export function scrollToEnd(force = false) {
  const box = elements.messages;
  const nearEnd = box.scrollHeight - box.scrollTop - box.clientHeight < 120;
  if (force || nearEnd) box.scrollTop = box.scrollHeight;
}

export function showBanner(text) {
  elements.banner.textContent = text;
  elements.banner.hidden = !text;
}

export function announce(text) {
  elements.status.textContent = text;
}

export function setStreaming(streaming) {
  elements.send.hidden = streaming;
  elements.stop.hidden = !streaming;
  elements.app.classList.toggle('is-streaming', streaming);
}

export function fillModels(ids, selected) {
  const select = elements.model;
  select.replaceChildren();
  if (ids.length === 0) {
    const option = new Option('No models available', '');
    option.disabled = true;
    select.append(option);
    select.value = '';
    return '';
  }
  for (const id of ids) select.append(new Option(id, id));
  select.value = ids.includes(selected) ? selected : ids[0];
  return select.value;
}

/** Copy buttons of code blocks (one listener for the whole list; blocks are redrawn while streaming). */
export function handleCopyButtons() {
  elements.messages.addEventListener('click', async (event) => {
    const button = event.target.closest('.copy-code');
    if (!button) return;
    const code = button.closest('.code-block')?.querySelector('code')?.textContent ?? '';
    button.textContent = (await copyText(code)) ? 'Copied' : 'Copy failed';
    setTimeout(() => { button.textContent = 'Copy'; }, 1500);
  });
}

async function copyText(text) {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    // No clipboard API outside secure contexts (a LAN address over http): fall back to a selection copy.
    const area = document.createElement('textarea');
    area.value = text;
    area.setAttribute('readonly', '');
    area.className = 'offscreen';
    document.body.append(area);
    area.select();
    const ok = document.execCommand('copy');
    area.remove();
    return ok;
  }
}
