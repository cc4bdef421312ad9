"""The base of every table model: a model binds itself to the process's store as its class is made.

create_app binds the tables defined by then (`db.bind_tables`); a domain whose routes load on their first
request (common/lazy_routes.py) defines its models in that request, and they bind as they are made. So a
container's start builds only the models its first routes use: PynamoDB walks each class's attributes and
copies its indexes as the class is made, and binding builds its schema description (~0.5 ms a model, 62 of them).
backend/tables.py stays the one explicit list of every table (creating tables, infra, tests).
"""

from pynamodb.models import MetaModel
from pynamodb.models import Model as PynamoModel

from backend import db


class _BindingMeta(MetaModel):
    def __init__(cls, name, bases, namespace, discriminator=None):
        super().__init__(name, bases, namespace, discriminator)
        if "Meta" in namespace:  # a table (this module's base below declares none)
            db.table_defined(cls)


class Model(PynamoModel, metaclass=_BindingMeta):
    """A DynamoDB table: declare `Meta.table_name` (and attributes, indexes) as with PynamoDB's Model."""
