// Conversations and settings, kept in this browser's localStorage (nothing is stored on the server).
// A conversation: { id, title, system, messages: [{ role, content, stats?, error?, stopped? }], updated }.

const CHATS_KEY = 'mote.chats.v1';
const SETTINGS_KEY = 'mote.settings.v1';
const TITLE_LENGTH = 48;

function read(key, fallback) {
  try {
    const value = JSON.parse(localStorage.getItem(key) ?? 'null');
    return value ?? fallback;
  } catch {
    return fallback;
  }
}

function write(key, value) {
  try {
    localStorage.setItem(key, JSON.stringify(value));
  } catch {
    // Storage full or disabled (private mode): the chat still works, it just will not survive a reload.
  }
}

function newId() {
  return Date.now().toString(36) + Math.random().toString(36).slice(2, 8);
}

export class ChatStore {
  constructor() {
    const saved = read(CHATS_KEY, {});
    this.chats = Array.isArray(saved.chats) ? saved.chats.filter((c) => c && Array.isArray(c.messages)) : [];
    this.currentId = saved.currentId;
    this.settings = { model: '', system: '', apiKey: '', maxTokens: null, ...read(SETTINGS_KEY, {}) };
    if (!this.current) this.currentId = this.chats[0]?.id ?? this.create().id;
  }

  get current() {
    return this.chats.find((c) => c.id === this.currentId);
  }

  /** A new empty conversation (reusing the current one when it is still empty), made current. */
  create() {
    const empty = this.current;
    if (empty && empty.messages.length === 0) {
      empty.system = this.settings.system;
      return empty;
    }
    const chat = { id: newId(), title: 'New chat', system: this.settings.system, messages: [], updated: Date.now() };
    this.chats.unshift(chat);
    this.currentId = chat.id;
    this.save();
    return chat;
  }

  select(id) {
    if (this.chats.some((c) => c.id === id)) this.currentId = id;
    this.save();
  }

  remove(id) {
    this.chats = this.chats.filter((c) => c.id !== id);
    if (this.currentId === id) this.currentId = this.chats[0]?.id ?? this.create().id;
    this.save();
  }

  clearAll() {
    this.chats = [];
    this.currentId = undefined;
    this.create();
  }

  /** Records a change to a conversation: its title follows its first message, and it moves to the top. */
  touch(chat) {
    const first = chat.messages.find((m) => m.role === 'user');
    if (first) chat.title = first.content.length > TITLE_LENGTH ? `${first.content.slice(0, TITLE_LENGTH - 1).trimEnd()}…` : first.content;
    chat.updated = Date.now();
    this.chats = [chat, ...this.chats.filter((c) => c !== chat)];
    this.save();
  }

  saveSettings() {
    write(SETTINGS_KEY, this.settings);
  }

  save() {
    write(CHATS_KEY, { chats: this.chats, currentId: this.currentId });
  }
}

/** What the model is sent: the system prompt, then every user turn and every assistant turn that has text. */
export function requestMessages(chat) {
  const messages = [];
  if (chat.system?.trim()) messages.push({ role: 'system', content: chat.system });
  for (const m of chat.messages)
    if ((m.role === 'user' || m.role === 'assistant') && m.content) messages.push({ role: m.role, content: m.content });
  return messages;
}
