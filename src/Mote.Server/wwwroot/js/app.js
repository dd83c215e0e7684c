// The chat page's controller: wires the controls to the store, the API and the view, and runs one streamed reply
// at a time (Stop aborts it through an AbortController).
import { ApiError, listModels, streamChat } from './api.js';
import { ReplyTimer } from './stats.js';
import { ChatStore, requestMessages } from './store.js';
import * as view from './view.js';

const el = view.elements;
const store = new ChatStore();
let controller = null; // the reply in progress, if any

function refreshList() {
  view.renderChatList(store.chats, store.currentId, selectChat, deleteChat);
}

function showChat() {
  const chat = store.current;
  el.system.value = chat.system ?? '';
  view.renderConversation(chat, () => retry(chat));
  refreshList();
}

function selectChat(id) {
  stop();
  store.select(id);
  showChat();
  setSidebar(false);
  el.prompt.focus();
}

function deleteChat(id) {
  if (id === store.currentId) stop();
  store.remove(id);
  showChat();
}

function newChat() {
  stop();
  store.create();
  showChat();
  setSidebar(false);
  el.prompt.focus();
}

function stop() {
  controller?.abort();
}

async function loadModels() {
  try {
    const ids = await listModels({ apiKey: store.settings.apiKey });
    const chosen = view.fillModels(ids, store.settings.model);
    if (chosen) {
      store.settings.model = chosen;
      store.saveSettings();
    }
    view.showBanner(ids.length > 0 ? '' : 'The server offers no models: start it with --model FILE or a configuration that has routes.');
  } catch (e) {
    view.fillModels([], '');
    const hint = e instanceof ApiError && e.status === 401 ? ' Enter an API key under Settings.' : '';
    view.showBanner(`Could not load the models: ${e.message}${hint}`);
  }
}

async function send(text) {
  const chat = store.current;
  const message = { role: 'user', content: text };
  chat.messages.push(message);
  store.touch(chat);
  refreshList();
  view.updateMessage(view.appendMessage(message), message);
  await reply(chat);
}

async function retry(chat) {
  if (controller) return;
  if (chat.messages.at(-1)?.role === 'assistant') chat.messages.pop();
  showChat();
  await reply(chat);
}

/** Streams the assistant's answer to the conversation so far into a new message. */
async function reply(chat) {
  const history = requestMessages(chat);
  const message = { role: 'assistant', content: '' };
  chat.messages.push(message);
  const article = view.appendMessage(message);
  const model = el.model.value;
  if (!model) {
    message.error = 'No model to answer: the server offers none (see the note at the top).';
    finish(chat, article, message);
    return;
  }

  controller = new AbortController();
  view.setStreaming(true);
  view.announce('Mote is replying…');
  view.updateMessage(article, message, { streaming: true });
  view.scrollToEnd(true);

  const timer = new ReplyTimer();
  let usage = null;
  let drawPending = false;
  const draw = () => {
    drawPending = false;
    if (controller) view.updateMessage(article, message, { streaming: true });
    view.scrollToEnd();
  };
  try {
    const { apiKey, maxTokens } = store.settings;
    const parts = streamChat({ model, messages: history, maxTokens, apiKey, signal: controller.signal });
    for await (const part of parts) {
      if (part.usage) usage = part.usage;
      if (!part.content) continue;
      message.content += part.content;
      timer.chunk();
      message.stats = timer.result(usage);
      // Draw at most once a frame, however fast the tokens come.
      if (!drawPending) {
        drawPending = true;
        requestAnimationFrame(draw);
      }
    }
    message.stats = timer.result(usage);
    view.announce(`Reply finished: ${message.stats.tokens} tokens.`);
  } catch (e) {
    if (e?.name === 'AbortError') {
      message.stopped = true;
      if (message.content) message.stats = timer.result(usage);
      view.announce('Reply stopped.');
    } else {
      message.error = e instanceof ApiError ? e.message : `Unexpected error: ${e?.message ?? e}`;
      if (message.content) message.stats = timer.result(usage);
      view.announce(`Error: ${message.error}`);
    }
  } finally {
    controller = null;
    view.setStreaming(false);
    finish(chat, article, message);
  }
}

function finish(chat, article, message) {
  store.touch(chat);
  refreshList();
  if (store.current === chat) {
    view.updateMessage(article, message, { onRetry: message.error ? () => retry(chat) : undefined });
    view.scrollToEnd();
  }
}

function setSidebar(open) {
  el.app.classList.toggle('sidebar-open', open);
  el.toggleSidebar.setAttribute('aria-expanded', String(open));
}

function autoGrow() {
  el.prompt.style.height = 'auto';
  el.prompt.style.height = `${Math.min(el.prompt.scrollHeight, 240)}px`;
}

el.composer.addEventListener('submit', (event) => {
  event.preventDefault();
  const text = el.prompt.value.trim();
  if (!text || controller) return;
  el.prompt.value = '';
  autoGrow();
  send(text);
});

el.prompt.addEventListener('keydown', (event) => {
  // Enter sends, Shift+Enter is a new line; never while an input method is composing a character.
  if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) {
    event.preventDefault();
    el.composer.requestSubmit();
  }
});
el.prompt.addEventListener('input', autoGrow);

document.addEventListener('keydown', (event) => {
  if (event.key === 'Escape' && controller) stop();
});

el.stop.addEventListener('click', stop);
el.newChat.addEventListener('click', newChat);
el.clearAll.addEventListener('click', () => {
  if (!confirm('Delete every conversation kept in this browser?')) return;
  stop();
  store.clearAll();
  showChat();
});
el.toggleSidebar.addEventListener('click', () => setSidebar(!el.app.classList.contains('sidebar-open')));
el.scrim.addEventListener('click', () => setSidebar(false));
el.settingsToggle.addEventListener('click', () => {
  const open = el.settings.hidden;
  el.settings.hidden = !open;
  el.settingsToggle.setAttribute('aria-expanded', String(open));
  if (open) el.system.focus();
});
el.system.addEventListener('input', () => {
  store.current.system = el.system.value;
  store.settings.system = el.system.value; // new chats start with the latest system prompt
  store.save();
  store.saveSettings();
});
el.apiKey.addEventListener('change', () => {
  store.settings.apiKey = el.apiKey.value.trim();
  store.saveSettings();
  loadModels();
});
el.maxTokens.addEventListener('change', () => {
  const value = Number.parseInt(el.maxTokens.value, 10);
  store.settings.maxTokens = value > 0 ? value : null;
  el.maxTokens.value = store.settings.maxTokens ?? '';
  store.saveSettings();
});
el.model.addEventListener('change', () => {
  store.settings.model = el.model.value;
  store.saveSettings();
});

view.handleCopyButtons();
el.apiKey.value = store.settings.apiKey;
el.maxTokens.value = store.settings.maxTokens ?? '';
showChat();
loadModels();
el.prompt.focus();
