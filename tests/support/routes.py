"""Every route of the app, with sample values, for tests that sweep the whole URL map."""

from werkzeug.routing import AnyConverter, IntegerConverter


def sample_value(converter, samples):
    if isinstance(converter, AnyConverter):
        return sorted(converter.items)[0]
    if isinstance(converter, IntegerConverter):
        return samples.get("int", 1)
    return samples.get("str", "x")


def routes(app, method, samples=None):
    """(endpoint, path) for every rule answering `method`, arguments filled with samples."""
    samples = samples or {}
    found = []
    for rule in app.url_map.iter_rules():
        if method not in rule.methods or rule.endpoint == "static":
            continue
        values = {
            name: samples.get(name, sample_value(rule._converters[name], samples))
            for name in rule.arguments
        }
        _, path = rule.build(values, append_unknown=False)
        found.append((rule.endpoint, path))
    return sorted(found)
