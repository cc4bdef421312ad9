"""The API's Blueprint: flask-smorest's, with each view's documentation copied when the document is built, and
one instance of each arguments schema.

flask-smorest deep-copies a view's documentation (its marshmallow schemas included) as the route is declared,
so it can be described later: ~0.15 ms a route, in every container start, for a document only
/api/openapi.json reads (and the Lambda package serves that one prebuilt). The copy is now taken, by
flask-smorest's own code, when the blueprint is first described; what it copies is the same, because every
decorator builds a new wrapper with its own copy rather than changing the view it wraps.
"""

import flask_smorest


class Blueprint(flask_smorest.Blueprint):
    def _store_endpoint_docs(self, endpoint, obj, parameters, tags, **options):
        self.__dict__.setdefault("_views_to_document", []).append((endpoint, obj, parameters, tags, options))

    def _document_views(self):
        """Store the documentation of every view declared so far (flask-smorest's step, run late)."""
        pending = self.__dict__.pop("_views_to_document", [])
        for endpoint, obj, parameters, tags, options in pending:
            super()._store_endpoint_docs(endpoint, obj, parameters, tags, **options)

    def arguments(self, schema, **options):
        # Given a schema class, webargs makes an instance of it for every request it parses (a deep copy of
        # its fields, on every request that has arguments). One instance made here serves them all: a
        # marshmallow 4 schema keeps nothing between loads, and the document describes an instance as its class.
        if isinstance(schema, type):
            schema = schema()
        return super().arguments(schema, **options)

    def register_views_in_doc(self, api, app, spec, *, name, parameters):
        self._document_views()
        return super().register_views_in_doc(api, app, spec, name=name, parameters=parameters)

    def register_blueprint(self, blueprint, **options):
        if isinstance(blueprint, Blueprint):
            blueprint._document_views()  # a nested blueprint's docs are merged into ours as it registers
        return super().register_blueprint(blueprint, **options)
