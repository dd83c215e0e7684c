#!/usr/bin/env python3
"""Regenerates Templates/goldens.json: the expected renderings for Mote's chat-template tests.

The oracle is the reference renderer itself: Python Jinja2 configured exactly as Hugging Face
transformers configures it for `apply_chat_template` (ImmutableSandboxedEnvironment with
trim_blocks and lstrip_blocks, the loopcontrols extension, its own `tojson` filter and the
`raise_exception` / `strftime_now` globals). Where llama.cpp's tests/test-chat-template.cpp gives an
expected output for the same template and conversation, the generator also checks that Jinja2 agrees
with it and fails otherwise, so each of those goldens is backed by two independent implementations.

When a template cannot render a system message (it raises, or drops it), the system prompt is folded
into the first user message joined by a newline, as llama.cpp's chat layer does; Mote's
ChatTemplate.Render does the same, and the llama.cpp expectations include it.

Run from this folder:  python3 generate_goldens.py   (needs Jinja2 >= 3.1)
"""
import datetime
import json
import os
import sys

import jinja2
from jinja2.ext import Extension, loopcontrols
from jinja2.sandbox import ImmutableSandboxedEnvironment

HERE = os.path.dirname(os.path.abspath(__file__))
TEMPLATES = os.path.join(HERE, "Templates")
FIXED_NOW = datetime.datetime(2024, 7, 26, 9, 30, 0)

CONVERSATION = [
    {"role": "system", "content": "You are a helpful assistant"},
    {"role": "user", "content": "Hello"},
    {"role": "assistant", "content": "Hi there"},
    {"role": "user", "content": "Who are you"},
    {"role": "assistant", "content": "   I am an assistant   "},
    {"role": "user", "content": "Another question"},
]

TOOLS = [{
    "type": "function",
    "function": {
        "name": "get_weather",
        "description": "Get the current weather in a city",
        "parameters": {
            "type": "object",
            "properties": {
                "city": {"type": "string", "description": "City name, e.g. Paris"},
                "unit": {"type": "string", "enum": ["celsius", "fahrenheit"]},
            },
            "required": ["city"],
        },
    },
}]

TOOL_CALL_CONVERSATION = [
    {"role": "system", "content": "You are a helpful assistant"},
    {"role": "user", "content": "What is the weather in Paris?"},
    {"role": "assistant", "content": "", "tool_calls": [{
        "id": "call00001", "type": "function",
        "function": {"name": "get_weather", "arguments": {"city": "Paris", "unit": "celsius"}}}]},
    {"role": "tool", "content": "{\"temperature\": 21.5, \"sky\": \"clear\"}"},
]


class AssistantTracker(Extension):
    # transformers registers a {% generation %} block for assistant masks; rendering just emits its body.
    tags = {"generation"}

    def parse(self, parser):
        lineno = next(parser.stream).lineno
        body = parser.parse_statements(("name:endgeneration",), drop_needle=True)
        return jinja2.nodes.CallBlock(self.call_method("_render", []), [], [], body).set_lineno(lineno)

    def _render(self, caller):
        return caller()


def compile_template(source):
    def raise_exception(message):
        raise jinja2.exceptions.TemplateError(message)

    def tojson(x, ensure_ascii=False, indent=None, separators=None, sort_keys=False):
        return json.dumps(x, ensure_ascii=ensure_ascii, indent=indent, separators=separators, sort_keys=sort_keys)

    def strftime_now(fmt):
        return FIXED_NOW.strftime(fmt)

    env = ImmutableSandboxedEnvironment(trim_blocks=True, lstrip_blocks=True,
                                        extensions=[AssistantTracker, loopcontrols])
    env.filters["tojson"] = tojson
    env.globals["raise_exception"] = raise_exception
    env.globals["strftime_now"] = strftime_now
    return env.from_string(source)


def render(template, messages, add_generation_prompt, bos, eos, extra):
    context = {"messages": messages, "tools": None, "documents": None,
               "add_generation_prompt": add_generation_prompt, "bos_token": bos, "eos_token": eos}
    context.update(extra)
    return template.render(**context)


def supports_system_role(template):
    needle = "<System Needle>"
    try:
        out = render(template, [{"role": "system", "content": needle}, {"role": "user", "content": "Hey"}],
                     False, "", "", {})
    except Exception:
        return False
    return needle in out


def fold_system(messages):
    folded, pending = [], None
    for m in messages:
        if m["role"] == "system":
            pending = m["content"] if pending is None else pending + "\n" + m["content"]
            continue
        if m["role"] == "user" and pending is not None:
            m = dict(m, content=pending + ("\n" + m["content"] if m["content"] else ""))
            pending = None
        folded.append(m)
    if pending is not None:
        folded.append({"role": "user", "content": pending})
    return folded


# Interpreter features, each rendered by Jinja2 under the same environment. "error" records what Jinja2 raised.
FEATURES = [
    ("slicing", r"{{ [1,2,3][::-1] }}|{{ 'abc'[::-1] }}|{{ 'hello'[1:3] }}|{{ [1,2,3,4][-2:] }}|{{ [1,2,3,4,5][::2] }}|{{ 'abcdef'[-1:0:-2] }}|{{ [1,2,3][5:] }}|{{ [1,2,3][:-1] }}", {}),
    ("loop-variables", r"{% for x in items %}{{ loop.index }}/{{ loop.index0 }}/{{ loop.length }}/{{ loop.first }}/{{ loop.last }}/{{ loop.revindex }}/{{ loop.revindex0 }};{% endfor %}", {"items": ["a", "b", "c"]}),
    ("for-else", r"{% for x in [] %}x{% else %}empty{% endfor %}|{% for x in [1] %}one{% else %}empty{% endfor %}", {}),
    ("for-filter", r"{% for x in [1,2,3,4] if x is even %}{{ x }}:{{ loop.length }} {% endfor %}", {}),
    ("for-dict", r"{% for k, v in d.items() %}{{ k }}={{ v }};{% endfor %}{% for k in d %}{{ k }}{% endfor %}", {"d": {"b": 1, "a": 2}}),
    ("loop-scope", r"{% set x = 1 %}{% for i in [1,2] %}{% set x = x + i %}{{ x }}{% endfor %}{{ x }}", {}),
    ("namespace", r"{% set ns = namespace(n=0, s='') %}{% for i in range(5) %}{% set ns.n = ns.n + i %}{% set ns.s = ns.s ~ i %}{% endfor %}{{ ns.n }} {{ ns.s }}{% set ns2 = namespace() %}{% set ns2.flag = true %}{{ ns2.flag }}", {}),
    ("break-continue", r"{% for i in range(10) %}{% if i == 2 %}{% continue %}{% endif %}{% if i == 5 %}{% break %}{% endif %}{{ i }}{% endfor %}", {}),
    ("if-elif-else", r"{% for v in [1, 5, 10] %}{% if v < 3 %}small{% elif v < 7 %}mid{% else %}big{% endif %} {% endfor %}", {}),
    ("ternary", r"{{ 'yes' if flag else 'no' }} {{ 'only' if not flag }}|{{ 'a' if false else 'b' if false else 'c' }}", {"flag": True}),
    ("arithmetic", r"{{ 7 // 2 }} {{ -7 // 2 }} {{ 7 % 3 }} {{ -7 % 3 }} {{ 7 / 2 }} {{ 4 / 2 }} {{ 2 ** 10 }} {{ 1 + 2 * 3 }} {{ (1 + 2) * 3 }} {{ 0.1 + 0.2 }} {{ 1e20 }} {{ 1.5e-7 }} {{ 3 - 5 }} {{ -3|abs }} {{ 10 / 4 * 2 }} {{ 2.5 // 1 }} {{ true + 1 }}", {}),
    ("comparisons", r"{{ 1 == 1.0 }} {{ true == 1 }} {{ 'a' < 'b' }} {{ [1,2] < [1,3] }} {{ 1 < 2 < 3 }} {{ 3 > 2 > 5 }} {{ 'x' in 'xyz' }} {{ 2 not in [1, 3] }} {{ 'k' in {'k': 1} }} {{ none == none }} {{ undefined_thing == none }} {{ [1, [2]] == [1, [2]] }} {{ {'a': 1} == {'a': 1.0} }} {{ 'a' != 'b' }}", {}),
    ("and-or-values", r"{{ 0 or 'fallback' }} {{ 'a' and 'b' }} [{{ '' and 'b' }}] {{ none or [] }} {{ not none }} {{ not 'x' }}", {}),
    ("concat-and-repeat", r"{{ 'a' ~ 1 ~ none ~ true ~ 2.0 }} {{ [1] + [2] }} {{ 'ab' * 3 }} {{ 'x' + 'y' }}", {}),
    ("python-str-of-values", r"""{{ [1, 'two', none, true, 2.5, {'k': 'v'}] }} {{ {'a': [1, 2]} }} {{ "it's" }} {{ ["it's"] }} {{ ['say "hi"'] }} {{ ['tab\there', 'nl\nx'] }} {{ none }} {{ true }} {{ 1.0 }} {{ (1, 2) }}""", {}),
    ("filters-text", r"{{ '  x  '|trim }}|{{ 'xxhixx'|trim('x') }}|{{ 'abc'|upper }}|{{ 'ABC'|lower }}|{{ 'hello World'|capitalize }}|{{ 'hello wORLD-x (y'|title }}|{{ 'a-b-c'|replace('-', '+') }}|{{ 'aaa'|replace('a', 'b', 2) }}|{{ 42|string ~ '!' }}|{{ 'one two  three'|wordcount }}|{{ '<a href=\"x\">'|escape }}|{{ 'a\nb\n\nc'|indent(2) }}|{{ 'a\nb'|indent(2, true) }}|{{ '%s is %d'|format('x', 3) }}|{{ 'ab'|center(6) }}|", {}),
    ("filters-numbers", r"{{ '42'|int + 1 }}|{{ '4.7'|int }}|{{ 'x'|int }}|{{ 'x'|int(7) }}|{{ 3.9|int }}|{{ ' 12 '|int }}|{{ 'ff'|int(base=16) }}|{{ '2.5'|float }}|{{ 'x'|float }}|{{ 2.567|round(2) }}|{{ 2.5|round }}|{{ 2.1|round(method='ceil') }}|{{ -5|abs }}", {}),
    ("filters-sequences", r"{{ [1,2,3]|length }}|{{ 'abc'|length }}|{{ {'a': 1}|length }}|{{ [3,1,2]|first }}|{{ [3,1,2]|last }}|{{ 'xyz'|first }}|{{ [1,2,3]|join(', ') }}|{{ [1,2,3]|join }}|{{ d|items|list }}|{{ 'abc'|list }}|{{ d|list }}|{{ [1, 2, 3]|reverse|list }}|{{ 'abc'|reverse }}|{{ [1, 2, 3, 4, 5]|batch(2)|list }}", {"d": {"x": 1, "y": [2]}}),
    ("filter-default", r"{{ missing|default('dflt') }}|{{ none|default('dflt') }}|{{ ''|default('dflt', true) }}|{{ 'set'|d('x') }}|{{ missing|default }}|{{ false|default('f', boolean=true) }}", {}),
    ("select-map", r"{{ msgs|selectattr('role', 'equalto', 'user')|map(attribute='content')|join(',') }}|{{ msgs|rejectattr('role', 'eq', 'user')|list|length }}|{{ msgs|map(attribute='meta.id', default='?')|list }}|{{ ['a','b']|map('upper')|list }}|{{ msgs|selectattr('meta')|list|length }}|{{ [1, 2, 3, 4]|select('odd')|list }}|{{ [1, 2, 3, 4]|reject('odd')|list }}|{{ [0, 1, '', 'x']|select|list }}|{{ msgs|map(attribute='role')|unique|list }}", {"msgs": [{"role": "user", "content": "u1", "meta": {"id": 7}}, {"role": "assistant", "content": "a1"}, {"role": "user", "content": "u2"}]}),
    ("sort-min-max-sum", r"{{ [3, 1, 2]|sort }} {{ ['b', 'A', 'c']|sort }} {{ ['b', 'A', 'c']|sort(case_sensitive=true) }} {{ [3, 1, 2]|sort(reverse=true) }} {{ people|sort(attribute='age')|map(attribute='name')|join(',') }} {{ [1, 2, 1, 3]|unique|list }} {{ [4, 9, 2]|max }} {{ [4, 9, 2]|min }} {{ [1, 2, 3]|sum }} {{ people|sum(attribute='age') }} {{ {'b': 1, 'a': 2}|dictsort }}", {"people": [{"name": "a", "age": 30}, {"name": "b", "age": 20}]}),
    ("tojson", r"""{{ data|tojson }}
{{ data|tojson(indent=2) }}
{{ 'é"\\ 
	<>&/'|tojson }}
{{ [1.0, 0.5, 100, 1e-7, -0.0, 1e16, 123456.789, true, none]|tojson }}
{{ {}|tojson }} {{ []|tojson }} {{ {'b': 1, 'a': 2}|tojson(sort_keys=true) }} {{ {'a': [1, {'b': []}]}|tojson(indent=4) }} {{ 'ü'|tojson(ensure_ascii=true) }} {{ {'a': 1, 'b': 2}|tojson(separators=(',', ':')) }} {{ [1, 2]|tojson(indent='\t') }}""", {"data": {"name": "get_weather", "args": {"city": "Paris", "n": 3, "ok": True, "x": None, "pi": 3.14, "list": [1, "two"]}}}),
    ("string-methods", r"""{{ '  a b  '.strip() }}|{{ 'xxaxx'.strip('x') }}|{{ '  a'.lstrip() }}|{{ 'a  '.rstrip() }}|{{ 'abc'.startswith('ab') }}|{{ 'abc'.endswith(('x', 'c')) }}|{{ 'a,b,,c'.split(',') }}|{{ '  a  b '.split() }}|{{ 'a b c'.split(' ', 1) }}|{{ 'a b c'.rsplit(' ', 1) }}|{{ 'Abc'.upper() }}{{ 'Abc'.lower() }}|{{ "they're bill's".title() }}|{{ 'aaa'.replace('a', 'b', 2) }}|{{ 'hello'.find('l') }}|{{ ', '.join(['x', 'y']) }}|{{ 'hello World'.capitalize() }}|{{ 'a\nb\r\nc\n'.splitlines() }}|{{ 'abcabc'.count('bc') }}|{{ '123'.isdigit() }}""", {}),
    ("dict-methods", r"{{ d.get('a') }} {{ d.get('zz') }} {{ d.get('zz', 'dflt') }} {{ d.keys()|list }} {{ d.values()|list }} {{ d['a'] }} {{ d.a }} {{ d.missing is defined }} {{ d.items()|list }}", {"d": {"a": 1, "b": 2}}),
    ("tests", r"{{ x is defined }} {{ y is undefined }} {{ none is none }} {{ 'a' is string }} {{ {} is mapping }} {{ [] is iterable }} {{ 'a' is iterable }} {{ 1 is number }} {{ 1.5 is float }} {{ 1 is integer }} {{ true is integer }} {{ [] is sequence }} {{ 4 is even }} {{ 3 is odd }} {{ 9 is divisibleby 3 }} {{ 'user' is equalto 'user' }} {{ 2 is eq 2 }} {{ 3 is not none }} {{ range is callable }} {{ true is boolean }} {{ 'abc' is lower }} {{ 3 is gt 2 }} {{ 2 is in [1, 2] }} {{ none is sameas none }} {{ 'x' is not mapping }}", {"x": 1}),
    ("undefined-is-lenient", r"[{{ nope }}][{{ nope|length }}][{% for x in nope %}x{% endfor %}][{% if nope %}t{% else %}f{% endif %}][{{ obj.missing }}][{{ obj.missing is defined }}][{{ obj['missing'] }}][{{ 'abc'.nomethod }}][{{ nope|default('d') }}][{{ nope is iterable }}][{{ nope ~ 'x' }}]", {"obj": {"a": 1}}),
    ("whitespace-control", "a  {{- ' b ' -}}  c\n  {%- if true %}\n    d\n  {%- endif %}\n  {% if true %}\n  e\n  {% endif %}\nf {#- comment -#} g\n{# comment #}\nh\n   {# indented comment #}\ni", {}),
    ("lstrip-and-trim-blocks", "<ul>\n    {% for i in [1, 2] %}\n    <li>{{ i }}</li>\n    {% endfor %}\n</ul>\n  {{ 'var tags are not stripped' }}\n", {}),
    ("plus-modifier", "x\n    {%+ if true %}y{% endif +%}\nz", {}),
    ("trailing-newline", "text\n", {}),
    ("crlf-newlines", "a\r\n{% if true %}\r\nb\r\n{% endif %}\r\nc", {}),
    ("raw-block", "{% raw %}{{ not rendered }}{% endraw %}|{%- raw -%}  {% x %}  {%- endraw %}|", {}),
    ("macro", r"{% macro greet(name, greeting='Hello') %}{{ greeting }}, {{ name }}!{% endmacro %}{{ greet('Ann') }} {{ greet('Bob', greeting='Hi') }} {{ greet(name='Cy') }} {{ greet('Di', 'Yo') }}", {}),
    ("macro-sees-outer-and-is-scoped", r"{% set prefix = '>' %}{% macro m(x) %}{% set prefix = 'inner' %}{{ prefix }}{{ x }}{% endmacro %}{{ m(1) }}{{ prefix }}", {}),
    ("set-block", r"{% set body %}  inner {{ 1 + 1 }}  {% endset %}[{{ body }}]{% set t | trim | upper %}  trimmed  {% endset %}[{{ t }}]", {}),
    ("filter-block", r"{% filter upper %}shout {{ 'this' }}{% endfilter %}", {}),
    ("set-tuple-unpack", r"{% set a, b = [1, 2] %}{{ a }}{{ b }}{% for x, y in [[1, 'a'], [2, 'b']] %}{{ x }}{{ y }}{% endfor %}", {}),
    ("string-literal-escapes", r"""{{ 'a\tb\\n\u00e9\x41\101' }}|{{ "dq 'q'" }}|{{ 'line\nbreak' }}|{{ 'it\'s' }}|{{ 'unknown \q' }}|{{ 'adjacent' 'strings' }}""", {}),
    ("dict-literal-and-access", r"{% set d = {'k': 'v', 'n': {'m': 1}, 'l': [10, 20]} %}{{ d.k }}{{ d['n']['m'] }}{{ d.n.m }}{{ d.l.1 }}{{ d.l[-1] }}{{ d['l'][0] }}", {}),
    ("range-and-dict-globals", r"{{ range(3)|list }}{{ range(1, 4)|list }}{{ range(10, 0, -3)|list }}{{ dict(a=1, b='x') }}", {}),
    ("strftime-now", r"{{ strftime_now('%d %b %Y') }}|{{ strftime_now('%Y-%m-%d %H:%M:%S %A %B %a %j %p %I %y') }}", {}),
    ("loop-controls-nested", r"{% for a in [1, 2] %}{% for b in ['x', 'y'] %}{{ loop.index }}{{ b }}{% endfor %}{{ loop.index }};{% endfor %}", {}),
    ("loop-prev-next-cycle", r"{% for x in [1, 2, 3] %}{{ loop.previtem|default('-') }}{{ x }}{{ loop.nextitem|default('-') }}{{ loop.cycle('a', 'b') }} {% endfor %}", {}),
    ("unicode-text", r"{{ 'héllo wörld 🙂'|upper }}|{{ '🙂ab'|length }}|{{ '🙂ab'[0] }}|{{ '🙂ab'[::-1] }}|{{ 'ça va'|title }}|{{ 'Привет'|lower }}", {}),
    ("is-not-and-not-is", r"{% if messages[0]['role'] is not none and not messages[0].content is string %}no{% else %}yes{% endif %}{% if not messages[0].tool_calls is defined %}!{% endif %}", {"messages": [{"role": "user", "content": "x"}]}),
    ("generation-block", r"a{% generation %}b{{ 1 }}{% endgeneration %}c", {}),
    ("error-raise-exception", r"{{ raise_exception('Bad role: ' ~ role) }}", {"role": "robot"}),
    ("error-undefined-arithmetic", r"{{ nope + 1 }}", {}),
    ("error-type-mismatch", r"{{ 'a' + 1 }}", {}),
    ("error-unknown-filter", r"{{ 'a'|nosuchfilter }}", {}),
    ("error-unclosed-block", r"{% if true %}no end", {}),
    ("error-unclosed-expression", r"{{ 'a' ", {}),
    ("error-namespace-only-assignment", r"{% set d = {} %}{% set d.x = 1 %}", {}),
    ("error-do-is-not-enabled", r"{% do 1 + 1 %}done", {}),
    ("error-division-by-zero", r"{{ 1 / 0 }}", {}),
    ("error-not-iterable", r"{% for x in 5 %}{% endfor %}", {}),
]


def render_features():
    results = []
    for name, source, context in FEATURES:
        entry = {"name": name, "template": source, "context": context, "now": FIXED_NOW.isoformat()}
        try:
            entry["expected"] = compile_template(source).render(**context)
        except jinja2.exceptions.TemplateSyntaxError as e:
            entry["error"] = "syntax"
        except jinja2.exceptions.UndefinedError as e:
            entry["error"] = "undefined"
        except jinja2.exceptions.TemplateError as e:
            entry["error"] = "raised" if name == "error-raise-exception" else "template"
            entry["message"] = str(e)
        except Exception as e:  # TypeError, ZeroDivisionError, SecurityError, ...
            entry["error"] = type(e).__name__
        if name.startswith("error-") != ("error" in entry):
            raise SystemExit(f"feature {name}: unexpected outcome {entry}")
        results.append(entry)
    return results


def main():
    manifest = json.load(open(os.path.join(TEMPLATES, "manifest.json"), encoding="utf-8"))
    goldens, failures = [], []
    for entry in manifest:
        name = entry["template"]
        source = open(os.path.join(TEMPLATES, name + ".jinja"), encoding="utf-8", newline="").read()
        template = compile_template(source)
        system_ok = supports_system_role(template)
        bos, eos = entry["bos_token"], entry["eos_token"]

        def add(scenario, messages, agp, extra=None, raw=False):
            extra = extra or {}
            sent = messages if raw or system_ok else fold_system(messages)
            expected = render(template, sent, agp, bos, eos, extra)
            goldens.append({"template": name, "scenario": scenario, "supports_system_role": system_ok,
                            "bos_token": bos, "eos_token": eos, "add_generation_prompt": agp,
                            "raw": raw, "messages": messages, "extra": extra,
                            "now": FIXED_NOW.isoformat(), "expected": expected})
            return expected

        conversation = CONVERSATION + entry.get("extra_messages", [])
        out = add("conversation", conversation, True)
        if "llama_cpp_expected" in entry and out != entry["llama_cpp_expected"]:
            failures.append((name, entry["llama_cpp_expected"], out))
        if entry["source"].startswith("llama.cpp"):
            continue
        # The models Mote ships aliases for get more scenarios than llama.cpp's single conversation.
        add("no-system", CONVERSATION[1:], True)
        add("no-generation-prompt", CONVERSATION[:3], False)
        if name in ("meta-llama-Llama-3.2-1B-Instruct", "Qwen-Qwen2.5-0.5B-Instruct"):
            add("tools", CONVERSATION, True, {"tools": TOOLS})
            add("tool-call", TOOL_CALL_CONVERSATION, True, {"tools": TOOLS}, raw=True)
        if name == "meta-llama-Llama-3.2-1B-Instruct":
            add("date-string", CONVERSATION[:2], True, {"date_string": "01 Jan 2030"})
            add("tools-in-system", CONVERSATION[:2], True, {"tools": TOOLS, "tools_in_user_message": False})

    for name, want, got in failures:
        print(f"MISMATCH with llama.cpp for {name}:\n  llama.cpp: {want!r}\n  jinja2:    {got!r}", file=sys.stderr)
    if failures:
        sys.exit(1)
    with open(os.path.join(TEMPLATES, "goldens.json"), "w", encoding="utf-8", newline="\n") as f:
        json.dump(goldens, f, ensure_ascii=False, indent=1)
        f.write("\n")
    features = render_features()
    with open(os.path.join(TEMPLATES, "features.json"), "w", encoding="utf-8", newline="\n") as f:
        json.dump(features, f, ensure_ascii=False, indent=1)
        f.write("\n")
    print(f"{len(goldens)} goldens from {len(manifest)} templates; llama.cpp agreement checked; {len(features)} feature goldens")


if __name__ == "__main__":
    main()
