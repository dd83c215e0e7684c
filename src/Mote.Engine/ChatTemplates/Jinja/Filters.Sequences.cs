namespace Mote.Engine.ChatTemplates.Jinja;

// Filters over sequences: first/last/join/list/items, sorting, and the select/map family that take attribute paths.
internal static partial class Filters
{
    private static void AddSequenceFilters(Dictionary<string, Func<object?, CallArguments, object?>> table)
    {
        table["first"] = (v, _) => PyValue.Iterate(v) is { Count: > 0 } items ? items[0] : new Undefined("first item");
        table["last"] = (v, _) => PyValue.Iterate(v) is { Count: > 0 } items ? items[^1] : new Undefined("last item");
        table["list"] = (v, _) => new List<object?>(PyValue.Iterate(v));
        table["join"] = Join;
        table["items"] = (v, _) => v switch
        {
            Undefined => new List<object?>(),
            PyDict dict => dict.Select(p => (object?)new PyTuple([p.Key, p.Value])).ToList(),
            _ => throw new ChatTemplateException("Can only get item pairs from a mapping."),
        };
        table["reverse"] = (v, _) => v is string s
            ? string.Concat(PyValue.Characters(s).Reverse())
            : Enumerable.Reverse(PyValue.Iterate(v)).ToList();
        table["sort"] = Sort;
        table["unique"] = Unique;
        table["min"] = (v, a) => Extreme(v, a, sign: -1);
        table["max"] = (v, a) => Extreme(v, a, sign: 1);
        table["sum"] = Sum;
        table["map"] = Map;
        table["select"] = (v, a) => Select(v, a, attribute: false, keep: true);
        table["reject"] = (v, a) => Select(v, a, attribute: false, keep: false);
        table["selectattr"] = (v, a) => Select(v, a, attribute: true, keep: true);
        table["rejectattr"] = (v, a) => Select(v, a, attribute: true, keep: false);
        table["dictsort"] = DictSort;
        table["batch"] = Batch;
    }

    private static object? Join(object? value, CallArguments a)
    {
        var separator = PyValue.ToStr(a.Get(0, "d", ""));
        var items = PyValue.Iterate(value);
        if (a.Get(1, "attribute") is { } attribute and not Undefined)
            items = items.Select(item => GetPath(item, attribute)).ToList();
        return string.Join(separator, items.Select(PyValue.ToStr));
    }

    /// <summary>Jinja's attribute getter: <c>"function.name"</c> walks keys/attributes; integer parts index lists.</summary>
    private static object? GetPath(object? item, object? path)
    {
        if (path is long index)
            return Members.GetItem(item, index);
        foreach (var part in PyValue.ToStr(path).Split('.'))
            item = long.TryParse(part, out var i) ? Members.GetItem(item, i) : Members.GetItem(item, part);
        return item;
    }

    private static object? SortKey(object? item, object? attribute, bool caseSensitive)
    {
        var key = attribute is null or Undefined ? item : GetPath(item, attribute);
        return !caseSensitive && key is string s ? s.ToLowerInvariant() : key;
    }

    private static object? Sort(object? value, CallArguments a)
    {
        var reverse = PyValue.Truthy(a.Get(0, "reverse", false));
        var caseSensitive = PyValue.Truthy(a.Get(1, "case_sensitive", false));
        var attribute = a.Get(2, "attribute");
        var sorted = PyValue.Iterate(value)
            .Select(item => (Key: SortKey(item, attribute, caseSensitive), Item: item))
            .ToList();
        // List.Sort is unstable; Python's sort is stable, so order by (key, original position).
        var indexed = sorted.Select((p, i) => (p.Key, p.Item, Index: i)).ToList();
        indexed.Sort((x, y) =>
        {
            var c = PyValue.Compare(x.Key, y.Key, "<");
            return c != 0 ? (reverse ? -c : c) : x.Index.CompareTo(y.Index);
        });
        return indexed.Select(p => p.Item).ToList();
    }

    private static object? Unique(object? value, CallArguments a)
    {
        var caseSensitive = PyValue.Truthy(a.Get(0, "case_sensitive", false));
        var attribute = a.Get(1, "attribute");
        var seen = new List<object?>();
        var result = new List<object?>();
        foreach (var item in PyValue.Iterate(value))
        {
            var key = SortKey(item, attribute, caseSensitive);
            if (seen.Exists(k => PyValue.AreEqual(k, key)))
                continue;
            seen.Add(key);
            result.Add(item);
        }
        return result;
    }

    private static object? Extreme(object? value, CallArguments a, int sign)
    {
        var caseSensitive = PyValue.Truthy(a.Get(0, "case_sensitive", false));
        var attribute = a.Get(1, "attribute");
        object? best = null, bestKey = null;
        var any = false;
        foreach (var item in PyValue.Iterate(value))
        {
            var key = SortKey(item, attribute, caseSensitive);
            if (!any || Math.Sign(PyValue.Compare(key, bestKey, "<")) == sign)
            {
                (best, bestKey, any) = (item, key, true);
            }
        }
        return any ? best : new Undefined(sign > 0 ? "max of an empty sequence" : "min of an empty sequence");
    }

    private static object? Sum(object? value, CallArguments a)
    {
        var attribute = a.Get(0, "attribute");
        var total = a.Get(1, "start", 0L);
        foreach (var item in PyValue.Iterate(value))
            total = Operators.Binary("+", total, attribute is null or Undefined ? item : GetPath(item, attribute));
        return total;
    }

    // map(attribute='x', default=…) or map('filter', args…).
    private static object? Map(object? value, CallArguments a)
    {
        var items = PyValue.Iterate(value);
        if (a.Keywords.TryGetValue("attribute", out var attribute))
        {
            var hasDefault = a.Keywords.TryGetValue("default", out var fallback);
            return items.Select(item =>
            {
                var mapped = GetPath(item, attribute);
                return hasDefault && mapped is Undefined ? fallback : mapped;
            }).ToList();
        }
        if (a.Positional.Count == 0 || a.Positional[0] is not string filter)
            throw new ChatTemplateException("map() needs a filter name or attribute=");
        var rest = new CallArguments(a.Positional.Skip(1).ToList(), a.Keywords);
        return items.Select(item => Apply(filter, item, rest)).ToList();
    }

    // select/reject('test', args…) and selectattr/rejectattr('attr', 'test', args…); without a test, truthiness.
    private static object? Select(object? value, CallArguments a, bool attribute, bool keep)
    {
        var offset = attribute ? 1 : 0;
        var path = attribute ? a.Required(0, "attribute", "selectattr") : null;
        var test = a.Positional.Count > offset ? PyValue.ToStr(a.Positional[offset]) : null;
        var testArguments = new CallArguments(a.Positional.Skip(offset + 1).ToList(), new Dictionary<string, object?>());
        var result = new List<object?>();
        foreach (var item in PyValue.Iterate(value))
        {
            var subject = attribute ? GetPath(item, path) : item;
            var passes = test is null ? PyValue.Truthy(subject) : Tests.Apply(test, subject, testArguments);
            if (passes == keep)
                result.Add(item);
        }
        return result;
    }

    private static object? DictSort(object? value, CallArguments a)
    {
        if (value is not PyDict dict)
            throw new ChatTemplateException("dictsort() needs a mapping");
        var caseSensitive = PyValue.Truthy(a.Get(0, "case_sensitive", false));
        var byValue = PyValue.ToStr(a.Get(1, "by", "key")) == "value";
        var reverse = PyValue.Truthy(a.Get(2, "reverse", false));
        var pairs = dict.Select(p => (object?)new PyTuple([p.Key, p.Value])).ToList();
        return Sort(pairs, new CallArguments([reverse, caseSensitive, byValue ? 1L : 0L], new Dictionary<string, object?>()));
    }

    private static object? Batch(object? value, CallArguments a)
    {
        var size = PyValue.ToLong(a.Required(0, "linecount", "batch"));
        if (size <= 0)
            throw new ChatTemplateException("batch() needs a positive size");
        var fill = a.Has(1, "fill_with") ? a.Get(1, "fill_with") : null;
        var hasFill = a.Has(1, "fill_with");
        var result = new List<object?>();
        var current = new List<object?>();
        foreach (var item in PyValue.Iterate(value))
        {
            current.Add(item);
            if (current.Count == size)
            {
                result.Add(current);
                current = [];
            }
        }
        if (current.Count > 0)
        {
            while (hasFill && current.Count < size)
                current.Add(fill);
            result.Add(current);
        }
        return result;
    }
}
