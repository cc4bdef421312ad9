"""URL rules whose URL builders are compiled when a URL is first built from them, not when the rule is added.

werkzeug compiles two builder functions for every rule as it is added (Python source through `ast` to a code
object, ~0.2 ms a rule): ~5 ms of a container start for the routes loaded then, and more as domains load. They
serve only `url_for` (the docs page's links, redirects), which the API's requests never call; matching a request
does not use them. Each builder is compiled on its first use instead, by werkzeug's own code, and then replaces
the stand-in, so a URL is built exactly as before. Two threads building the same rule's first URL at once both
compile it; either result is the same function.
"""

from werkzeug.routing import Rule


class LazyBuilderRule(Rule):
    def _compile_builder(self, append_unknown=True):
        compile_now = super()._compile_builder
        attribute = "_build_unknown" if append_unknown else "_build"

        def build_on_first_use(rule, *args, **kwargs):
            builder = compile_now(append_unknown).__get__(rule, None)
            setattr(rule, attribute, builder)
            return builder(*args, **kwargs)

        return build_on_first_use
